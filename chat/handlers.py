"""Websocket commands, events, snapshots and join state of the chat app (imported by
rooms.apps at startup): each feature's handlers live in its own module."""

from . import chat_handlers, poll_handlers, qa_handlers  # noqa: F401
