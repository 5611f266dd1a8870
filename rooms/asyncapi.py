"""Builds the AsyncAPI 3.0 document of the websocket protocol from the command and event
registries, so the document always describes what the server accepts and sends.

    python manage.py asyncapi          # writes docs/asyncapi.json
"""

import copy
from typing import Any

from realtime import events

from . import commands, protocol
from .command_examples import EXAMPLES

DESCRIPTION = """\
One websocket per browser tab at `/ws/`, multiplexing every room the tab is in. Frames are JSON.

**Commands** (client → server) carry a correlation `id` and a `type`; each gets exactly one
reply: `{"id", "ok": true, "data": {...}}` or `{"id", "ok": false, "error": {"code", "message",
"field"?}}`. Error codes are stable; the connection stays usable after an error.

**Pushes** (server → client) are `{"type", "room", "seq", "data"}`. Room events carry the
room's sequence number `seq` and are kept in a capped per-room log. Snapshots of counters
(presence, reactions, votes, poll results; at most 4 per second each) and personal pushes
have `seq: null`: they are not replayed, as the next snapshot or the room state supersedes them.

**Reconnect**: send `room.join` with the `last_seq` and `epoch` you saw; you get the missed
events (before the reply, with `caught_up: n`) or, when the log no longer reaches back or the
epoch changed, the full room state with `resync: true`. Apply events idempotently by entity id.

**Authentication**: the Django session cookie (browsers), or a device token
(`Authorization: Bearer dt_…` or `?token=dt_…`). The `Origin` header must be one of the site's
own origins, scheme, host and port alike (the site's URL and its trusted origins); a socket
from any other origin, or without one, is refused at the handshake (HTTP 403).

**Input**: fields are strictly typed: `"12"` is not the id 12, `true` is not 1 and `"yes"` is
not true (error `invalid` naming the `field`). Ids are integers from 1 to 2^63-1. Text follows
one rule everywhere: no control characters, lone surrogates or noncharacters; single-line
fields (titles, labels, poll options, reasons) have no line breaks or tabs either; messages,
questions and announcements may have several lines.

**Frame size**: frames are limited to 16 KiB (UTF-8). A larger frame gets an error reply
`frame_too_large` with `id: null`; a frame of 1 MiB or more is refused by closing the socket
with code 1009 (message too big). A frame that is not JSON gets `bad_json`.
"""


def _schema(model) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


def _defs(model) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {})


def build() -> dict[str, Any]:
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    for name, registered in sorted(commands.registry.items()):
        key = f"command.{name}"
        schemas.update(_defs(registered.schema))
        messages[key] = {
            "name": name,
            "title": f"Command {name}",
            "summary": (registered.schema.__doc__ or "").strip().split("\n")[0],
            "payload": _schema(registered.schema),
            "examples": [{"name": name, "payload": EXAMPLES[name]}],
        }
        operations[f"send.{name}"] = {
            "action": "send", "channel": {"$ref": "#/channels/socket"},
            "messages": [{"$ref": f"#/channels/socket/messages/{key}"}],
            "reply": {"channel": {"$ref": "#/channels/socket"},
                      "messages": [{"$ref": "#/channels/socket/messages/reply"},
                                   {"$ref": "#/channels/socket/messages/error"}]},
        }

    for name, spec in sorted(events.registry.items()):
        key = f"event.{name}"
        envelope = copy.deepcopy(_schema(protocol.Push))
        envelope["properties"]["type"] = {"const": name, "type": "string"}
        envelope["properties"]["seq"] = {"type": "integer"} if spec.sequenced else {"type": "null"}
        envelope["properties"]["data"] = _schema(spec.schema)
        schemas.update(_defs(spec.schema))
        messages[key] = {
            "name": name,
            "title": f"Event {name}",
            "summary": spec.summary,
            "description": f"Audience: {spec.audience}. " + (
                "Sequenced and replayed on reconnect." if spec.sequenced else "Not sequenced."),
            "payload": envelope,
            "examples": [{"name": name, "payload": {"type": name, "room": None if spec.audience == "connection" else 12,
                                                    "seq": 41 if spec.sequenced else None, "data": spec.example}}],
        }
        operations[f"receive.{name}"] = {
            "action": "receive", "channel": {"$ref": "#/channels/socket"},
            "messages": [{"$ref": f"#/channels/socket/messages/{key}"}],
        }

    messages["reply"] = {
        "name": "reply", "title": "Successful reply", "payload": _schema(protocol.Reply),
        "examples": [{"name": "reply", "payload": {"id": "c1", "ok": True, "data": {"type": "pong"}}}],
    }
    messages["error"] = {
        "name": "error", "title": "Error reply", "payload": _schema(protocol.ErrorReply),
        "examples": [{"name": "error", "payload": {"id": "c2", "ok": False, "error": {
            "code": "not_joined", "message": "Join room 12 first.", "field": "room"}}}],
    }
    schemas.update(_defs(protocol.ErrorReply))
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Conference platform live rooms", "version": "1.0.0", "description": DESCRIPTION},
        "servers": {"production": {"host": "conference.example.org", "protocol": "wss", "pathname": "/ws/"},
                    "local": {"host": "127.0.0.1:8000", "protocol": "ws", "pathname": "/ws/"}},
        "defaultContentType": "application/json",
        "channels": {"socket": {"address": "/ws/", "messages": {
            key: {"$ref": f"#/components/messages/{key}"} for key in sorted(messages)}}},
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
