"""In-app notifications: stored rows, pushed live to the user's open tabs."""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from conference.errors import InvalidInput, NotFound

from .events import NOTIFICATION, NotificationEvent
from .models import Notification
from .push import push_to_user


def notify(user, kind: str, title: str, body: str = "", url: str = "", *, key: str | None = None,
           session=None) -> Notification:
    """Create an in-app notification for `user` and push it to their open tabs once the
    transaction commits. Any app may call this (reminders, announcements, matchmaking…).
    `key` makes the call idempotent: a second call with the same key returns the first
    notification and pushes nothing (for tasks that may run twice)."""
    if not kind or not title.strip():
        raise InvalidInput("A notification needs a kind and a title.", field="title")
    if url and not url.startswith(("/", "https://", "http://")):
        raise InvalidInput("A notification link must be a path or an http(s) URL.", field="url")
    if key is not None:
        existing = Notification.objects.filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, title=title.strip()[:200], body=body, url=url, key=key, session=session
            )
    except IntegrityError:  # the same key, created concurrently: that one wins
        return Notification.objects.get(key=key)
    event = NotificationEvent(
        id=notification.pk, kind=kind, title=notification.title, body=body, url=url,
        created=notification.created.isoformat(), unread=unread_count(user),
    )
    push_to_user(user.pk, NOTIFICATION, event.model_dump())
    return notification


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user, limit: int = 100) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("session__room")[:limit]


def open_notification(user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (opening it); others' are not found."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
