"""Presence: how many people are in a room, in person and online.

Each connection in a room is a member of a sorted set per attendance mode, scored by
an expiry time that the connection refreshes while it lives, so the count heals by
itself when a process dies without saying goodbye. Only counts ever leave the server,
never the member list."""

import time

import redis.asyncio as aioredis

from realtime import broadcast

from .counters import Snapshot, snapshot

TTL = 60  # seconds a connection counts without a refresh
REFRESH = 20
MODES = ("in_person", "online")


def _key(room_id: int, mode: str) -> str:
    return f"{{room:{room_id}}}:present:{mode}"


async def enter(redis: aioredis.Redis, room_id: int, conn_id: str, mode: str) -> None:
    await redis.zadd(_key(room_id, mode), {conn_id: time.time() + TTL})
    await redis.publish(broadcast.dirty_channel(room_id), "presence")


async def leave(redis: aioredis.Redis, room_id: int, conn_id: str, mode: str) -> None:
    await redis.zrem(_key(room_id, mode), conn_id)
    await redis.publish(broadcast.dirty_channel(room_id), "presence")


async def refresh(redis: aioredis.Redis, memberships: dict[int, str], conn_id: str) -> None:
    expiry = time.time() + TTL
    async with redis.pipeline(transaction=False) as pipe:
        for room_id, mode in memberships.items():
            pipe.zadd(_key(room_id, mode), {conn_id: expiry}, xx=True)
        await pipe.execute()


async def counts(redis: aioredis.Redis, room_id: int) -> dict[str, int]:
    now = time.time()
    async with redis.pipeline(transaction=False) as pipe:
        for mode in MODES:
            pipe.zremrangebyscore(_key(room_id, mode), "-inf", now)
            pipe.zcard(_key(room_id, mode))
        results = await pipe.execute()
    in_person, online = results[1], results[3]
    return {"in_person": in_person, "online": online, "total": in_person + online}


@snapshot("presence")
async def presence_snapshot(room_id: int, _arg: str) -> Snapshot:
    from .hub import Hub

    return Snapshot("presence", await counts(Hub.get().redis, room_id))
