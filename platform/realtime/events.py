"""Typed schemas of every server push's `data`, registered by the feature that emits it.
The AsyncAPI document (docs/asyncapi.json) is generated from this registry and from the
command registry (rooms.commands); the protocol tests validate every push they receive
against it, so the document and the server cannot drift apart."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class EventSpec:
    name: str
    schema: type[BaseModel]
    summary: str
    example: dict[str, Any]
    sequenced: bool  # logged with a room sequence number (replayed on reconnect)
    audience: str  # room | moderators | user | connection


registry: dict[str, EventSpec] = {}


def event(name: str, schema: type[BaseModel], summary: str, example: dict, *, sequenced: bool,
          audience: str = "room") -> None:
    schema.model_validate(example)  # examples are checked when the module loads
    registry[name] = EventSpec(name, schema, summary, example, sequenced, audience)


def validate(frame: dict) -> None:
    """Raise if a push does not match its registered schema (used by the tests)."""
    spec = registry.get(frame["type"])
    if spec is None:
        raise AssertionError(f"unregistered event type {frame['type']!r}")
    if spec.sequenced != (frame["seq"] is not None):
        raise AssertionError(f"{frame['type']}: seq {'missing' if spec.sequenced else 'unexpected'}")
    spec.schema.model_validate(frame["data"])


class EventData(BaseModel):
    model_config = ConfigDict(extra="forbid")
