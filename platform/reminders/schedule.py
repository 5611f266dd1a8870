"""Which reminders a person should have for a session, and keeping the rows in line with
that whenever the agenda, the registration, the preferences or the session change.

One reconciling function (`sync`) serves every trigger, so the rules live in one place:
a person is reminded of the sessions in their personal agenda (bookmarked, or a place
booked) of an edition they are registered for (or open sessions), by the rules that apply
to them, for reminder times still in the future."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from attendance.models import AttendanceMode, Bookmark, Enrolment, Registration
from programme.models import Edition, Session

from .models import EditionReminderSettings, Reminder, ReminderPreference
from .rules import EMAIL, Rule, rules_from_json

Status = Reminder.Status
# Rows not yet handed to a worker's SMTP client: they may still be moved or dropped. A row
# in `sending` is left alone, its worker finishes it (and re-checks the session first).
UNSENT = (Status.PENDING, Status.QUEUED)


def new_key() -> str:
    return uuid.uuid4().hex


def preference_of(user) -> ReminderPreference | None:
    return ReminderPreference.objects.filter(user=user).first()


def edition_rules(edition: Edition) -> list[Rule]:
    settings = EditionReminderSettings.objects.filter(edition=edition).first()
    return rules_from_json(settings.rules if settings else None)


def effective_rules(user, edition: Edition, mode: str, preference: ReminderPreference | None) -> list[Rule]:
    if preference is not None and not preference.enabled:
        return []
    if preference is not None and preference.rules is not None:
        rules = rules_from_json(preference.rules)
    else:
        rules = [r for r in edition_rules(edition) if not r.online_only or mode == AttendanceMode.ONLINE]
    if preference is not None and not preference.emails:
        rules = [Rule(r.minutes, tuple(c for c in r.channels if c != EMAIL)) for r in rules]
    return [r for r in rules if r.channels]


def attendance_mode(user, session: Session) -> str:
    """How the person takes part in this session: the session's only format, else their
    place's mode, else their registration's; someone unregistered following an open
    hybrid session is taken to watch it online."""
    if session.attendance_format == Session.AttendanceFormat.ONLINE:
        return AttendanceMode.ONLINE
    if session.attendance_format == Session.AttendanceFormat.IN_PERSON:
        return AttendanceMode.IN_PERSON
    enrolment = Enrolment.objects.filter(user=user, session=session).exclude(
        status=Enrolment.Status.CANCELLED).first()
    if enrolment:
        return enrolment.mode
    registration = _registration(user, session.edition)
    return registration.mode if registration else AttendanceMode.ONLINE


def _registration(user, edition: Edition) -> Registration | None:
    return Registration.objects.filter(user=user, edition=edition, status=Registration.Status.CONFIRMED).first()


def follows(user, session: Session) -> bool:
    """The session is in the person's agenda, and they take part in the edition."""
    in_agenda = (
        Bookmark.objects.filter(user=user, session=session).exists()
        or Enrolment.objects.filter(user=user, session=session, status=Enrolment.Status.ENROLLED).exists()
    )
    if not in_agenda:
        return False
    return session.access == Session.Access.OPEN or _registration(user, session.edition) is not None


def wanted(user, session: Session, now: dt.datetime) -> dict[tuple[int, str], dt.datetime]:
    """(minutes before, channel) → due time, for every reminder the person should get."""
    if session.is_cancelled or session.starts_at <= now or not follows(user, session):
        return {}
    rules = effective_rules(user, session.edition, attendance_mode(user, session), preference_of(user))
    return {
        (rule.minutes, channel): session.starts_at - dt.timedelta(minutes=rule.minutes)
        for rule in rules
        for channel in rule.channels
    }


def _arm(row: Reminder, due: dt.datetime) -> None:
    """(Re)schedule a row for `due`, as a fresh delivery with a new idempotency key."""
    row.due_at = row.next_attempt_at = due
    row.status, row.attempts, row.last_error = Status.PENDING, 0, ""
    row.sent_at, row.claimed_by, row.locked_until = None, "", None
    row.idempotency_key = new_key()


@transaction.atomic
def sync(user, session: Session, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    want = wanted(user, session, now)
    rows = {
        (r.minutes_before, r.channel): r
        for r in Reminder.objects.select_for_update().filter(kind=Reminder.Kind.REMINDER, user=user, session=session)
    }
    for key, row in rows.items():
        if key in want:
            continue
        if row.status in UNSENT:
            if session.is_cancelled:
                row.status, row.last_error = Status.CANCELLED, "The session was cancelled."
                row.save(update_fields=["status", "last_error", "updated_at"])
            else:  # left the agenda, or preferences changed: the reminder is no longer wanted
                row.delete()
    for key, due in want.items():
        existing = rows.get(key)
        if existing is None:
            if due > now:  # registering late: only the reminders still in the future
                Reminder.objects.create(
                    user=user, session=session, kind=Reminder.Kind.REMINDER, channel=key[1], minutes_before=key[0],
                    due_at=due, next_attempt_at=due, idempotency_key=new_key(),
                )
            continue
        if existing.due_at == due and existing.status != Status.CANCELLED:
            continue
        if due > now and existing.status != Status.SENDING:
            _arm(existing, due)  # moved (a sent reminder whose new time is ahead is sent again), or restored
            existing.save()
        elif existing.status in UNSENT:
            existing.status = Status.SKIPPED
            existing.last_error = "The session moved: this reminder's time had passed."
            existing.save(update_fields=["status", "last_error", "updated_at"])


def concerned_users(session: Session) -> list:
    """Everyone whose agenda holds the session, or who has reminders about it."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        Q(bookmarks__session=session)
        | Q(enrolments__session=session, enrolments__status=Enrolment.Status.ENROLLED)
        | Q(reminders__session=session, reminders__status__in=UNSENT)
    )
    return list(users.distinct().select_related("profile").order_by("pk"))


def sync_session(session: Session, now: dt.datetime | None = None) -> list:
    users = concerned_users(session)
    for user in users:
        sync(user, session, now)
    return users


def sync_user(user, sessions: Iterable[Session] | None = None, now: dt.datetime | None = None) -> None:
    """Re-sync a person's future sessions (after a preference change or a registration)."""
    now = now or timezone.now()
    if sessions is None:
        sessions = Session.objects.filter(
            Q(bookmarks__user=user) | Q(enrolments__user=user) | Q(reminders__user=user, reminders__status__in=UNSENT),
            ends_at__gt=now,
        ).distinct().select_related("edition")
    for session in sessions:
        sync(user, session, now)
