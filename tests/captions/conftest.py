"""Caption tests use the rooms World of the chat tests (its Redis keys are removed after each test)
and remove the captions' rate-limit keys too."""

import pytest

from tests.chat.chat_fixtures import live_redis  # noqa: F401 (fixture)
from tests.chat.chat_fixtures import place as room_place  # noqa: F401 (fixture)


@pytest.fixture
def place(room_place, live_redis):  # noqa: F811 (the fixtures imported above)
    yield room_place
    keys = list(live_redis.scan_iter(match="{captions:*"))
    if keys:
        live_redis.delete(*keys)
