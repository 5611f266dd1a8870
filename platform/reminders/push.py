"""The one place that pushes to a user's open tabs over the websocket.

`rooms.broadcast.publish_to_user` (the live-rooms hub) fans an event out to every socket
of the user. Pushes happen after the transaction commits, so a tab never hears about a
notification that was rolled back; a failed push is logged and never undoes the write
(the notification list page shows it anyway)."""

import functools
import inspect
import logging

from asgiref.sync import async_to_sync
from django.db import transaction

logger = logging.getLogger(__name__)


def push_to_user(user_id: int, event_type: str, data: dict) -> None:
    transaction.on_commit(functools.partial(_publish, user_id, event_type, data), robust=True)


def _publish(user_id: int, event_type: str, data: dict) -> None:
    try:
        from rooms.broadcast import publish_to_user
    except ImportError:  # the hub is not deployed in this build: pages still show notifications
        logger.warning("rooms.broadcast is not available; %s for user %s not pushed", event_type, user_id)
        return
    if inspect.iscoroutinefunction(publish_to_user):
        async_to_sync(publish_to_user)(user_id, event_type, data)
    else:
        publish_to_user(user_id, event_type, data)
