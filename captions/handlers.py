"""The room protocol's part of live captions: the `caption.added` event and the recent lines a
joining client gets (written through the HTTP API: captions.api)."""

from realtime.events import EventData, event
from rooms.state import provider

from . import services


class CaptionAdded(EventData):
    """A caption line, shown under the stage and as a cue on the playing video."""

    id: int
    session: int
    text: str
    created_at: str  # ISO 8601


event("caption.added", CaptionAdded, "A live caption line for the session's stage (sequenced: missed lines are "
      "caught up on reconnect).",
      {"id": 41, "session": 7, "text": "Welcome to the opening plenary.",
       "created_at": "2022-09-26T12:00:03.250000+00:00"}, sequenced=True)


@provider("captions")
def captions_state(membership, room) -> dict:
    return {"recent": services.recent(room.session)}
