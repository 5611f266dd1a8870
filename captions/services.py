"""Writing and reading live captions. Captioners are the session's moderators, the edition's
organisers and moderators, and people given the edition's Captioner role; a captioning service
acts as one of them with a device token. Lines are checked (length, control characters) and
rate-limited per captioner and session, saved, then broadcast to the room as `caption.added`."""

import datetime as dt
import re

from django.db import transaction
from django.utils.translation import gettext as _

from conference.errors import Conflict, Forbidden, NotFound, TooManyRequests
from conference.text import clean_text
from programme.models import EditionRole, Session
from programme.permissions import AnonymousUser, User, can_moderate
from realtime import broadcast, ratelimit
from rooms.models import Room

from .models import Caption

MAX_TEXT = 500
RATE_LIMIT = 20  # lines per captioner and session ...
RATE_WINDOW = 10  # ... per this many seconds: a service sends a line every half second at most
RECENT = 5  # lines a joining client gets
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def may_caption(user: User | None, session: Session) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return can_moderate(user, session) or EditionRole.objects.filter(
        edition=session.edition, user=user, role=EditionRole.Role.CAPTIONER).exists()


def captionable_session(session_id: int) -> Session:
    session = Session.objects.select_related("edition").filter(pk=session_id).first()
    if session is None or not session.edition.is_public:
        raise NotFound(_("No session with id %(id)s.") % {"id": session_id})
    return session


def _clean(text: str) -> str:
    """One line under the platform's text rule; line breaks a service sends become spaces."""
    if isinstance(text, str):
        text = _LINE_BREAKS.sub(" ", text)
    return clean_text(text, max_length=MAX_TEXT, what="caption", field="text")


def as_data(caption: Caption) -> dict:
    return {"id": caption.pk, "session": caption.session_id, "text": caption.text,
            "created_at": caption.created_at.isoformat()}


@transaction.atomic
def post_caption(user: User | None, session: Session, text: str) -> dict:
    if user is None or isinstance(user, AnonymousUser) or not may_caption(user, session):
        raise Forbidden(_("Only the session's captioners and moderators can write its captions."),
                        code="not_captioner")
    if session.is_cancelled:
        raise Conflict(_("This session has been cancelled."), code="session_cancelled")
    if not session.has_online_part:
        raise Conflict(_("This session takes place in the hall only: it has no stage to caption."),
                       code="no_stage")
    text = _clean(text)
    wait = ratelimit.hit(f"{{captions:{session.pk}}}:rate:{user.pk}", RATE_LIMIT, RATE_WINDOW)
    if wait is not None:
        raise TooManyRequests(
            _("Captions are coming too fast (more than %(n)d lines in %(s)d seconds): wait %(wait)d s.")
            % {"n": RATE_LIMIT, "s": RATE_WINDOW, "wait": wait}, retry_after=wait)
    caption = Caption.objects.create(session=session, text=text, author=user)
    data = as_data(caption)
    room_id = Room.objects.filter(session=session).values_list("pk", flat=True).first()
    if room_id is not None:
        broadcast.after_commit(broadcast.publish, room_id, "caption.added", data)
    return data


def recent(session: Session | None, limit: int = RECENT) -> list[dict]:
    if session is None:
        return []
    lines = list(Caption.objects.filter(session=session).order_by("-created_at", "-id")[:limit])
    return [as_data(c) for c in reversed(lines)]


def since(session: Session, start: dt.datetime | None = None) -> list[Caption]:
    captions = Caption.objects.filter(session=session)
    if start is not None:
        captions = captions.filter(created_at__gte=start)
    return list(captions.order_by("created_at", "id"))
