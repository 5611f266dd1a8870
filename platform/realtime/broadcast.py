"""The single way realtime events leave the server (docs/realtime.md, docs/architecture.md).

Room events are sequenced: one Lua script atomically takes the room's next sequence
number, appends the finished JSON frame to the room's capped log (a Redis Stream used
for catch-up on reconnect) and PUBLISHes it on the room's channel, so the frame is
encoded exactly once. Every process's hub (rooms.hub) is subscribed to the channels of
the rooms its sockets are in and writes the frame to them as is.

Ephemeral events (coalesced counters: presence, reactions, poll results) and events for
one user (notifications) are published without sequence: they are snapshots or are
stored in the database, so a client that missed one loses nothing.

Keys of a room share the hash tag {room:ID}, so a Redis Cluster (or a client-side shard
map by room id) keeps a room's counter, log and channel on one node.

Services call them through `after_commit`, so that nothing is broadcast that is not in the
database.
"""

import functools
import json
import logging
import secrets
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

log = logging.getLogger(__name__)

LOG_LENGTH = 1000  # events kept per room for catch-up (approximate: XADD MAXLEN ~)

_PUBLISH = """
redis.call('SET', KEYS[3], ARGV[4], 'NX')
local seq = redis.call('INCR', KEYS[1])
local frame = ARGV[1] .. seq .. ARGV[2]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'f', frame)
redis.call('PUBLISH', ARGV[5], frame)
return seq
"""


def room_channel(room_id: int) -> str:
    return f"{{room:{room_id}}}"


def moderators_channel(room_id: int) -> str:
    return f"{{room:{room_id}}}:moderators"


def dirty_channel(room_id: int) -> str:
    """Internal: names of counters of the room that changed (see rooms.counters)."""
    return f"{{room:{room_id}}}:dirty"


def user_channel(user_id: int) -> str:
    return f"{{user:{user_id}}}"


def seq_key(room_id: int) -> str:
    return f"{{room:{room_id}}}:seq"


def log_key(room_id: int) -> str:
    return f"{{room:{room_id}}}:log"


def epoch_key(room_id: int) -> str:
    """Changes when the room's sequence restarts (Redis lost its data): clients then resync."""
    return f"{{room:{room_id}}}:epoch"


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)


def client() -> redis.Redis:
    return _client(settings.REDIS_URL)


def encode(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def after_commit(publish_fn, *args) -> None:
    """Run `publish_fn(*args)` once the current transaction commits (at once outside one).
    Robust: the change is saved; a failed broadcast must not turn it into an error for the
    caller, who would retry and duplicate it (clients resync instead)."""
    transaction.on_commit(functools.partial(publish_fn, *args), robust=True)


def best_effort(fn):
    """Publishing happens after the data is committed: if Redis is unreachable, the change
    stays saved and the caller's command still succeeds. Live clients are not left behind:
    every hub lost its Redis connection too, and on reconnecting tells its sockets to resync."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except redis.RedisError as exc:
            # One line, no traceback: an outage would otherwise flood the log with one per event.
            log.warning("could not publish %s: Redis unreachable (%s)", args[1] if len(args) > 1 else fn.__name__,
                        exc)
            return None

    return wrapper


@best_effort
def publish(room_id: int, event_type: str, data: dict) -> int | None:
    """Publish a sequenced event to everyone in the room; returns its sequence number."""
    prefix = f'{{"type":{encode(event_type)},"room":{int(room_id)},"seq":'
    suffix = f',"data":{encode(data)}}}'
    keys = [seq_key(room_id), log_key(room_id), epoch_key(room_id)]
    args = [prefix, suffix, LOG_LENGTH, secrets.token_hex(8), room_channel(room_id)]
    return int(client().eval(_PUBLISH, len(keys), *keys, *args))  # type: ignore[arg-type]


@best_effort
def publish_to_user(user_id: int, event_type: str, data: dict) -> None:
    """Push to every open tab of one user (notifications; own pending questions...)."""
    frame = encode({"type": event_type, "room": data.get("room"), "seq": None, "data": data})
    client().publish(user_channel(user_id), frame)


@best_effort
def counter_changed(room_id: int, key: str) -> None:
    """Tell every process's hub that a coalesced counter of the room changed."""
    client().publish(dirty_channel(room_id), key)
