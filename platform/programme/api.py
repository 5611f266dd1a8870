"""JSON API for the programme: editions and sessions. Thin layer over programme.services.

Also holds the schema pieces the other API routers share (error body, UTC datetimes),
since attendance.api depends on programme.api and not the other way round."""

import datetime as dt
from typing import Annotated, Literal, get_args

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, AwareDatetime, Strict, field_validator

from conference.api_auth import session_auth
from conference.schema import Id, Line, Paragraph

from . import extensions, services
from .models import Edition, Session


def _to_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


# Every moment the API sends is ISO 8601 in UTC ("2030-09-26T07:00:00Z"); the edition's
# `time_zone` travels alongside so clients can render venue-local time.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]

# Literal types (not the models' TextChoices) so that the OpenAPI document gets one
# uniquely named enum per field instead of several colliding "Status"/"Kind" schemas.
EditionFormat = Literal["virtual", "physical", "hybrid"]
EditionStatus = Literal["draft", "published", "open", "archived"]
SessionKind = Literal["plenary", "panel", "workshop", "side_event", "matchmaking"]
SessionFormat = Literal["in_person", "online", "hybrid"]
SessionAccess = Literal["open", "registered", "invited"]
SessionStatus = Literal["scheduled", "cancelled"]

for _literal, _choices in [
    (EditionFormat, Edition.Format), (EditionStatus, Edition.Status), (SessionKind, Session.Kind),
    (SessionFormat, Session.AttendanceFormat), (SessionAccess, Session.Access), (SessionStatus, Session.Status),
]:
    if set(get_args(_literal)) != set(_choices.values):  # keep the API in step with the models
        raise RuntimeError(f"API choices {get_args(_literal)} differ from the model's {_choices.values}")


class ErrorOut(Schema):
    """Every error the API returns: a stable code, a human message, and the offending field if any."""

    code: str = Field(examples=["invalid"])
    message: str = Field(examples=["The session must end after it starts."])
    field: str | None = Field(None, examples=["ends_at"])


class Problem(Schema):
    field: str = Field(examples=["starts_at"])
    message: str = Field(examples=["Input should have timezone info"])
    type: str
    loc: list[str | int] = Field(description="Where ninja found it: body, query or path, then the field")


class ValidationErrorOut(ErrorOut):
    """422: the request does not match the schema. `message` lists every problem; `field` is the first."""

    code: str = Field(examples=["validation_error"])
    detail: list[Problem]


ERRORS_READ = {404: ErrorOut, 422: ValidationErrorOut}
ERRORS_WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


# --- editions ---------------------------------------------------------------------------


class EditionOut(Schema):
    slug: str
    series: str = Field(description="Name of the conference series")
    number: int
    year: int
    title: str
    theme: str
    description: str
    hosts: str
    format: EditionFormat
    time_zone: str = Field(description="IANA time zone of the venue; session times are local to it")
    venue_name: str
    venue_address: str
    city: str
    start_date: dt.date
    end_date: dt.date
    status: EditionStatus
    registration_open: bool

    @staticmethod
    def resolve_series(obj: Edition) -> str:
        return obj.series.name


# --- sessions ---------------------------------------------------------------------------


class SpeakerOut(Schema):
    name: str
    organisation: str


class SessionOut(Schema):
    id: int
    edition: str = Field(description="Slug of the edition")
    time_zone: str = Field(description="The edition's IANA time zone, for rendering venue-local times")
    slug: str
    title: str
    abstract: str
    kind: SessionKind
    track: str = Field(description="Name of the session's track (theme); empty when it has none")
    track_color: str | None = Field(description="The track's colour, #rrggbb; null without a track")
    language: str
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    attendance_format: SessionFormat
    location: str = Field(description="Physical room or hall at the venue")
    capacity: int | None = Field(description="Seats; null means no limit")
    seats_left: int | None = Field(description="Seats still free; null when the session has no limit")
    access: SessionAccess
    status: SessionStatus
    speakers: list[SpeakerOut]

    @staticmethod
    def resolve_edition(obj: Session) -> str:
        return obj.edition.slug

    @staticmethod
    def resolve_track(obj: Session) -> str:
        return obj.track.name if obj.track else ""

    @staticmethod
    def resolve_track_color(obj: Session) -> str | None:
        return obj.track.colour if obj.track else None

    @staticmethod
    def resolve_time_zone(obj: Session) -> str:
        return obj.edition.time_zone

    @staticmethod
    def resolve_seats_left(obj: Session) -> int | None:
        return extensions.session_facts.collect(obj).get("seats_left")  # attendance's contribution

    @staticmethod
    def resolve_speakers(obj: Session) -> list[dict]:
        speakers = []
        for user in obj.speakers.all():
            profile = getattr(user, "profile", None)
            speakers.append({
                "name": profile.name if profile else user.get_full_name(),
                "organisation": profile.organisation if profile else "",
            })
        return speakers


# Text follows the platform's text rule (conference.text): no control characters, one line
# except the abstract. A count is a JSON number, never a string or a boolean.
Capacity = Annotated[int, Strict(), Field(ge=0, le=2**31 - 1)]


class SessionIn(Schema):
    title: Line = Field(min_length=1, max_length=250)
    slug: Line | None = Field(None, max_length=120, description="Generated from the title when left out")
    abstract: Paragraph = Field("", max_length=10000)
    kind: SessionKind = "plenary"
    track: Line = Field("", max_length=100, description="A track's name; a new name adds the track")
    language: Line = Field("en", max_length=8)
    starts_at: AwareDatetime = Field(description="ISO 8601 with an offset, e.g. 2030-09-26T09:00:00+02:00")
    ends_at: AwareDatetime
    attendance_format: SessionFormat = "hybrid"
    location: Line = Field("", max_length=200)
    capacity: Capacity | None = None
    access: SessionAccess = "registered"
    status: SessionStatus = "scheduled"


class SessionPatch(Schema):
    """Only the fields sent are changed. `null` is accepted only for capacity (no limit)."""

    title: Line | None = Field(None, min_length=1, max_length=250)
    slug: Line | None = Field(None, max_length=120)
    abstract: Paragraph | None = Field(None, max_length=10000)
    kind: SessionKind | None = None
    track: Line | None = Field(None, max_length=100)
    language: Line | None = Field(None, max_length=8)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    attendance_format: SessionFormat | None = None
    location: Line | None = Field(None, max_length=200)
    capacity: Capacity | None = Field(None, description="null removes the limit")
    access: SessionAccess | None = None
    status: SessionStatus | None = None

    # The None defaults only mean "left out" (handlers use exclude_unset); defaults are not
    # validated, so this refuses an explicit null for every field except capacity.
    @field_validator(
        "title", "slug", "abstract", "kind", "track", "language", "starts_at", "ends_at",
        "attendance_format", "location", "access", "status", mode="before",
    )
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value


class SessionFilter(Schema):
    kind: SessionKind | None = None
    day: dt.date | None = Field(None, description="Calendar day at the venue (edition's time zone), YYYY-MM-DD")


router = Router(tags=["programme"])


@router.get("/editions", response=list[EditionOut], summary="Public editions")
def list_editions(request: HttpRequest):
    return services.visible_editions(request.user)


@router.get("/editions/{slug}", response={200: EditionOut, **ERRORS_READ})
def edition_detail(request: HttpRequest, slug: Line):
    return services.get_edition(slug, request.user)


@router.get("/editions/{slug}/sessions", response={200: list[SessionOut], **ERRORS_READ}, summary="Programme")
def list_sessions(request: HttpRequest, slug: Line, filters: Query[SessionFilter]):
    edition = services.get_edition(slug, request.user)
    sessions = services.edition_sessions(edition).select_related("edition")
    if filters.kind:
        sessions = sessions.filter(kind=filters.kind)
    if filters.day:
        start = dt.datetime.combine(filters.day, dt.time(), tzinfo=edition.tz)
        end = dt.datetime.combine(filters.day + dt.timedelta(days=1), dt.time(), tzinfo=edition.tz)
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    return sessions


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS_READ})
def session_detail(request: HttpRequest, session_id: Id):
    return services.get_session_by_id(session_id, request.user)


@router.post(
    "/editions/{slug}/sessions", auth=session_auth, response={201: SessionOut, **ERRORS_WRITE},
    summary="Add a session (organisers)",
)
def create_session(request: HttpRequest, slug: Line, payload: SessionIn):
    edition = services.get_edition(slug, request.user)
    fields = payload.model_dump(exclude_unset=True)
    return Status(201, services.create_session(request.user, edition, **fields))


@router.patch(
    "/sessions/{session_id}", auth=session_auth, response={200: SessionOut, **ERRORS_WRITE},
    summary="Change a session (organisers)",
)
def update_session(request: HttpRequest, session_id: Id, payload: SessionPatch):
    session = services.get_session_by_id(session_id, request.user)
    return services.update_session(request.user, session, **payload.model_dump(exclude_unset=True))
