"""How many bytes a websocket's server transport still has to write to the client.

ASGI hides the transport, but a slow client must be recognised before its backlog grows
without bound. This follows the ASGI `send` callable back to the server's protocol object
(Daphne: a functools.partial over the Twisted protocol, possibly wrapped by Channels'
session middleware; uvicorn: a bound method of its protocol) and reads the transport's
write buffer. Servers it does not know give None, and only the outbox bound applies."""

import functools
from collections.abc import Callable
from typing import Any

Probe = Callable[[], int]


def write_buffer_probe(send: Any) -> Probe | None:
    target = send
    for _ in range(6):  # a few layers of wrapping at most
        if isinstance(target, functools.partial):
            for arg in target.args:
                probe = _probe(getattr(arg, "transport", None))
                if probe is not None:
                    return probe
            target = target.func
            continue
        owner = getattr(target, "__self__", None)
        if owner is None:
            return None
        probe = _probe(getattr(owner, "transport", None))
        if probe is not None:
            return probe
        target = getattr(owner, "real_send", None)  # channels.sessions.InstanceSessionWrapper
    return None


def _probe(transport: Any) -> Probe | None:
    if transport is None:
        return None
    if hasattr(transport, "get_write_buffer_size"):  # asyncio transports (uvicorn)
        return transport.get_write_buffer_size
    if hasattr(transport, "dataBuffer") and hasattr(transport, "_tempDataLen"):  # Twisted (Daphne)
        return lambda: len(transport.dataBuffer) - transport.offset + transport._tempDataLen
    return None
