"""POST captions from a captioning service (a device token: `Authorization: Bearer dt_…`) or from the
captioner page (the session cookie and the X-CSRFToken header); GET the lines written so far."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from conference.api_auth import session_auth
from conference.errors import NotFound
from conference.schema import Paragraph
from people.services import user_for_device_token
from programme.api import ERRORS_WRITE, ErrorOut, UtcDatetime
from rooms import services as rooms

from . import services


class DeviceTokenAuth(HttpBearer):
    """A device token made on /accounts/devices/ by the person the service captions for."""

    def authenticate(self, request: HttpRequest, token: str):
        return user_for_device_token(token)


class CaptionIn(Schema):
    # Paragraph: the platform's text rule; the service turns line breaks into spaces.
    text: Paragraph = Field(description=f"One caption line, at most {services.MAX_TEXT} characters",
                      examples=["Welcome to the opening plenary."])


class CaptionOut(Schema):
    id: int
    session: int
    text: str
    created_at: UtcDatetime


router = Router(tags=["captions"])


@router.post("/sessions/{session_id}/captions", auth=[DeviceTokenAuth(), session_auth],
             response={201: CaptionOut, 429: ErrorOut, **ERRORS_WRITE},
             summary="Write a live caption line (captioners)")
def post_caption(request: HttpRequest, session_id: int, payload: CaptionIn):
    session = services.captionable_session(session_id)
    # request.auth: the device token's person, or the logged-in person (the session cookie).
    return Status(201, services.post_caption(getattr(request, "auth", None), session, payload.text))


@router.get("/sessions/{session_id}/captions", response={200: list[CaptionOut], **ERRORS_WRITE},
            summary="The captions of a session so far (people who may be in its room)")
def list_captions(request: HttpRequest, session_id: int):
    session = services.captionable_session(session_id)
    room = getattr(session, "room", None)
    if room is None:
        raise NotFound(_("This session has no live room, hence no captions."))
    rooms.membership_for(request.user, room.pk)  # the same access as the room
    return [services.as_data(c) for c in services.since(session)]
