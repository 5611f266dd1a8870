"""The room state a client receives on joining, assembled from providers that each
feature registers (chat: recent messages, Q&A: visible questions, polls: open polls)."""

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any, Any], dict]  # (membership, room) -> part of the state
_providers: dict[str, Provider] = {}


def provider(name: str):
    def register(fn: Provider) -> Provider:
        _providers[name] = fn
        return fn

    return register


def collect(membership, room) -> dict[str, Any]:
    return {name: fn(membership, room) for name, fn in _providers.items()}
