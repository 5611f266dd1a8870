"""Announcements a moderator or organiser made in live rooms (a section of
people.personal_data). They were said to a room on behalf of the event and stay there;
the account they point to is emptied by the deletion."""

from people import personal_data
from people.personal_data import moment

from .models import Announcement


def export(user) -> list:
    return [{"room": a.room.name if a.room else None, "edition": a.edition.title, "text": a.text,
             "at": moment(a.created_at)}
            for a in Announcement.objects.filter(author=user).select_related("room", "edition")]


def erase(user) -> None:
    """Nothing to erase: the announcement belongs to the room, not to its author."""


def register() -> None:
    personal_data.register("room_announcements", models=[Announcement], export=export, erase=erase, order=30)
