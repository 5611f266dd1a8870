"""Pydantic types for what clients send, shared by the websocket protocol and the JSON API:
text that follows the platform's text rule (conference.text) and ids within the range of
the database's keys.

    class PollCreate(RoomCommand):
        question: Line = Field(min_length=1)
        options: list[Line]
        poll: Id

Combine them with `Field(...)` for lengths, and with strict models (`ConfigDict(strict=True)`)
where "12" must not pass for 12 nor "yes" for true."""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from . import text
from .errors import InvalidInput

MAX_ID = 2**63 - 1  # the largest key of a BIGINT / SQLite INTEGER column


def _rule(multiline: bool):
    def check(value: str) -> str:
        reason = text.problem(value, multiline=multiline)
        if reason:
            raise PydanticCustomError("text", "The text {reason}.", {"reason": reason})
        return value

    return check


# One line of text: names, titles, labels, poll options, reasons.
Line = Annotated[str, AfterValidator(_rule(multiline=False))]
# Text that may have several lines: messages, questions, descriptions.
Paragraph = Annotated[str, AfterValidator(_rule(multiline=True))]
# A database id: 1 .. 2**63-1 (beyond it no row can exist; the database would fail on it).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A count or position (sequence numbers, limits): 0 .. 2**63-1.
Count = Annotated[int, Field(ge=0, le=MAX_ID)]


def as_id(value: object, *, field: str) -> int:
    """A database id from form input ("17"), or InvalidInput naming the field (pages post ids as
    text: a missing or mangled one is a clear error, not a server error)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise InvalidInput("This form refers to something that does not exist; reload the page.", field=field)
    if not 1 <= number <= MAX_ID:
        raise InvalidInput("This form refers to something that does not exist; reload the page.", field=field)
    return number
