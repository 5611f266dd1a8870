"""Background jobs of matchmaking. Tasks take ids, have explicit names, and are idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services
from .models import MatchmakingEvent


@shared_task(name="matchmaking.expire_requests")
def expire_requests(event_id: int) -> int:
    """Close booking when its deadline has passed and expire the pending requests; running it
    again (or before the deadline) changes nothing. Returns how many requests expired."""
    return services.expire_pending(event_id)


@shared_task(name="matchmaking.close_due_bookings")
def close_due_bookings() -> list[int]:
    """Every minute (beat): hand each event whose booking deadline has passed to expire_requests.
    A row per event with a deadline, not a far-future ETA task, which Redis would re-deliver
    or lose (docs/reminders.md)."""
    due = list(
        MatchmakingEvent.objects.filter(
            phase=MatchmakingEvent.Phase.BOOKING_OPEN, booking_closes_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for event_id in due:
        expire_requests.delay(event_id)
    return due
