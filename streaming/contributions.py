"""What streaming adds to the session page's live-room link (rooms.extensions)."""

from .models import StreamEndpoint


def link_facts(session) -> dict:
    stage = StreamEndpoint.objects.filter(session=session).values("state", "replay_enabled").first()
    return {"replay": bool(stage and stage["state"] == StreamEndpoint.State.REPLAY_AVAILABLE
                           and stage["replay_enabled"])}
