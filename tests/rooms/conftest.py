import pytest

from programme.models import Session
from rooms.models import Room
from tests.fixtures.factories import make_edition, make_session, make_user, register


class World:
    """An edition with a live session room and people in every role."""

    def __init__(self):
        self.edition = make_edition(title="Live edition", slug="live")
        self.session = make_session(self.edition, title="Opening plenary", access=Session.Access.REGISTERED)
        self.room = Room.objects.get(session=self.session)
        Room.objects.filter(pk=self.room.pk).update(state=Room.State.OPEN)
        self.moderator = make_user("Mia Moderator")
        self.session.moderators.add(self.moderator)
        self.speaker = make_user("Sam Speaker")
        self.session.speakers.add(self.speaker)
        self.online = make_user("Olivia Online")
        register(self.online, self.edition, "online")
        self.onsite = make_user("Ivan Inperson")
        register(self.onsite, self.edition, "in_person")
        self.outsider = make_user("Otto Outsider")


@pytest.fixture
def world(transactional_db):
    return World()
