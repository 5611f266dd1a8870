"""Per-user limits kept in Redis (shared by every web process).

`hit` is a fixed-window counter: INCR and, on the window's first hit, EXPIRE, done in
one Lua script so a key can never be left without its expiry. `claim` is a cooldown
(slow mode): SET NX EX, which succeeds once per period.

Both let the action through when Redis cannot be reached (a restart takes seconds): a
message posted then is saved rather than refused; flood protection resumes with Redis."""

import logging

import redis

from . import broadcast

log = logging.getLogger(__name__)

_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""


def hit(key: str, limit: int, window: int) -> int | None:
    """Count one action under `key`; None when it is allowed, else the seconds to wait."""
    try:
        count, ttl = broadcast.client().eval(_HIT, 1, key, window)
    except redis.RedisError:
        log.warning("rate limit %s not checked: Redis unreachable", key, exc_info=True)
        return None
    if int(count) > limit:
        return max(int(ttl), 1)
    return None


def claim(key: str, seconds: int) -> int | None:
    """Take a cooldown of `seconds`; None when taken, else the seconds left of the current one."""
    client = broadcast.client()
    try:
        if client.set(key, 1, nx=True, ex=seconds):
            return None
        return max(int(client.ttl(key)), 1)
    except redis.RedisError:
        log.warning("cooldown %s not checked: Redis unreachable", key, exc_info=True)
        return None
