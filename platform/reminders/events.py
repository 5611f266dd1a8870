"""Schema of the realtime event this app pushes to a user's open tabs. It is registered
in the websocket protocol's event registry (realtime.events), so it appears in the AsyncAPI
document and the protocol tests validate it like every other push."""

from realtime.events import EventData, event

NOTIFICATION = "notification"


class NotificationEvent(EventData):
    """A new in-app notification; `unread` is the user's unread count after it."""

    id: int
    kind: str
    title: str
    body: str
    url: str
    created: str  # ISO 8601, UTC
    unread: int


event(NOTIFICATION, NotificationEvent,
      "A new in-app notification for you (reminder, session moved or cancelled, announcement…), in every tab.",
      {"id": 12, "kind": "reminder", "title": "“Opening plenary” starts in 15 minutes, Monday 26 September "
       "2022, 14:00 CEST", "body": "Opening plenary: Monday 26 September 2022, 14:00 CEST – 15:30 CEST",
       "url": "/e/ecc-2022/s/opening-plenary/", "created": "2022-09-26T11:45:00.120000+00:00", "unread": 3},
      sequenced=False, audience="user")
