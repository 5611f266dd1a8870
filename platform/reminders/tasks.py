"""Celery tasks: thin, named, taking ids. The logic is in reminders.dispatch and
reminders.announcements, so it is the same whether a worker or a test calls it."""

from celery import shared_task
from celery.utils.log import get_task_logger
from django.dispatch import receiver

from . import announcements, dispatch, signals

logger = get_task_logger(__name__)


@shared_task(name="reminders.dispatch_due", ignore_result=True, soft_time_limit=50, time_limit=60)
def dispatch_due() -> dict:
    """Run by beat every few seconds (CELERY_BEAT_SCHEDULE). Messages for it expire, so a
    backlog piled up while workers were down collapses into one catch-up run."""
    result = dispatch.dispatch_due(send_reminder.delay)
    if result.claimed or result.skipped or result.recovered:
        logger.info("reminders.dispatch_due claimed=%d skipped=%d recovered=%d seconds=%.3f",
                    result.claimed, result.skipped, result.recovered, result.seconds)
    return result.as_dict()


# acks_late (global too): the message is acknowledged after the task ran, so a worker
# killed while sending has the message redelivered; the row's claim makes that harmless.
# While it runs the task renews its row's lease (reminders.dispatch.holding); the hard time
# limit ends a send stuck past the SMTP timeout, and the row is handed out again.
@shared_task(name="reminders.send", ignore_result=True, acks_late=True, soft_time_limit=60, time_limit=90)
def send_reminder(reminder_id: int) -> str:
    return dispatch.send_reminder(reminder_id)


@shared_task(name="reminders.run_announcement", bind=True, acks_late=True, max_retries=None,
             soft_time_limit=1700, time_limit=1800)
def run_announcement(self, announcement_id: int) -> dict:
    try:
        return announcements.run(announcement_id)
    except announcements.RetryLater as later:
        logger.warning("announcement %s: transient failures, running again in %ss", announcement_id,
                       later.countdown)
        raise self.retry(countdown=later.countdown) from later


@receiver(signals.announcement_ready, dispatch_uid="reminders.tasks.run_announcement")
def _run_announcement_later(sender, announcement_id: int, **kwargs) -> None:
    run_announcement.delay(announcement_id)
