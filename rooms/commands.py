"""Registry of websocket commands. Each feature registers its handlers here:

    @command("chat.send", ChatSend)
    async def send(ctx: Context, cmd: ChatSend) -> dict: ...

A handler gets the validated command and returns the reply's data; it raises a
conference.errors.ServiceError (or CommandError) for an error reply. Handlers call
services through `ctx.call(fn, ...)`, which runs them in a thread with database access
(consumers never touch the ORM directly)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from pydantic import BaseModel

from conference.errors import ServiceError

from . import protocol
from .services import Membership


class CommandError(ServiceError):
    status = 400


@dataclass
class Context:
    """What a handler knows about the connection it serves."""

    socket: Any  # the RoomSocket consumer: attach/detach rooms, send frames
    user: Any
    conn_id: str
    memberships: dict[int, Membership] = field(default_factory=dict)

    async def call(self, fn: Callable, *args, **kwargs):
        # Not thread-sensitive: commands run in the thread pool, each thread with its own
        # database connection, instead of queueing on the one thread that also resolves
        # every new socket's session (a join storm would otherwise delay the handshakes).
        return await database_sync_to_async(fn, thread_sensitive=False)(*args, **kwargs)

    def membership(self, room_id: int) -> Membership:
        """The caller's membership of a room it has joined, or a `not_joined` error."""
        membership = self.memberships.get(room_id)
        if membership is None:
            raise CommandError(f"Join room {room_id} first.", code=protocol.NOT_JOINED, field="room")
        return membership


Handler = Callable[[Context, Any], Awaitable[dict | None]]


@dataclass(frozen=True)
class Registered:
    handler: Handler
    schema: type[BaseModel]


registry: dict[str, Registered] = {}


def command(name: str, schema: type[BaseModel]):
    def register(handler: Handler) -> Handler:
        if name in registry:
            raise RuntimeError(f"Command {name} registered twice")
        registry[name] = Registered(handler, schema)
        return handler

    return register
