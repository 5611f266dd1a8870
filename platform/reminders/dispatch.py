"""Dispatching due rows and sending them, safe against every worker crash and race.

- The dispatcher claims due rows with a conditional UPDATE (`pending` → `queued`, tagged
  with a token of this run), so two dispatchers never claim the same row; on PostgreSQL it
  first locks candidates with SELECT … FOR UPDATE SKIP LOCKED so concurrent dispatchers
  take different rows instead of waiting on each other. SQLite serialises writers.
- A send task claims its row again (`queued` → `sending`, with a token of this attempt): a
  redelivered or duplicated message finds the row taken and does nothing.
- Every claim has a short lease (`locked_until`, REMINDERS_LEASE_SECONDS, 30 s by default).
  While a worker sends, a heartbeat renews its claim every third of the lease, so a live
  worker, however slow its mail server, is never overtaken; a worker that dies stops renewing,
  and the next dispatcher after the lease hands its row out again: a reminder a dead worker
  held goes out within about a lease and a dispatcher interval, well inside the shortest lead
  time (1 minute; a system check warns when the settings break that). A queued row whose
  message waits longer than the lease behind a backlog is handed out again too: its second
  message finds the row taken and does nothing.
- Transient SMTP failures put the row back to `pending` with a later `next_attempt_at`
  (exponential backoff), so retries are rows too, not ETA messages held by a worker.
"""

import contextlib
import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from programme.ics import session_url
from programme.models import Session

from . import mail
from .models import Reminder, ReminderPreference
from .notifications import notify

logger = logging.getLogger(__name__)
Status = Reminder.Status
Kind = Reminder.Kind


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS)


@contextlib.contextmanager
def holding(reminder_id: int, token: str) -> Iterator[None]:
    """Renew the claim `token` on a `sending` row every third of the lease until the block
    ends. Runs in a thread with its own database connection, which it opens only when a send
    lasts that long; it stops by itself if the claim was lost."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.REMINDERS_LEASE_SECONDS / 3):
                renewed = Reminder.objects.filter(id=reminder_id, status=Status.SENDING, claimed_by=token).update(
                    locked_until=timezone.now() + lease())
                if not renewed:
                    logger.warning("reminder %s: claim lost while sending", reminder_id)
                    return
        except Exception:  # the database is unreachable: the claim lapses, the row is handed out again
            logger.warning("reminder %s: could not renew the claim", reminder_id, exc_info=True)
        finally:
            connection.close()  # this thread's connection

    heartbeat = threading.Thread(target=renew, name=f"reminder-{reminder_id}-lease", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the n-th failed attempt: base, 2×base, 4×base… capped at 15 minutes."""
    seconds = settings.REMINDERS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 15 * 60))


@dataclass
class DispatchResult:
    claimed: int = 0
    skipped: int = 0
    recovered: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def dispatch_due(enqueue: Callable[[int], None], *, now: dt.datetime | None = None,
                 limit: int | None = None) -> DispatchResult:
    """One dispatcher run: recover rows of dead workers, skip what is no longer useful,
    claim what is due and hand each row's id to `enqueue` (the beat task queues one send
    task per row)."""
    started = time.monotonic()
    now = now or timezone.now()
    limit = limit or settings.REMINDERS_DISPATCH_BATCH
    result = DispatchResult(recovered=recover_stale(now), skipped=skip_missed(now))
    while True:
        ids = claim_due(now, limit)
        for reminder_id in ids:
            enqueue(reminder_id)
        result.claimed += len(ids)
        # A large backlog is drained in batches, within one beat interval's worth of work.
        if len(ids) < limit or time.monotonic() - started > settings.REMINDERS_DISPATCH_INTERVAL:
            break
    result.seconds = round(time.monotonic() - started, 3)
    return result


def recover_stale(now: dt.datetime) -> int:
    """Rows whose claim expired: the message or the worker was lost. Hand them out again."""
    count = Reminder.objects.filter(status__in=[Status.QUEUED, Status.SENDING], locked_until__lt=now).update(
        status=Status.PENDING, next_attempt_at=now, claimed_by="", locked_until=None,
        last_error="The worker handling it was lost; handed out again.", updated_at=now,
    )
    if count:
        logger.warning("reminders: %d row(s) recovered from lost workers", count)
    return count


def skip_missed(now: dt.datetime) -> int:
    """After downtime, due rows for sessions that started, ended or were cancelled are
    skipped, never sent late. Cancellation notices are always worth sending."""
    due = Reminder.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    cancelled = Q(session__status=Session.Status.CANCELLED)
    started = due.filter(kind=Kind.REMINDER).filter(cancelled | Q(session__starts_at__lte=now)).update(
        status=Status.SKIPPED, last_error="The session had started or was cancelled when this came due.",
        updated_at=now,
    )
    over = due.filter(kind=Kind.TIME_CHANGED).filter(cancelled | Q(session__ends_at__lte=now)).update(
        status=Status.SKIPPED, last_error="The session was over or cancelled when this came due.", updated_at=now,
    )
    if started + over:
        logger.info("reminders: %d due row(s) skipped (session started, over or cancelled)", started + over)
    return started + over


def claim_due(now: dt.datetime, limit: int) -> list[int]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = Reminder.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # The claim itself: only rows still pending are taken, whatever another dispatcher did.
        Reminder.objects.filter(id__in=ids, status=Status.PENDING).update(
            status=Status.QUEUED, claimed_by=token, locked_until=now + lease(), updated_at=now,
        )
        return list(Reminder.objects.filter(claimed_by=token, status=Status.QUEUED).values_list("id", flat=True))


# --- sending one row ------------------------------------------------------------------------


def send_reminder(reminder_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one claimed row; returns the outcome (sent, skipped, failed, retry, not_queued).
    Idempotent: anything but a queued row is left alone."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    taken = Reminder.objects.filter(id=reminder_id, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_by=token, locked_until=now + lease(), updated_at=now,
    )
    if not taken:
        logger.info("reminder %s: not queued any more, nothing to do", reminder_id)
        return "not_queued"
    with holding(reminder_id, token):
        return _send_claimed(reminder_id, token, now)


def _send_claimed(reminder_id: int, token: str, now: dt.datetime) -> str:
    reminder = Reminder.objects.select_related("session__edition", "user__profile").get(id=reminder_id)
    context = (f"reminder {reminder.pk} ({reminder.kind}, {reminder.channel}) user={reminder.user_id} "
               f"session={reminder.session_id} attempt={reminder.attempts}")
    reason = _not_useful(reminder, now)
    if reason:
        _finish(reminder, token, Status.SKIPPED, reason)
        logger.info("%s: skipped: %s", context, reason)
        return "skipped"
    if reminder.attempts > settings.REMINDERS_MAX_ATTEMPTS:
        _finish(reminder, token, Status.FAILED,
                f"Gave up after {reminder.attempts - 1} attempts. {reminder.last_error}")
        logger.error("%s: failed: out of attempts", context)
        return "failed"
    if reminder.channel == Reminder.Channel.IN_APP:
        with transaction.atomic():
            _notify_in_app(reminder)
            _finish(reminder, token, Status.SENT)
        logger.info("%s: in-app notification created", context)
        return "sent"
    try:
        mail.send(mail.reminder_email(reminder))
    except mail.PermanentFailure as exc:
        _finish(reminder, token, Status.FAILED, str(exc))
        logger.error("%s: failed permanently: %s", context, exc)
        return "failed"
    except mail.TransientFailure as exc:
        if reminder.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            _finish(reminder, token, Status.FAILED, f"Gave up after {reminder.attempts} attempts: {exc}")
            logger.error("%s: failed after %d attempts: %s", context, reminder.attempts, exc)
            return "failed"
        retry_at = now + backoff(reminder.attempts)
        Reminder.objects.filter(id=reminder.pk, status=Status.SENDING, claimed_by=token).update(
            status=Status.PENDING, next_attempt_at=retry_at, last_error=str(exc), claimed_by="",
            locked_until=None, updated_at=timezone.now(),
        )
        logger.warning("%s: transient failure, retry at %s: %s", context, retry_at.isoformat(), exc)
        return "retry"
    _finish(reminder, token, Status.SENT)
    logger.info("%s: email sent", context)
    return "sent"


def _not_useful(reminder: Reminder, now: dt.datetime) -> str:
    session = reminder.session
    if reminder.kind == Kind.REMINDER and session.is_cancelled:
        return "The session was cancelled."
    if reminder.kind == Kind.REMINDER and session.starts_at <= now:
        return "The session had already started."
    if reminder.kind == Kind.TIME_CHANGED and (session.is_cancelled or session.ends_at <= now):
        return "The session was over or cancelled."
    if reminder.channel == Reminder.Channel.EMAIL and (
        ReminderPreference.objects.filter(user=reminder.user, emails=False).exists()
    ):
        return "The person unsubscribed from reminder emails."
    return ""


def _finish(reminder: Reminder, token: str, status: str, error: str = "") -> None:
    fields: dict = {"status": status, "locked_until": None, "updated_at": timezone.now()}
    if status == Status.SENT:
        fields["sent_at"] = timezone.now()
    if error:
        fields["last_error"] = error
    # Only while the claim is still this attempt's: a row handed out again belongs to another.
    Reminder.objects.filter(id=reminder.pk, status=Status.SENDING, claimed_by=token).update(**fields)


_IN_APP_KINDS = {Kind.REMINDER: "reminder", Kind.TIME_CHANGED: "session_time_changed",
                 Kind.CANCELLED: "session_cancelled"}


def _notify_in_app(reminder: Reminder) -> None:
    session = reminder.session
    zone = mail.recipient_zone(reminder.user, session)
    title = mail.headline(reminder.kind, session, reminder.minutes_before, zone)
    body = f"{session.title}: {mail.local(session.starts_at, zone)} – {mail.local_time(session.ends_at, zone)}"
    if reminder.previous_starts_at:
        body += f" (was {mail.local(reminder.previous_starts_at, zone)})"
    path = session_url(session).removeprefix(settings.SITE_URL)
    notify(reminder.user, _IN_APP_KINDS[Kind(reminder.kind)], title, body, path,
           key=f"reminder-{reminder.idempotency_key}", session=session)
