"""Coalesced counters: presence, reactions, poll results (docs/realtime.md).

A change to a counter does not broadcast the counter. Its service calls
`broadcast.counter_changed(room_id, key)`, which sends one tiny message on the room's
"dirty" channel. Each process's hub takes it, waits at most INTERVAL collecting further
changes, then reads the counter's current value once (a snapshot function registered
here by key prefix) and delivers the snapshot to its local sockets. However many votes
or reactions arrive, each socket gets at most a few updates per second.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

INTERVAL = 0.25  # seconds: at most four snapshots per counter per second


@dataclass(frozen=True)
class Snapshot:
    event_type: str
    data: dict
    moderators_only: bool = False


SnapshotFn = Callable[[int, str], Awaitable[Snapshot | None]]
_snapshots: dict[str, SnapshotFn] = {}


def snapshot(prefix: str):
    """Register the snapshot function for counter keys `prefix` or `prefix:<arg>`."""

    def register(fn: SnapshotFn) -> SnapshotFn:
        _snapshots[prefix] = fn
        return fn

    return register


class Throttle:
    """Calls `flush(room_id, key)` once per INTERVAL per (room, key) after changes."""

    def __init__(self, flush: Callable[[int, str, Snapshot], Awaitable[None]]):
        self._pending: set[tuple[int, str]] = set()
        self._flush = flush

    def changed(self, room_id: int, key: str) -> None:
        if (room_id, key) in self._pending:
            return
        self._pending.add((room_id, key))
        asyncio.get_running_loop().call_later(INTERVAL, self._run, room_id, key)

    def _run(self, room_id: int, key: str) -> None:
        asyncio.get_running_loop().create_task(self._snapshot(room_id, key))

    async def _snapshot(self, room_id: int, key: str) -> None:
        self._pending.discard((room_id, key))
        prefix, _, arg = key.partition(":")
        fn = _snapshots.get(prefix)
        if fn is None:
            return
        result = await fn(room_id, arg)
        if result is not None:
            await self._flush(room_id, key, result)
