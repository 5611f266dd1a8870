"""Fixtures of the chat app's tests, defined in chat_fixtures (test modules need not import them)."""

from .chat_fixtures import listen, live_redis, place, world  # noqa: F401
