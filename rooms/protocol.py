"""The websocket protocol's frames, as typed schemas (documented in docs/asyncapi.json).

Client → server: a command {"id": <correlation id>, "type": "<command>", ...fields}.
Server → client: exactly one reply per command, {"id", "ok": true, "data"} or
{"id", "ok": false, "error": {"code", "message", "field"?}}; and pushes
{"type", "room", "seq", "data"} where seq is the room's sequence number, or null for
snapshots (counters) and personal pushes that are not replayed on reconnect."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_FRAME_BYTES = 16 * 1024


class Command(BaseModel):
    """Fields every command carries; each command's own schema extends it."""

    model_config = ConfigDict(extra="forbid")
    id: str | int | None = Field(default=None, description="Correlation id, echoed in the reply")
    type: str


class RoomCommand(Command):
    room: int = Field(description="Room id")


class Reply(BaseModel):
    id: str | int | None
    ok: bool
    data: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorReply(BaseModel):
    id: str | int | None
    ok: bool = False
    error: ErrorBody


class Push(BaseModel):
    """Every server push."""

    type: str
    room: int | None
    seq: int | None
    data: dict[str, Any]


# Stable error codes of the protocol itself (services add their own, e.g. "muted").
BAD_JSON = "bad_json"
BAD_FRAME = "bad_frame"
FRAME_TOO_LARGE = "frame_too_large"
UNKNOWN_COMMAND = "unknown_command"
INVALID = "invalid"
NOT_JOINED = "not_joined"
RATE_LIMITED = "rate_limited"
INTERNAL = "internal_error"
