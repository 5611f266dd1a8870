"""Per-user connection limit: a person may have a few tabs open; beyond the limit the
oldest connection is told "connection replaced" and closed."""

import time

import redis.asyncio as aioredis
from django.conf import settings

from realtime import broadcast

ALIVE_TTL = 60


def connection_channel(conn_id: str) -> str:
    return f"{{conn:{conn_id}}}"


def _set_key(user_id: int) -> str:
    return f"{{user:{user_id}}}:connections"


def _alive_key(user_id: int, conn_id: str) -> str:
    return f"{{user:{user_id}}}:alive:{conn_id}"


async def register(redis: aioredis.Redis, user_id: int, conn_id: str) -> list[str]:
    """Record a new connection; returns the connections it replaces (oldest first)."""
    await redis.zadd(_set_key(user_id), {conn_id: time.time()})
    await redis.set(_alive_key(user_id, conn_id), 1, ex=ALIVE_TTL)
    members = [m.decode() if isinstance(m, bytes) else str(m) for m in await redis.zrange(_set_key(user_id), 0, -1)]
    alive = await redis.mget([_alive_key(user_id, m) for m in members])
    dead = [m for m, flag in zip(members, alive, strict=True) if flag is None]
    if dead:
        await redis.zrem(_set_key(user_id), *dead)
    live = [m for m in members if m not in dead]
    excess = live[: max(len(live) - settings.ROOMS_MAX_CONNECTIONS_PER_USER, 0)]
    for old in excess:
        await redis.zrem(_set_key(user_id), old)
        frame = broadcast.encode({"type": "connection.replaced", "room": None, "seq": None,
                                  "data": {"reason": "too_many_connections",
                                           "limit": settings.ROOMS_MAX_CONNECTIONS_PER_USER}})
        await redis.publish(connection_channel(old), frame)
    return excess


async def keep_alive(redis: aioredis.Redis, user_id: int, conn_id: str) -> None:
    await redis.set(_alive_key(user_id, conn_id), 1, ex=ALIVE_TTL)


async def unregister(redis: aioredis.Redis, user_id: int, conn_id: str) -> None:
    await redis.zrem(_set_key(user_id), conn_id)
    await redis.delete(_alive_key(user_id, conn_id))
