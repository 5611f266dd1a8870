"""Service functions for the programme: reading editions and sessions as a viewer
may see them, and organisers' changes to the programme."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference.errors import Forbidden, InvalidInput, NotFound

from .models import Edition, Session, Track
from .permissions import User, is_organiser
from .signals import send_session_saved

# Track colours given to new tracks in turn: distinct hues, each dark enough to read as a stripe
# and a swatch on white (contrast above 4.5:1).
TRACK_PALETTE = ["#0b5cad", "#1d7a3a", "#b3261e", "#7b3fa0", "#a35200", "#00727a", "#a3195b", "#5b6470"]
# What a calendar shows of a session: a change to any of them is a new revision (iCalendar SEQUENCE).
CALENDAR_FIELDS = {"title", "abstract", "starts_at", "ends_at", "location", "status", "attendance_format"}

SESSION_FIELDS = {
    "title", "slug", "abstract", "kind", "track", "language", "starts_at", "ends_at",
    "attendance_format", "location", "capacity", "access", "status",
}


def visible_editions(user: User) -> QuerySet[Edition]:
    editions = Edition.objects.select_related("series")
    if user.is_authenticated and user.is_superuser:
        return editions
    if user.is_authenticated:
        return editions.filter(
            ~Q(status=Edition.Status.DRAFT) | Q(roles__user=user, roles__role="organiser")
        ).distinct()
    return editions.exclude(status=Edition.Status.DRAFT)


def get_edition(slug: str, user: User) -> Edition:
    edition = visible_editions(user).filter(slug=slug).first()
    if edition is None:
        raise NotFound(f"No edition “{slug}”.")
    return edition


def current_edition() -> Edition | None:
    """The edition the home page shows: the next or running public edition, else the latest."""
    today = dt.date.today()
    public = Edition.objects.exclude(status=Edition.Status.DRAFT)
    return public.filter(end_date__gte=today).order_by("start_date").first() or public.first()


def past_editions() -> QuerySet[Edition]:
    return Edition.objects.exclude(status=Edition.Status.DRAFT).filter(end_date__lt=dt.date.today())


def edition_sessions(edition: Edition) -> QuerySet[Session]:
    return edition.sessions.prefetch_related("speakers__profile", "materials").select_related("room", "track")


def get_session(edition: Edition, slug: str) -> Session:
    session = edition_sessions(edition).filter(slug=slug).first()
    if session is None:
        raise NotFound(f"No session “{slug}” in {edition.title}.")
    return session


def get_session_by_id(session_id: int, user: User) -> Session:
    session = Session.objects.select_related("edition").filter(pk=session_id).first()
    if session is None or not (session.edition.is_public or is_organiser(user, session.edition)):
        raise NotFound(f"No session with id {session_id}.")
    return session


def happening_now(sessions, *, soon: dt.timedelta = dt.timedelta(hours=1)) -> list[Session]:
    """Sessions running now or starting within `soon`, for the edition home page."""
    now = timezone.now()
    return [s for s in sessions if not s.is_cancelled and s.starts_at < now + soon and s.ends_at > now]


@dataclass
class ProgrammeDay:
    date: dt.date
    sessions: list[Session] = field(default_factory=list)


def programme_days(edition: Edition, sessions: QuerySet[Session] | None = None) -> list[ProgrammeDay]:
    """Sessions grouped by calendar day at the venue (the edition's time zone)."""
    days: dict[dt.date, ProgrammeDay] = {}
    for session in sessions if sessions is not None else edition_sessions(edition):
        day = session.starts_at.astimezone(edition.tz).date()
        days.setdefault(day, ProgrammeDay(day)).sessions.append(session)
    return [days[d] for d in sorted(days)]


def session_days(edition: Edition) -> list[dt.date]:
    """The venue calendar days on which the edition has sessions."""
    moments = edition.sessions.values_list("starts_at", flat=True)
    return sorted({moment.astimezone(edition.tz).date() for moment in moments})


def _check_times(edition: Edition, session: Session) -> None:
    if session.starts_at is None or session.ends_at is None:
        raise InvalidInput("A session needs a start and an end time.", field="starts_at")
    if session.starts_at.tzinfo is None or session.ends_at.tzinfo is None:
        raise InvalidInput("Times must include a time zone offset.", field="starts_at")
    if session.ends_at <= session.starts_at:
        raise InvalidInput("The session must end after it starts.", field="ends_at")
    local_start = session.starts_at.astimezone(edition.tz).date()
    local_end = session.ends_at.astimezone(edition.tz).date()
    if local_start < edition.start_date or local_end > edition.end_date:
        raise InvalidInput(
            f"The session must take place during the edition ({edition.start_date} to {edition.end_date}, "
            f"{edition.time_zone}).",
            field="starts_at",
        )
    if session.location:
        clash = (
            Session.objects.filter(
                edition=edition,
                location__iexact=session.location,
                starts_at__lt=session.ends_at,
                ends_at__gt=session.starts_at,
            )
            .exclude(status=Session.Status.CANCELLED)
            .exclude(pk=session.pk)
            .first()
        )
        if clash:
            raise InvalidInput(
                f"{clash.location} is already used by “{clash.title}” at that time.", field="starts_at"
            )


def _validate(session: Session) -> None:
    try:
        session.full_clean(
            exclude=["edition", "speakers", "moderators", "invitees"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=name) from exc


def _unique_slug(edition: Edition, title: str) -> str:
    base = slugify(title)[:100] or "session"
    slug, n = base, 2
    while edition.sessions.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def resolve_track(edition: Edition, value: Track | str | None) -> Track | None:
    """The edition's track for a name (created with the next palette colour when new), or None."""
    if value is None or isinstance(value, Track):
        if value is not None and value.edition_id != edition.pk:
            raise InvalidInput(_("This track belongs to another edition."), field="track")
        return value
    name = " ".join(str(value).split())
    if not name:
        return None
    if len(name) > 100:
        raise InvalidInput(_("Track names are limited to 100 characters."), field="track")
    track = edition.tracks.filter(name__iexact=name).first()
    if track is None:
        base = slugify(name)[:90] or "track"
        slug, n = base, 2
        while edition.tracks.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        colour = TRACK_PALETTE[edition.tracks.count() % len(TRACK_PALETTE)]
        track = Track.objects.create(edition=edition, name=name, slug=slug, colour=colour)
    return track


@transaction.atomic
def create_session(actor: User, edition: Edition, **fields) -> Session:
    if not is_organiser(actor, edition):
        raise Forbidden("Only organisers of this edition can change its programme.")
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    if "track" in fields:
        fields["track"] = resolve_track(edition, fields["track"])
    session = Session(edition=edition, **fields)
    if not session.slug:
        session.slug = _unique_slug(edition, session.title)
    elif edition.sessions.filter(slug=session.slug).exists():
        raise InvalidInput(f"Another session already uses the address “{session.slug}”.", field="slug")
    _validate(session)
    _check_times(edition, session)
    session.save()
    send_session_saved(session)  # e.g. rooms give it a live room
    return session


@transaction.atomic
def update_session(actor: User, session: Session, **fields) -> Session:
    if not is_organiser(actor, session.edition):
        raise Forbidden("Only organisers of this edition can change its programme.")
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    session = Session.objects.select_for_update().get(pk=session.pk)
    previous_starts_at, previous_status = session.starts_at, session.status
    if "track" in fields:
        fields["track"] = resolve_track(session.edition, fields["track"])
    if any(getattr(session, name) != value for name, value in fields.items() if name in CALENDAR_FIELDS):
        session.sequence += 1  # calendars replace their copy of the event
    for name, value in fields.items():
        setattr(session, name, value)
    if "slug" in fields and session.edition.sessions.filter(slug=session.slug).exclude(pk=session.pk).exists():
        raise InvalidInput(f"Another session already uses the address “{session.slug}”.", field="slug")
    _validate(session)
    _check_times(session.edition, session)
    session.save()
    # Rooms follow the title; reminders follow a move or a cancellation and tell the people concerned.
    send_session_saved(session, previous_starts_at=previous_starts_at, previous_status=previous_status)
    return session


def set_people(actor: User, session: Session, *, speakers=None, moderators=None, invitees=None) -> None:
    if not is_organiser(actor, session.edition):
        raise Forbidden("Only organisers of this edition can change its programme.")
    if speakers is not None:
        session.speakers.set(speakers)
    if moderators is not None:
        session.moderators.set(moderators)
    if invitees is not None:
        session.invitees.set(invitees)


# --- speakers ---------------------------------------------------------------------------


def edition_speakers(edition: Edition) -> list:
    """The people speaking in the edition's sessions (cancelled ones aside), by name."""
    users = get_user_model().objects.filter(
        speaking_sessions__edition=edition, speaking_sessions__status=Session.Status.SCHEDULED,
    ).distinct().select_related("profile")
    return sorted(users, key=lambda u: (getattr(getattr(u, "profile", None), "name", "") or u.get_username()).lower())


def get_speaker(edition: Edition, person_id: int):
    """A speaker of the edition and their sessions in it; NotFound for anyone else (people who do
    not speak have no public page)."""
    sessions = list(edition_sessions(edition).filter(speakers__pk=person_id).exclude(
        status=Session.Status.CANCELLED).distinct())
    if not sessions:
        raise NotFound(_("Nobody with this number speaks at %(edition)s.") % {"edition": edition.title})
    user = get_user_model().objects.select_related("profile").get(pk=person_id)
    return user, sessions
