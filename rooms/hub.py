"""Per-process fan-out hub (docs/realtime.md).

One Redis pub/sub connection per process, one subscription per channel (room, room
moderators, user) however many local sockets are in it. A published frame arrives once
per process, already encoded, and is queued as is to each local socket's outbox.

Each socket has a bounded outbox drained by its own writer task: a client that cannot
keep up fills its outbox and is disconnected (it reconnects and catches up from the
log), it never delays the others. If the Redis connection drops, the hub reconnects,
resubscribes, and replays what its rooms missed from the per-room logs (or tells the
sockets to resync when a log no longer reaches back far enough).
"""

import asyncio
import contextlib
import logging
import secrets
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import redis.asyncio as aioredis
from django.conf import settings

from realtime import broadcast

from .counters import Snapshot, Throttle
from .transport import Probe

log = logging.getLogger(__name__)

OUTBOX_SIZE = 200  # frames waiting for one congested socket before it counts as too slow
HIGH_WATER = 256 * 1024  # bytes in the server's write buffer above which a socket is congested


class Outbox:
    """Frames on their way to one websocket.

    Fast path: while the socket keeps up, the hub writes each frame straight away, in its
    own task (no task switch per socket). When the server's write buffer for the socket
    passes HIGH_WATER, or frames are already waiting, new frames queue here and a drain
    task writes them as the client catches up; when OUTBOX_SIZE frames are waiting, the
    client is cut off (it reconnects and catches up from the room log)."""

    def __init__(self, send: Callable[[str], Awaitable[None]],
                 on_overflow: Callable[[], Coroutine[Any, Any, None]], pending_bytes: Probe | None = None):
        self._send = send
        self._on_overflow = on_overflow
        self._pending_bytes = pending_bytes
        self.queue: deque[str] = deque()
        self._drainer: asyncio.Task | None = None
        self._held: list[str] | None = None
        self.overflowed = False
        self.closed = False

    def hold(self) -> None:
        """Keep pushes aside while a join or catch-up is being answered (see release)."""
        self._held = []

    def release(self, room_id: int, up_to_seq: int) -> None:
        """Queue the held pushes, dropping frames of `room_id` already covered (seq ≤ up_to_seq)."""
        held, self._held = self._held or [], None
        for frame in held:
            seq = _seq_of(frame)
            if seq is not None and seq <= up_to_seq and _frame_room(frame) == room_id:
                continue
            self.put_direct(frame)

    def _congested(self) -> bool:
        return self._pending_bytes is not None and self._pending_bytes() > HIGH_WATER

    async def deliver(self, frame: str) -> None:
        """A push from the hub: written now if the socket keeps up, else queued."""
        if self._held is not None:
            self._held.append(frame)
            return
        if self.overflowed or self.closed:
            return
        if self.queue or self._drainer is not None or self._congested():
            self._enqueue(frame)
            return
        try:
            await self._send(frame)
        except Exception:  # the socket is gone; the consumer's disconnect cleans up
            self.closed = True

    def put_direct(self, frame: str) -> None:
        """Queue a frame behind what is waiting (replies, catch-up frames), even while holding."""
        if not (self.overflowed or self.closed):
            self._enqueue(frame)

    def _enqueue(self, frame: str) -> None:
        if len(self.queue) >= OUTBOX_SIZE:
            self.overflowed = True
            self.queue.clear()
            Hub.slow_clients_cut += 1
            asyncio.get_running_loop().create_task(self._on_overflow())
            return
        self.queue.append(frame)
        if self._drainer is None:
            self._drainer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.queue and not self.overflowed:
                while self._congested() and not self.overflowed:
                    await asyncio.sleep(0.05)  # the client is behind: let the transport empty
                if self.overflowed:
                    break
                await self._send(self.queue.popleft())
        except Exception:
            self.closed = True
            log.debug("send to a closed socket dropped", exc_info=True)
        finally:
            self._drainer = None

    def close(self) -> None:
        self.closed = True
        if self._drainer is not None:
            self._drainer.cancel()


class _PubSub(aioredis.client.PubSub):
    """redis-py reconnects a pub/sub connection by itself and resubscribes; messages
    published meanwhile are lost. This records that it happened, so the hub can replay."""

    reconnected = False

    async def on_connect(self, connection) -> None:  # called on reconnects only
        self.reconnected = True
        await super().on_connect(connection)


class Hub:
    _instances: dict[asyncio.AbstractEventLoop, "Hub"] = {}
    # Per process, reported by /healthz.
    open_sockets = 0
    slow_clients_cut = 0

    def __init__(self, url: str):
        self.url = url
        self.channels: dict[str, set[Outbox]] = {}
        # Per room channel: the room's epoch and the last sequence number this process has
        # seen, to replay what it missed if its Redis connection drops.
        self.epoch: dict[str, str] = {}
        self.last_seq: dict[str, int] = {}
        self._redis: aioredis.Redis | None = None
        self._pubsub: _PubSub | None = None
        self._reader: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self.throttle = Throttle(self._deliver_snapshot)

    @classmethod
    def get(cls) -> "Hub":
        loop = asyncio.get_running_loop()
        hub = cls._instances.get(loop)
        if hub is None:
            hub = cls._instances[loop] = cls(settings.REDIS_URL)
        return hub

    @property
    def redis(self) -> aioredis.Redis:
        if self._redis is None:
            self._redis = aioredis.Redis.from_url(self.url, socket_connect_timeout=5, max_connections=1000)
        return self._redis

    async def attach(self, channel: str, outbox: Outbox) -> None:
        async with self._lock:
            members = self.channels.setdefault(channel, set())
            first = not members
            members.add(outbox)
            if first:
                await self._subscribe(channel)
                if _is_room(channel):
                    self.epoch[channel], self.last_seq[channel] = await room_position(self.redis, _room_of(channel))

    async def detach(self, channel: str, outbox: Outbox) -> None:
        async with self._lock:
            members = self.channels.get(channel)
            if not members:
                return
            members.discard(outbox)
            if not members:
                del self.channels[channel]
                self.last_seq.pop(channel, None)
                self.epoch.pop(channel, None)
                if self._pubsub is not None:
                    with contextlib.suppress(Exception):
                        await self._pubsub.unsubscribe(channel)

    async def _subscribe(self, channel: str) -> None:
        if self._pubsub is None:
            self._pubsub = self._new_pubsub()
        await self._pubsub.subscribe(channel)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.get_running_loop().create_task(self._read())

    def _new_pubsub(self) -> _PubSub:
        return _PubSub(self.redis.connection_pool, ignore_subscribe_messages=True)

    async def _deliver_snapshot(self, room_id: int, key: str, snapshot: Snapshot) -> None:
        """Encode a counter snapshot once and hand it to the local sockets of the room."""
        frame = broadcast.encode({"type": snapshot.event_type, "room": room_id, "seq": None, "data": snapshot.data})
        if snapshot.moderators_only:
            await self.deliver(broadcast.moderators_channel(room_id), frame)
        else:
            await self.deliver(broadcast.room_channel(room_id), frame)

    async def deliver(self, channel: str, frame: str) -> None:
        for outbox in tuple(self.channels.get(channel, ())):
            await outbox.deliver(frame)

    async def _read(self) -> None:
        backoff = 0.2
        reconnect = False
        while self.channels:
            try:
                if reconnect:
                    await self._reconnect()
                    reconnect = False
                pubsub = self._pubsub
                assert pubsub is not None  # set by the first subscription, before this task starts
                message = await pubsub.get_message(timeout=1.0)
                backoff = 0.2
                if pubsub.reconnected:  # redis-py reconnected by itself
                    pubsub.reconnected = False
                    await self._replay()
            except (aioredis.ConnectionError, aioredis.TimeoutError, OSError, RuntimeError):
                # RuntimeError: redis-py's pubsub lost its connection and is not subscribed.
                log.warning("hub lost its Redis connection; reconnecting in %.1fs", backoff)
                reconnect = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if message is None:
                continue
            channel = _text(message["channel"])
            frame = _text(message["data"])
            if channel.endswith(":dirty"):
                self.throttle.changed(_room_of(channel), frame)
                continue
            seq = _seq_of(frame)
            if seq is not None:
                self.last_seq[channel] = max(seq, self.last_seq.get(channel, 0))
            await self.deliver(channel, frame)

    async def _reconnect(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._pubsub.aclose(), 2)
        self._pubsub = pubsub = self._new_pubsub()
        if self.channels:
            await pubsub.subscribe(*self.channels)  # raises while Redis is still down
        await self._replay()

    async def _replay(self) -> None:
        # Replay what each room missed while we were disconnected, or tell its sockets to
        # resync when the log cannot prove it complete (gap, or a new epoch: Redis restarted).
        for channel in [c for c in self.channels if _is_room(c)]:
            room_id = _room_of(channel)
            frames = await missed_frames(self.redis, room_id, self.last_seq.get(channel, 0), self.epoch.get(channel))
            if frames is None:
                self.epoch[channel], self.last_seq[channel] = await room_position(self.redis, room_id)
                await self.deliver(channel, broadcast.encode(
                    {"type": "room.resync", "room": room_id, "seq": None, "data": {"reason": "connection_lost"}}))
                continue
            for frame in frames:
                await self.deliver(channel, frame)
                self.last_seq[channel] = max(self.last_seq[channel], _seq_of(frame) or 0)


def _is_room(channel: str) -> bool:
    return channel.startswith("{room:") and channel.endswith("}")


def _room_of(channel: str) -> int:
    """"{room:12}" or "{room:12}:dirty" → 12."""
    return int(channel[1:channel.index("}")].split(":")[1])


def _int_after(frame: str, marker: str) -> int | None:
    """The integer following `marker` in a frame, read without parsing the whole frame
    (frames are built by realtime.broadcast, which puts type, room and seq first)."""
    at = frame.find(marker)
    if at < 0:
        return None
    start = end = at + len(marker)
    while end < len(frame) and frame[end].isdigit():
        end += 1
    return int(frame[start:end]) if end > start else None


def _seq_of(frame: str) -> int | None:
    return _int_after(frame, '"seq":')


def _frame_room(frame: str) -> int | None:
    return _int_after(frame, '"room":')


async def room_position(redis: aioredis.Redis, room_id: int) -> tuple[str, int]:
    """The room's current (epoch, last sequence number). The epoch is created here if the
    room has none yet, so that a client can catch up even in a room without events."""
    await redis.set(broadcast.epoch_key(room_id), secrets.token_hex(8), nx=True)
    epoch, seq = await redis.mget(broadcast.epoch_key(room_id), broadcast.seq_key(room_id))
    return _text(epoch or b""), int(seq or 0)


async def missed_frames(redis: aioredis.Redis, room_id: int, after: int, epoch: str | None) -> list[str] | None:
    """Frames with a sequence number above `after`, or None when the client must resync:
    the room's sequence restarted (different epoch) or the log no longer reaches back."""
    current_epoch, current = await room_position(redis, room_id)
    if epoch is not None and epoch != current_epoch:
        return None
    if after > current:
        return None
    if after == current:
        return []
    entries = await redis.xrange(broadcast.log_key(room_id), min=f"({after}-0", max="+")
    if not entries or int(_text(entries[0][0]).split("-")[0]) != after + 1:
        return None
    return [_text(fields[b"f"]) for _, fields in entries if fields]


def _text(value: Any) -> str:
    """Redis replies are bytes (the clients are not set to decode them)."""
    return value.decode() if isinstance(value, bytes) else str(value)
