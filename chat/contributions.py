"""What chat adds to the room pages (rooms.extensions, registered in ChatConfig.ready):
the reaction set, and the questions the projector shows."""

from . import qa
from .reactions import EMOJI

# Names of the reaction emoji for screen readers.
REACTION_NAMES = {"👏": "Applause", "❤️": "Love it", "😂": "Funny", "😮": "Wow", "👍": "Agree", "🎉": "Celebrate"}


def reactions() -> list[tuple[str, str]]:
    return [(emoji, REACTION_NAMES.get(emoji, emoji)) for emoji in EMOJI]


def page_config(request, access, page: str) -> dict:
    return {"reactions": [{"emoji": emoji, "label": label} for emoji, label in reactions()]}


def page_context(request, access, page: str) -> dict:
    context: dict = {"reactions": reactions()}
    if page == "projector":  # the highlighted question and the top ones by votes
        context["projector"] = qa.projector_data(access.room.pk)
    return context
