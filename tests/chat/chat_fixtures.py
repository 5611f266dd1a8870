"""Fixtures and helpers shared by the chat app's tests (conftest.py makes the fixtures available)."""

import json

import pytest

from chat import services
from realtime import broadcast
from rooms.models import Room
from tests.fixtures.factories import at, make_session
from tests.rooms.conftest import World, world  # noqa: F401  (the live tests' fixture)


@pytest.fixture
def live_redis(settings, redis_url):
    """Services in this process talk to the tests' private Redis."""
    settings.REDIS_URL = redis_url
    return broadcast.client()


@pytest.fixture
def place(db, live_redis):
    """The rooms World (edition, open session room, people in every role) for unit tests.
    Its rows are rolled back after the test and their ids may be used again, so the
    rooms' Redis keys (sequence, log, counters, limits) are deleted too."""
    yield World()
    forget_rooms(live_redis)


def forget_rooms(redis) -> None:
    """Delete the Redis keys of every room in the database (before its rows are rolled back
    and their ids used again by the next test)."""
    for room_id in Room.objects.values_list("pk", flat=True):
        keys = list(redis.scan_iter(match=f"{{room:{room_id}}}*"))
        if keys:
            redis.delete(*keys)


def member(user, room):
    return services.actor_for(user, room.pk if isinstance(room, Room) else room)


def other_room(place: World) -> Room:
    """A second room in the same edition."""
    session = make_session(place.edition, title="Parallel panel", starts_at=at(place.edition, 0, 11),
                           ends_at=at(place.edition, 0, 12), location="Room B")
    return Room.objects.get(session=session)


class Listener:
    """Frames published on a room's channels (what every socket in the room would get)."""

    def __init__(self, redis, *channels):
        self.pubsub = redis.pubsub()
        self.pubsub.subscribe(*channels)
        confirmed = 0
        while confirmed < len(channels):
            message = self.pubsub.get_message(timeout=5)
            assert message is not None, "no subscription confirmation from Redis"
            confirmed += message["type"] == "subscribe"

    def frames(self, wait: float = 0.2) -> list:
        """Everything published since the last call (JSON frames decoded; counter keys as text)."""
        found = []
        while (message := self.pubsub.get_message(timeout=wait)) is not None:
            if message["type"] != "message":
                continue
            data = message["data"].decode()
            found.append(json.loads(data) if data.startswith("{") else data)
        return found

    def close(self):
        self.pubsub.close()


@pytest.fixture
def listen(live_redis):
    listeners = []

    def start(*channels):
        listener = Listener(live_redis, *channels)
        listeners.append(listener)
        return listener

    yield start
    for listener in listeners:
        listener.close()
