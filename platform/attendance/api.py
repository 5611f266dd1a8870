"""JSON API for a person's own registration, enrolments and agenda. Thin layer over
attendance.services; every operation here needs a logged-in session."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from conference.api_auth import session_auth
from conference.errors import NotFound
from conference.schema import Id, Line
from programme import services as programme
from programme.api import ERRORS_WRITE, SessionOut, UtcDatetime

from . import services
from .models import Enrolment, Registration

AttendanceModeIn = Literal["in_person", "online"]


class RegistrationOut(Schema):
    edition: str = Field(description="Slug of the edition")
    mode: AttendanceModeIn
    status: Literal["confirmed", "cancelled"]
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @staticmethod
    def resolve_edition(obj: Registration) -> str:
        return obj.edition.slug


class RegistrationIn(Schema):
    mode: AttendanceModeIn = Field(description="How you attend: in person at the venue, or online")


class EnrolmentOut(Schema):
    session_id: int
    status: Literal["enrolled", "waitlisted"]
    mode: AttendanceModeIn
    waiting_position: int | None = Field(description="1 = next to get a seat; null when enrolled")
    seats_left: int | None
    requested_at: UtcDatetime

    @staticmethod
    def resolve_waiting_position(obj: Enrolment) -> int | None:
        return services.waiting_position(obj)

    @staticmethod
    def resolve_seats_left(obj: Enrolment) -> int | None:
        return services.seats_left(obj.session)


class AgendaFilter(Schema):
    edition: Line | None = Field(None, description="Only sessions of this edition (slug)")


router = Router(tags=["attendance"], auth=session_auth)


# --- registration -----------------------------------------------------------------------


@router.get("/editions/{slug}/registration", response={200: RegistrationOut, **ERRORS_WRITE})
def get_registration(request: HttpRequest, slug: Line):
    edition = programme.get_edition(slug, request.user)
    registration = services.registration_of(request.user, edition)
    if registration is None:
        raise NotFound(f"You are not registered for {edition.title}.", code="not_registered")
    return registration


@router.post("/editions/{slug}/registration", response={201: RegistrationOut, **ERRORS_WRITE})
def register(request: HttpRequest, slug: Line, payload: RegistrationIn):
    edition = programme.get_edition(slug, request.user)
    return Status(201, services.register(request.user, edition, payload.mode))


@router.patch(
    "/editions/{slug}/registration", response={200: RegistrationOut, **ERRORS_WRITE}, summary="Change attendance mode"
)
def change_mode(request: HttpRequest, slug: Line, payload: RegistrationIn):
    edition = programme.get_edition(slug, request.user)
    return services.change_mode(request.user, edition, payload.mode)


@router.delete("/editions/{slug}/registration", response={204: None, **ERRORS_WRITE})
def cancel_registration(request: HttpRequest, slug: Line):
    edition = programme.get_edition(slug, request.user)
    services.cancel_registration(request.user, edition)
    return Status(204, None)


# --- enrolment in capacity-limited sessions ---------------------------------------------


@router.get("/sessions/{session_id}/enrolment", response={200: EnrolmentOut, **ERRORS_WRITE})
def get_enrolment(request: HttpRequest, session_id: Id):
    session = programme.get_session_by_id(session_id, request.user)
    enrolment = services.enrolment_of(request.user, session)
    if enrolment is None:
        raise NotFound("You are not enrolled in this session.", code="not_enrolled")
    return enrolment


@router.post(
    "/sessions/{session_id}/enrolment", response={201: EnrolmentOut, **ERRORS_WRITE},
    summary="Take a seat, or join the waiting list when full",
)
def enrol(request: HttpRequest, session_id: Id):
    session = programme.get_session_by_id(session_id, request.user)
    return Status(201, services.enrol(request.user, session))


@router.delete(
    "/sessions/{session_id}/enrolment", response={204: None, **ERRORS_WRITE},
    summary="Give up a seat or waiting-list place (the next person waiting moves up)",
)
def leave(request: HttpRequest, session_id: Id):
    session = programme.get_session_by_id(session_id, request.user)
    services.leave(request.user, session)
    return Status(204, None)


# --- personal agenda --------------------------------------------------------------------


@router.get("/agenda", response={200: list[SessionOut], **ERRORS_WRITE}, summary="Own agenda")
def agenda(request: HttpRequest, filters: Query[AgendaFilter]):
    edition = programme.get_edition(filters.edition, request.user) if filters.edition else None
    return services.agenda(request.user, edition).prefetch_related("speakers__profile")


@router.put("/agenda/{session_id}", response={200: SessionOut, **ERRORS_WRITE}, summary="Add to agenda")
def add_to_agenda(request: HttpRequest, session_id: Id):
    session = programme.get_session_by_id(session_id, request.user)
    services.bookmark(request.user, session)
    return session


@router.delete("/agenda/{session_id}", response={204: None, **ERRORS_WRITE}, summary="Remove from agenda")
def remove_from_agenda(request: HttpRequest, session_id: Id):
    session = programme.get_session_by_id(session_id, request.user)
    services.remove_bookmark(request.user, session)
    return Status(204, None)

