"""Service functions of reminders and notifications: what views, admin, tasks and the
other apps call. The work is done in schedule (which rows should exist), dispatch
(claiming and sending rows), mail, notifications and announcements."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from conference.errors import Forbidden, InvalidInput
from programme.models import Edition, Session
from programme.permissions import AnonymousUser, User, is_organiser

from . import mail, schedule
from .announcements import announce, check_announcement  # noqa: F401 (part of this API)
from .dispatch import DispatchResult, dispatch_due, send_reminder  # noqa: F401 (part of this API)
from .models import EditionReminderSettings, Reminder, ReminderPreference
from .notifications import mark_all_read, notifications_of, notify, open_notification, unread_count  # noqa: F401
from .rules import CHANNELS, Rule, check_channels, check_rules, parse_offsets, rules_from_json, rules_to_json

Status = Reminder.Status
Kind = Reminder.Kind

# --- hooks called by attendance and programme services ------------------------------------


def agenda_changed(user: User, session: Session) -> None:
    """A session entered or left the person's agenda (bookmark, place booked or given up)."""
    if isinstance(user, AnonymousUser):
        return
    schedule.sync(user, session)


def registration_changed(user: User, edition: Edition) -> None:
    """Registered (late, too), changed mode or cancelled: re-sync the edition's sessions."""
    if isinstance(user, AnonymousUser):
        return
    sessions = Session.objects.filter(edition=edition, ends_at__gt=timezone.now()).filter(
        Q(bookmarks__user=user) | Q(enrolments__user=user) | Q(reminders__user=user)
    ).distinct().select_related("edition")
    schedule.sync_user(user, sessions)


@transaction.atomic
def session_changed(session: Session, *, previous_starts_at: dt.datetime, previous_status: str) -> None:
    """A session was saved by organisers. Moving it reschedules the unsent reminders and
    tells the people concerned; cancelling it cancels them and tells them; un-cancelling
    brings the reminders back. Notices go out through the dispatcher like reminders."""
    now = timezone.now()
    moved = session.starts_at != previous_starts_at
    cancelled = session.is_cancelled and previous_status != Session.Status.CANCELLED
    restored = not session.is_cancelled and previous_status == Session.Status.CANCELLED
    if not (moved or cancelled or restored):
        return
    users = schedule.sync_session(session, now)
    if session.ends_at <= now:
        return  # editing the past (a correction): nobody needs telling
    # An older notice still waiting is superseded by this one.
    Reminder.objects.filter(session=session, kind=Kind.TIME_CHANGED, status__in=schedule.UNSENT).update(
        status=Status.CANCELLED, last_error="Superseded by a later change.", updated_at=now)
    if cancelled:
        _notice(users, session, Kind.CANCELLED, now)
    elif moved or restored:
        _notice(users, session, Kind.TIME_CHANGED, now, previous_starts_at if moved else None)


def _notice(users: list, session: Session, kind: str, now: dt.datetime,
            previous_starts_at: dt.datetime | None = None) -> None:
    """In-app for everyone concerned, and email unless they unsubscribed: a change of plan
    is not a reminder, so it reaches people who turned reminders off too."""
    opted_out = set(ReminderPreference.objects.filter(user__in=users, emails=False).values_list("user_id", flat=True))
    rows = [
        Reminder(user=user, session=session, kind=kind, channel=channel, due_at=now, next_attempt_at=now,
                 previous_starts_at=previous_starts_at, idempotency_key=schedule.new_key())
        for user in users
        for channel in CHANNELS
        if not (channel == Reminder.Channel.EMAIL and user.pk in opted_out)
    ]
    Reminder.objects.bulk_create(rows, batch_size=500)


# --- personal preferences ------------------------------------------------------------------


@dataclass
class Preferences:
    mode: str  # default | custom | off
    offsets: list[int]
    channels: tuple[str, ...]
    emails: bool


PREFERENCE_MODES = ("default", "custom", "off")


def preferences_of(user: User) -> Preferences:
    preference = schedule.preference_of(user)
    if preference is None or (preference.enabled and preference.rules is None):
        mode = "default"
    else:
        mode = "custom" if preference.enabled else "off"
    rules = rules_from_json(preference.rules if preference else None)
    channels = tuple(c for c in CHANNELS if any(c in r.channels for r in rules))
    return Preferences(mode, [r.minutes for r in rules], channels, preference.emails if preference else True)


@transaction.atomic
def set_preferences(user: User, *, mode: str, offsets: str | list | None = None,
                    channels: list[str] | None = None) -> Preferences:
    """Use the edition's defaults, your own reminder times and channels, or no reminders.
    Existing unsent reminders follow at once."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Forbidden("Please log in first.", code="login_required")
    if mode not in PREFERENCE_MODES:
        raise InvalidInput(f"Unknown choice “{mode}”; choose one of: {', '.join(PREFERENCE_MODES)}.", field="mode")
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.enabled = mode != "off"
    if mode == "custom":
        minutes = parse_offsets(offsets if offsets is not None else "")
        chosen = check_channels(channels or [])
        preference.rules = rules_to_json(Rule(m, chosen) for m in minutes)
        if "email" in chosen:
            preference.emails = True  # choosing email again undoes an unsubscribe
    elif mode == "default":
        preference.rules = None
    preference.save()
    schedule.sync_user(user)
    return preferences_of(user)


def unsubscribe_url(user: User) -> str:
    return mail.unsubscribe_url(user)


def user_for_unsubscribe(token: str):
    """The person a one-click unsubscribe link belongs to; InvalidInput if tampered with."""
    try:
        user_id = mail.user_id_from_token(token)
    except signing.BadSignature as exc:
        raise InvalidInput(
            "This unsubscribe link is damaged or incomplete. Copy the whole link from the email, or log in "
            "and change your reminders on the Reminders page.",
            code="bad_link",
        ) from exc
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidInput("This unsubscribe link belongs to an account that no longer exists.", code="bad_link")
    return user


@transaction.atomic
def unsubscribe(token: str):
    """One-click unsubscribe from reminder emails (in-app reminders continue)."""
    user = user_for_unsubscribe(token)
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    if preference.emails:
        preference.emails = False
        preference.save(update_fields=["emails", "updated_at"])
        schedule.sync_user(user)
    return user


def upcoming_reminders(user: User) -> QuerySet[Reminder]:
    if isinstance(user, AnonymousUser):
        return Reminder.objects.none()
    return Reminder.objects.filter(
        user=user, kind=Kind.REMINDER, status__in=schedule.UNSENT, session__starts_at__gt=timezone.now(),
    ).select_related("session__edition").order_by("due_at")


# --- edition defaults (organisers) -------------------------------------------------------------


def edition_defaults(edition: Edition) -> list[Rule]:
    return schedule.edition_rules(edition)


def check_edition_defaults(actor: User, edition: Edition, rules: list[Rule] | list[dict]) -> list[Rule]:
    if not is_organiser(actor, edition):
        raise Forbidden("Only organisers of this edition can change its reminder defaults.")
    return check_rules(rules)


@transaction.atomic
def set_edition_defaults(actor: User, edition: Edition, rules: list[Rule] | list[dict]) -> list[Rule]:
    """Organisers change an edition's default reminders; future reminders of everyone
    following the defaults are rescheduled."""
    checked = check_edition_defaults(actor, edition, rules)
    EditionReminderSettings.objects.update_or_create(edition=edition, defaults={"rules": rules_to_json(checked)})
    now = timezone.now()
    for session in Session.objects.filter(edition=edition, starts_at__gt=now).select_related("edition"):
        schedule.sync_session(session, now)
    return checked
