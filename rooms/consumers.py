"""The one websocket per browser tab (/ws/). Frames are JSON objects.

Client commands: {"id": <correlation id>, "type": "<command>", ...}; each gets exactly
one reply: {"id": ..., "ok": true, "data": {...}} or {"id": ..., "ok": false,
"error": {"code": ..., "message": ...}}. The live-rooms work adds room commands on
top of this envelope; for now the socket answers `ping`.
"""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

MAX_FRAME_BYTES = 16 * 1024


class RoomSocket(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None:
            return await self._error(None, "bad_frame", "Frames must be JSON text.")
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            return await self._error(None, "frame_too_large", f"Frames are limited to {MAX_FRAME_BYTES} bytes.")
        try:
            frame = json.loads(text_data)
        except json.JSONDecodeError:
            return await self._error(None, "bad_json", "The frame is not valid JSON.")
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            return await self._error(None, "bad_frame", "A command is a JSON object with a string `type`.")
        command_id = frame.get("id")
        if frame["type"] == "ping":
            return await self.send(text_data=json.dumps({"id": command_id, "ok": True, "data": {"type": "pong"}}))
        return await self._error(command_id, "unknown_command", f"Unknown command “{frame['type']}”.")

    async def _error(self, command_id, code: str, message: str):
        error = {"id": command_id, "ok": False, "error": {"code": code, "message": message}}
        await self.send(text_data=json.dumps(error))
