"""Events of the rooms app itself (registered in the realtime event registry)."""

from typing import Literal

from realtime.events import EventData, event

# --- events of the rooms app ----------------------------------------------------------


class Hello(EventData):
    connection: str
    user_id: int | None
    heartbeat_seconds: int


class RoomStateChanged(EventData):
    state: Literal["open", "paused", "closed"]
    changed_at: str


class Announcement(EventData):
    id: int
    text: str
    created_at: str
    scope: Literal["room", "edition"]


class Presence(EventData):
    in_person: int
    online: int
    total: int


class Resync(EventData):
    reason: str


class ConnectionReplaced(EventData):
    reason: str
    limit: int


event("hello", Hello, "Sent once on connecting: the connection id and who you are.",
      {"connection": "3f9c1a2b4d5e6f70", "user_id": 42, "heartbeat_seconds": 20},
      sequenced=False, audience="connection")
event("room.state", RoomStateChanged, "A moderator opened, paused or closed the room.",
      {"state": "paused", "changed_at": "2026-09-26T09:15:00Z"}, sequenced=True)
event("room.announcement", Announcement, "A message from the moderators (room) or organisers (edition).",
      {"id": 7, "text": "Coffee break in 5 minutes", "created_at": "2026-09-26T10:25:00Z", "scope": "room"},
      sequenced=True)
event("presence", Presence, "How many people are in the room, in person and online (at most 4 per second).",
      {"in_person": 83, "online": 412, "total": 495}, sequenced=False)
event("room.resync", Resync, "Events may have been lost (server-side gap): join the room again.",
      {"reason": "log_gap"}, sequenced=False)
event("connection.replaced", ConnectionReplaced,
      "You opened more connections than allowed; this (oldest) one is closed next.",
      {"reason": "too_many_connections", "limit": 5}, sequenced=False, audience="connection")
