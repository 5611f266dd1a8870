"""What streaming adds to the session page's live-room link (rooms.extensions)."""

from .models import StreamEndpoint


def link_facts(session) -> dict:
    stage = StreamEndpoint.objects.filter(session=session).values("state", "replay_enabled").first()
    return {"replay": bool(stage and stage["state"] == StreamEndpoint.State.REPLAY_AVAILABLE
                           and stage["replay_enabled"])}


def programme_page(request, edition) -> dict:
    """Sessions of the edition whose replay can be watched: the programme offers it once they are over."""
    replays = StreamEndpoint.objects.filter(session__edition=edition, state=StreamEndpoint.State.REPLAY_AVAILABLE,
                                            replay_enabled=True)
    return {"replay_ids": set(replays.values_list("session_id", flat=True))}
