"""The one place that pushes to a user's open tabs over the websocket.

`realtime.broadcast.publish_to_user` (the live-rooms hub) fans an event out to every socket
of the user. Pushes happen after the transaction commits, so a tab never hears about a
notification that was rolled back; a failed push is logged and never undoes the write
(the notification list page shows it anyway)."""

from realtime import broadcast


def push_to_user(user_id: int, event_type: str, data: dict) -> None:
    broadcast.after_commit(broadcast.publish_to_user, user_id, event_type, data)
