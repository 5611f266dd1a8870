"""The one websocket per browser tab (/ws/), multiplexing every room the tab is in.

Channels handles the connection, authentication (session cookie, or a token for
non-browser clients) and incoming commands; broadcasts come through the per-process
hub (rooms.hub), not through the channel layer. See rooms.protocol for the frames."""

import asyncio
import contextlib
import json
import logging
import secrets

from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth.models import AnonymousUser
from pydantic import ValidationError

from conference import text
from conference.errors import ServiceError
from realtime import broadcast

from . import connections, presence, protocol
from .commands import Context, registry
from .hub import Hub, Outbox
from .transport import write_buffer_probe

log = logging.getLogger(__name__)

CLOSE_TOO_SLOW = 4008
CLOSE_REPLACED = 4001


class RoomSocket(AsyncWebsocketConsumer):
    # No channel layer: nothing is sent to sockets through it (the hub does that).
    channel_layer_alias = "none"

    async def connect(self):
        self.user = self.scope.get("user") or AnonymousUser()
        self.conn_id = secrets.token_hex(8)
        self.ctx = Context(socket=self, user=self.user, conn_id=self.conn_id)
        self.hub = Hub.get()
        self.channels_joined: set[str] = set()
        await self.accept()
        self.outbox = Outbox(self._write, self._too_slow, write_buffer_probe(self.base_send))
        Hub.open_sockets += 1
        await self.attach(connections.connection_channel(self.conn_id))
        if self.user.is_authenticated:
            await self.attach(broadcast.user_channel(self.user.pk))
            await connections.register(self.hub.redis, self.user.pk, self.conn_id)
        self.heartbeat = asyncio.get_running_loop().create_task(self._heartbeat())
        self.push("hello", {"connection": self.conn_id, "user_id": self.user.pk if self.user.is_authenticated
                            else None, "heartbeat_seconds": presence.REFRESH})

    async def disconnect(self, code):
        if not hasattr(self, "outbox"):
            return
        Hub.open_sockets -= 1
        self.heartbeat.cancel()
        for room_id, membership in list(self.ctx.memberships.items()):
            with contextlib.suppress(Exception):
                await presence.leave(self.hub.redis, room_id, self.conn_id, membership.mode)
        for channel in list(self.channels_joined):
            await self.hub.detach(channel, self.outbox)
        if self.user.is_authenticated:
            with contextlib.suppress(Exception):
                await connections.unregister(self.hub.redis, self.user.pk, self.conn_id)
        self.outbox.close()

    # --- sending -----------------------------------------------------------------------

    async def attach(self, channel: str) -> None:
        if channel not in self.channels_joined:
            self.channels_joined.add(channel)
            await self.hub.attach(channel, self.outbox)

    async def detach(self, channel: str) -> None:
        if channel in self.channels_joined:
            self.channels_joined.discard(channel)
            await self.hub.detach(channel, self.outbox)

    def push(self, event_type: str, data: dict, room: int | None = None) -> None:
        self.outbox.put_direct(broadcast.encode({"type": event_type, "room": room, "seq": None, "data": data}))

    def reply(self, command_id, data: dict) -> None:
        self.outbox.put_direct(broadcast.encode({"id": command_id, "ok": True, "data": data}))

    def error(self, command_id, code: str, message: str, field: str | None = None) -> None:
        body = {"code": code, "message": message}
        if field:
            body["field"] = field
        self.outbox.put_direct(broadcast.encode({"id": command_id, "ok": False, "error": body}))

    async def _write(self, frame: str) -> None:
        await self.base_send({"type": "websocket.send", "text": frame})  # the hot path: no extra layers
        if frame.startswith('{"type":"connection.replaced"'):
            await self.close(code=CLOSE_REPLACED)

    async def _too_slow(self) -> None:
        log.info("closing a websocket that does not keep up (user %s)", getattr(self.user, "pk", None))
        await self.close(code=CLOSE_TOO_SLOW)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(presence.REFRESH)
            try:
                modes = {room_id: m.mode for room_id, m in self.ctx.memberships.items()}
                await presence.refresh(self.hub.redis, modes, self.conn_id)
                if self.user.is_authenticated:
                    await connections.keep_alive(self.hub.redis, self.user.pk, self.conn_id)
            except Exception:  # Redis down: presence heals when it is back
                log.warning("presence refresh failed", exc_info=True)

    # --- receiving ---------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None:
            return self.error(None, protocol.BAD_FRAME, "Frames must be JSON text.")
        if len(text_data) > protocol.MAX_FRAME_BYTES or len(text_data.encode()) > protocol.MAX_FRAME_BYTES:
            return self.error(None, protocol.FRAME_TOO_LARGE,
                              f"Frames are limited to {protocol.MAX_FRAME_BYTES} bytes.")
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):  # JSONDecodeError, an integer of over 4,300 digits, deep nesting
            return self.error(None, protocol.BAD_JSON, "The frame is not valid JSON.")
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            return self.error(None, protocol.BAD_FRAME, "A command is a JSON object with a string `type`.")
        command_id = protocol.correlation_id(frame)
        registered = registry.get(frame["type"])
        if registered is None:
            name = protocol.command_name(frame)
            return self.error(command_id, protocol.UNKNOWN_COMMAND, f"Unknown command “{name}”." if name
                              else "Unknown command.")
        try:
            command = registered.schema.model_validate(frame)
        except ValidationError as exc:
            first = exc.errors()[0]
            # Unknown fields are named after the client's keys: quote them only as safe text.
            field = text.scrub(".".join(str(part) for part in first["loc"])[:100], multiline=False) or None
            return self.error(command_id, protocol.INVALID, f"{field}: {first['msg']}" if field else first["msg"],
                              field)
        try:
            data = await registered.handler(self.ctx, command)
        except ServiceError as exc:
            return self.error(command_id, exc.code, exc.message, exc.field)
        except Exception:
            log.exception("command %s failed", frame["type"])
            return self.error(command_id, protocol.INTERNAL, "Something went wrong on our side; please retry.")
        if data is not None:  # None: the handler replied itself (room.join)
            self.reply(command_id, data)
