"""The websocket protocol's frames, as typed schemas (documented in docs/asyncapi.json).

Client → server: a command {"id": <correlation id>, "type": "<command>", ...fields}.
Server → client: exactly one reply per command, {"id", "ok": true, "data"} or
{"id", "ok": false, "error": {"code", "message", "field"?}}; and pushes
{"type", "room", "seq", "data"} where seq is the room's sequence number, or null for
snapshots (counters) and personal pushes that are not replayed on reconnect."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from conference import text
from conference.schema import MAX_ID, Id

MAX_FRAME_BYTES = 16 * 1024
MAX_ID_LENGTH = 64


def _check_correlation_id(value: object) -> str | int | None:
    if value is None:
        return None
    checked = correlation_id({"id": value})
    if checked is not None:
        return checked
    raise PydanticCustomError("correlation_id", f"A command id is a string of at most {MAX_ID_LENGTH} characters "
                              "(one line of text) or a 64-bit integer.")


# One validator rather than a union, so that an error names the field `id` and nothing more.
CorrelationId = Annotated[str | int | None, PlainValidator(_check_correlation_id), WithJsonSchema({"anyOf": [
    {"type": "string", "maxLength": MAX_ID_LENGTH}, {"type": "integer", "minimum": -MAX_ID - 1, "maximum": MAX_ID},
    {"type": "null"}]})]


class Command(BaseModel):
    """Fields every command carries; each command's own schema extends it.

    Strict: no coercion, so "12" is not the id 12, true is not 1 and "yes" is not true; text
    follows the platform's text rule (conference.text) and ids stay within the database's range."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: CorrelationId = Field(default=None, description=f"Correlation id, echoed in the reply (a string of at "
                              f"most {MAX_ID_LENGTH} characters, or an integer)")
    type: str


class RoomCommand(Command):
    room: Id = Field(description="Room id")


def correlation_id(frame: dict) -> str | int | None:
    """The frame's `id` if the reply can echo it, else None (the reply then has `id: null`,
    and validating the command reports what is wrong with it)."""
    value = frame.get("id")
    if isinstance(value, int) and not isinstance(value, bool) and -MAX_ID - 1 <= value <= MAX_ID:
        return value
    if isinstance(value, str) and len(value) <= MAX_ID_LENGTH and text.problem(value) is None:
        return value
    return None


def command_name(frame: dict) -> str | None:
    """The frame's `type` if it is safe to quote in an error message."""
    value = frame.get("type")
    if isinstance(value, str) and len(value) <= 40 and text.problem(value) is None:
        return value
    return None


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
