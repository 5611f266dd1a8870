"""Organiser announcements: one message to all registrants of an edition (or those of one
attendance mode), by email and in-app, sent by a background job that can be resumed.

Recipients are fixed when the organiser sends (one row each), so the job knows its total
from the start, shows progress, and after a crash or a redelivery carries on with the
people still pending instead of writing to everybody again."""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from attendance.models import Registration
from conference.errors import Forbidden, InvalidInput
from conference.text import clean_text
from programme.models import Edition
from programme.permissions import User, is_organiser

from . import mail
from .models import Announcement, AnnouncementRecipient
from .notifications import notify
from .signals import announcement_ready

logger = logging.getLogger(__name__)
Recipient = AnnouncementRecipient
CHUNK = 100
MAX_SUBJECT = 200
MAX_BODY = 20000


class RetryLater(Exception):
    """Some recipients failed transiently: run the job again after `countdown` seconds."""

    def __init__(self, countdown: float):
        super().__init__(f"retry in {countdown}s")
        self.countdown = countdown


def check_announcement(actor: User, edition: Edition, audience: str, subject: str, body: str) -> tuple[str, str]:
    """The subject and body as they will be sent, or the service error saying what is wrong."""
    if not is_organiser(actor, edition):
        raise Forbidden("Only organisers of this edition can send announcements.")
    if audience not in Announcement.Audience.values:
        raise InvalidInput(
            f"Unknown audience “{audience}”; choose one of: {', '.join(Announcement.Audience.values)}.",
            field="audience",
        )
    return (clean_text(subject, max_length=MAX_SUBJECT, what="subject"),
            clean_text(body, max_length=MAX_BODY, multiline=True, what="message", field="body"))


def registrants(edition: Edition, audience: str):
    registrations = Registration.objects.filter(edition=edition, status=Registration.Status.CONFIRMED)
    if audience != Announcement.Audience.ALL:
        registrations = registrations.filter(mode=audience)
    return registrations.values_list("user_id", flat=True)


@transaction.atomic
def announce(actor: User, edition: Edition, audience: str, subject: str, body: str) -> Announcement:
    subject, body = check_announcement(actor, edition, audience, subject, body)
    announcement = Announcement.objects.create(
        edition=edition, audience=audience, subject=subject, body=body,
        created_by=actor if actor.is_authenticated else None,
    )
    user_ids = list(registrants(edition, audience))
    Recipient.objects.bulk_create([Recipient(announcement=announcement, user_id=uid) for uid in user_ids],
                                  batch_size=500)
    announcement.total = len(user_ids)
    announcement.save(update_fields=["total"])
    # robust: with the broker down the announcement stays queued; the admin action "Resume" sends it.
    transaction.on_commit(functools.partial(enqueue, announcement.pk), robust=True)
    logger.info("announcement %s for %s (%s): %d recipient(s) queued", announcement.pk, edition.slug,
                audience, len(user_ids))
    return announcement


def enqueue(announcement_id: int) -> None:
    """Have the announcement sent in the background (reminders.tasks runs it)."""
    announcement_ready.send(Announcement, announcement_id=announcement_id)


def run(announcement_id: int) -> dict:
    """Send to every pending recipient; returns the counts. Raises RetryLater when some
    recipients failed transiently and have attempts left."""
    announcement = Announcement.objects.select_related("edition").get(pk=announcement_id)
    if announcement.status == Announcement.Status.DONE:
        return progress(announcement)
    Announcement.objects.filter(pk=announcement_id).update(status=Announcement.Status.RUNNING)
    url = reverse("edition", args=[announcement.edition.slug])
    conn = mail.connection()  # one SMTP session for the whole batch
    retry_later = False
    try:
        last_id = 0
        while True:
            chunk = list(Recipient.objects.filter(
                announcement=announcement, status=Recipient.Status.PENDING, pk__gt=last_id,
            ).select_related("user__profile").order_by("pk")[:CHUNK])
            if not chunk:
                break
            for recipient in chunk:
                retry_later |= _deliver(announcement, recipient, url, conn)
            last_id = chunk[-1].pk
            _save_counts(announcement)
    finally:
        conn.close()
    counts = _save_counts(announcement)
    if retry_later:
        pending = Recipient.objects.filter(announcement=announcement, status=Recipient.Status.PENDING)
        attempts = max(pending.values_list("attempts", flat=True), default=1)
        raise RetryLater(min(settings.REMINDERS_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 15 * 60))
    Announcement.objects.filter(pk=announcement_id).update(
        status=Announcement.Status.DONE, finished_at=timezone.now())
    logger.info("announcement %s done: %s", announcement_id, counts)
    return counts


def _deliver(announcement: Announcement, recipient: AnnouncementRecipient, url: str, conn) -> bool:
    """Deliver to one person; True when it should be tried again later."""
    user = recipient.user
    notify(user, "announcement", announcement.subject, announcement.body, url,
           key=f"announcement-{announcement.pk}-{user.pk}")
    recipient.attempts += 1
    retry = False
    try:
        if not user.email:
            raise mail.PermanentFailure("No email address.")
        mail.send(mail.announcement_email(announcement, user, conn), keep_open=True)
        recipient.status, recipient.error = Recipient.Status.SENT, ""
    except mail.PermanentFailure as exc:
        recipient.status, recipient.error = Recipient.Status.FAILED, str(exc)
        logger.warning("announcement %s to user %s failed: %s", announcement.pk, user.pk, exc)
    except mail.TransientFailure as exc:
        recipient.error = str(exc)
        conn.close()  # a broken SMTP session is reopened on the next send
        if recipient.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            recipient.status = Recipient.Status.FAILED
        else:
            retry = True
        logger.warning("announcement %s to user %s: transient failure (attempt %d): %s",
                       announcement.pk, user.pk, recipient.attempts, exc)
    recipient.save(update_fields=["status", "error", "attempts"])
    return retry


def _save_counts(announcement: Announcement) -> dict:
    counts = Recipient.objects.filter(announcement=announcement).aggregate(
        sent=Count("pk", filter=Q(status=Recipient.Status.SENT)),
        failed=Count("pk", filter=Q(status=Recipient.Status.FAILED)),
    )
    Announcement.objects.filter(pk=announcement.pk).update(**counts)
    return {"total": announcement.total, **counts}


def progress(announcement: Announcement) -> dict:
    return {"total": announcement.total, "sent": announcement.sent, "failed": announcement.failed}
