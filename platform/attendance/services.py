"""Registration for editions, enrolment in capacity-limited sessions with a
waiting list, and the personal agenda. Every change goes through here."""

import contextlib

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.errors import Conflict, Forbidden, InvalidInput, ServiceError
from people.verification import require_verified_email
from programme.models import Edition, Session
from programme.permissions import AccountUser, AnonymousUser, User

from . import signals
from .models import AttendanceMode, Bookmark, Enrolment, Registration


def _require_login(user: User) -> AccountUser:
    """The logged-in user (narrowed for the type checker), or a 403 asking to log in."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Forbidden("Please log in first.", code="login_required")
    return user


def modes_for(edition: Edition) -> list[AttendanceMode]:
    """The attendance modes an edition's format allows."""
    return [mode for mode in AttendanceMode if not (
        (mode == AttendanceMode.IN_PERSON and edition.format == Edition.Format.VIRTUAL)
        or (mode == AttendanceMode.ONLINE and edition.format == Edition.Format.PHYSICAL)
    )]


def _check_mode(edition: Edition, mode: str) -> None:
    if mode not in AttendanceMode.values:
        raise InvalidInput(
            f"Unknown attendance mode “{mode}”; choose one of: {', '.join(AttendanceMode.values)}.", field="mode"
        )
    if mode not in modes_for(edition):
        if edition.format == Edition.Format.VIRTUAL:
            raise InvalidInput("This edition is fully virtual: register to attend online.", field="mode")
        raise InvalidInput("This edition has no online participation: register to attend in person.", field="mode")


def registration_of(user: User, edition: Edition) -> Registration | None:
    if isinstance(user, AnonymousUser):
        return None
    return Registration.objects.filter(user=user, edition=edition, status=Registration.Status.CONFIRMED).first()


@transaction.atomic
def register(user: User, edition: Edition, mode: str) -> Registration:
    user = _require_login(user)
    require_verified_email(user)  # one confirmed address per person: no throwaway accounts
    if not edition.registration_open:
        raise Conflict(f"Registration for {edition.title} is not open.", code="registration_closed")
    _check_mode(edition, mode)
    existing = Registration.objects.select_for_update().filter(user=user, edition=edition).first()
    if existing and existing.is_active:
        raise Conflict(
            f"You are already registered for {edition.title} ({existing.get_mode_display().lower()}).",
            code="already_registered",
        )
    if existing:  # coming back after cancelling
        existing.mode, existing.status = mode, Registration.Status.CONFIRMED
        existing.save(update_fields=["mode", "status", "updated_at"])
        registration = existing
    else:
        registration = Registration.objects.create(user=user, edition=edition, mode=mode)
    # Registering late: reminders are scheduled only for what is still to come.
    signals.registration_changed.send(Registration, user=user, edition=edition)
    return registration


@transaction.atomic
def change_mode(user: User, edition: Edition, mode: str) -> Registration:
    user = _require_login(user)
    _check_mode(edition, mode)
    registration = Registration.objects.select_for_update().filter(
        user=user, edition=edition, status=Registration.Status.CONFIRMED
    ).first()
    if registration is None:
        raise Conflict(f"You are not registered for {edition.title}.", code="not_registered")
    registration.mode = mode
    registration.save(update_fields=["mode", "updated_at"])
    # Side-event places follow the registration: leaving and re-joining keeps the rules in one place.
    for enrolment in Enrolment.objects.filter(user=user, session__edition=edition).exclude(
        status=Enrolment.Status.CANCELLED
    ).select_related("session"):
        leave(user, enrolment.session)
        with contextlib.suppress(InvalidInput):  # the new mode cannot attend this session (in-person only)
            enrol(user, enrolment.session)
    # E.g. online attendees get the 15-minute reminder.
    signals.registration_changed.send(Registration, user=user, edition=edition)
    return registration


@transaction.atomic
def cancel_registration(user: User, edition: Edition) -> None:
    user = _require_login(user)
    registration = registration_of(user, edition)
    if registration is None:
        raise Conflict(f"You are not registered for {edition.title}.", code="not_registered")
    for enrolment in Enrolment.objects.filter(user=user, session__edition=edition).exclude(
        status=Enrolment.Status.CANCELLED
    ).select_related("session"):
        leave(user, enrolment.session)
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    signals.registration_changed.send(Registration, user=user, edition=edition)


def _takes_seat(session: Session, mode: str) -> bool:
    """Capacity counts seats: in-person places, or every place of an online-only session
    (e.g. a video call). Online participants of a hybrid session never wait for a seat."""
    return session.attendance_format == Session.AttendanceFormat.ONLINE or mode == AttendanceMode.IN_PERSON


def seats_taken(session: Session) -> int:
    enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED)
    if session.attendance_format != Session.AttendanceFormat.ONLINE:
        enrolled = enrolled.filter(mode=AttendanceMode.IN_PERSON)
    return enrolled.count()


def seats_left(session: Session) -> int | None:
    if session.capacity is None:
        return None
    return max(session.capacity - seats_taken(session), 0)


def may_attend(user: User, session: Session) -> bool:
    """Access rule of a session (used for enrolment and, later, for joining its room)."""
    if session.access == Session.Access.OPEN:
        return True
    if isinstance(user, AnonymousUser):
        return False
    if session.access == Session.Access.INVITED:
        return session.invitees.filter(pk=user.pk).exists()
    return registration_of(user, session.edition) is not None


def enrolment_refusal(user: User, session: Session) -> ServiceError | None:
    """Why `user` may not take a place in `session` now (the error `enrol` would raise), or None.
    The session page shows it instead of an Enrol button, so nobody clicks into a refusal."""
    if not session.takes_enrolment:
        return InvalidInput(_("This session needs no enrolment: add it to your agenda instead."), code="no_enrolment")
    if session.is_cancelled:
        return Conflict(_("This session has been cancelled."), code="session_cancelled")
    if session.ends_at <= timezone.now():
        return Conflict(_("This session is over."), code="session_over")
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Forbidden(_("Please log in first."), code="login_required")
    registration = registration_of(user, session.edition)
    if registration is None:
        return Conflict(_("Register for %(edition)s first.") % {"edition": session.edition.title},
                        code="not_registered")
    if session.access == Session.Access.INVITED and not session.invitees.filter(pk=user.pk).exists():
        return Forbidden(_("This session is by invitation only."), code="not_invited")
    if session.attendance_format == Session.AttendanceFormat.IN_PERSON and registration.mode == AttendanceMode.ONLINE:
        return InvalidInput(
            _("This session takes place in person only and you registered to attend online. To enrol, change "
              "your registration to in person."), code="mode_mismatch")
    return None


@transaction.atomic
def enrol(user: User, session: Session) -> Enrolment:
    """Take a place in a side event, or join its waiting list when it is full."""
    user = _require_login(user)
    session = Session.objects.select_for_update().select_related("edition").get(pk=session.pk)
    refusal = enrolment_refusal(user, session)
    if refusal is not None:
        raise refusal
    registration = registration_of(user, session.edition)
    assert registration is not None  # enrolment_refusal checked it
    mode = registration.mode
    if session.attendance_format == Session.AttendanceFormat.ONLINE:
        mode = AttendanceMode.ONLINE
    enrolment = Enrolment.objects.filter(user=user, session=session).first()
    if enrolment and enrolment.status != Enrolment.Status.CANCELLED:
        raise Conflict(
            f"You are already {enrolment.get_status_display().lower()} for this session.", code="already_enrolled"
        )
    full = (
        _takes_seat(session, mode) and session.capacity is not None and seats_taken(session) >= session.capacity
    )
    status = Enrolment.Status.WAITLISTED if full else Enrolment.Status.ENROLLED
    if enrolment is None:
        enrolment = Enrolment(user=user, session=session)
    enrolment.mode, enrolment.status, enrolment.requested_at = mode, status, timezone.now()
    enrolment.save()
    Bookmark.objects.get_or_create(user=user, session=session)
    signals.agenda_changed.send(Session, user=user, session=session)
    return enrolment


@transaction.atomic
def leave(user: User, session: Session) -> list[Enrolment]:
    """Give up a place (or a waiting-list spot); returns the enrolments promoted from the waiting list."""
    user = _require_login(user)
    session = Session.objects.select_for_update().get(pk=session.pk)
    enrolment = Enrolment.objects.filter(user=user, session=session).exclude(
        status=Enrolment.Status.CANCELLED
    ).first()
    if enrolment is None:
        raise Conflict("You are not enrolled in this session.", code="not_enrolled")
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    signals.agenda_changed.send(Session, user=user, session=session)
    return promote_waiting(session)


def promote_waiting(session: Session) -> list[Enrolment]:
    """Fill free seats from the waiting list, first come first served. Call inside a
    transaction holding the session row lock."""
    promoted = []
    for waiting in session.enrolments.filter(status=Enrolment.Status.WAITLISTED).order_by("requested_at", "id"):
        if _takes_seat(session, waiting.mode) and session.capacity is not None:  # noqa: SIM102 (narrows capacity)
            if seats_taken(session) >= session.capacity:
                break
        waiting.status = Enrolment.Status.ENROLLED
        waiting.save(update_fields=["status", "updated_at"])
        promoted.append(waiting)
    return promoted


def waiting_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != Enrolment.Status.WAITLISTED:
        return None
    ahead = enrolment.session.enrolments.filter(status=Enrolment.Status.WAITLISTED).filter(
        Q(requested_at__lt=enrolment.requested_at) | Q(requested_at=enrolment.requested_at, id__lt=enrolment.id)
    )
    return ahead.count() + 1


def enrolment_of(user: User, session: Session) -> Enrolment | None:
    if isinstance(user, AnonymousUser):
        return None
    return Enrolment.objects.filter(user=user, session=session).exclude(status=Enrolment.Status.CANCELLED).first()


def bookmark(user: User, session: Session) -> Bookmark:
    user = _require_login(user)
    if not session.edition.is_public:
        raise Forbidden("This edition is not published yet.")
    item, _ = Bookmark.objects.get_or_create(user=user, session=session)
    signals.agenda_changed.send(Session, user=user, session=session)
    return item


def remove_bookmark(user: User, session: Session) -> None:
    user = _require_login(user)
    deleted, _ = Bookmark.objects.filter(user=user, session=session).delete()
    if not deleted:
        raise Conflict("This session is not in your agenda.", code="not_bookmarked")
    signals.agenda_changed.send(Session, user=user, session=session)  # its unsent reminders go with it


def bookmarked_ids(user: User, edition: Edition | None = None) -> set[int]:
    if isinstance(user, AnonymousUser):
        return set()
    items = Bookmark.objects.filter(user=user)
    if edition is not None:
        items = items.filter(session__edition=edition)
    return set(items.values_list("session_id", flat=True))


def agenda(user: User, edition: Edition | None = None) -> QuerySet[Session]:
    """The personal agenda: bookmarked sessions and sessions with a place, in time order."""
    sessions = Session.objects.filter(
        Q(bookmarks__user=user) | Q(enrolments__user=user, enrolments__status=Enrolment.Status.ENROLLED)
    )
    if edition is not None:
        sessions = sessions.filter(edition=edition)
    return sessions.distinct().select_related("edition", "room").order_by("starts_at")
