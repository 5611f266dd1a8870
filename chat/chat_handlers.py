"""Websocket commands, events and join state of chat and reactions (see chat.services,
chat.reactions). Error codes: not_joined, invalid, too_long, login_required, email_unverified, room_closed,
room_paused, muted, slow_mode, rate_limited, not_found, not_moderator, not_allowed."""

from typing import Literal

from pydantic import Field

from conference.schema import Id, Line, Paragraph
from realtime.events import EventData, event
from rooms.commands import Context, command
from rooms.protocol import RoomCommand
from rooms.state import provider

from . import reactions, services

# --- commands ------------------------------------------------------------------------------


class ChatSend(RoomCommand):
    """Post a chat message (plain text, stored as typed; clients render it as text)."""

    # No max_length here: a longer text gets the service's `too_long` (the frame limit bounds it).
    text: Paragraph = Field(min_length=1, description=f"The message, at most {services.MAX_MESSAGE} characters "
                                                f"(longer: error too_long)")


@command("chat.send", ChatSend)
async def send(ctx: Context, cmd: ChatSend) -> dict:
    member = ctx.membership(cmd.room)
    return {"message": await ctx.call(services.post_message, member, cmd.text)}


class ChatHistory(RoomCommand):
    """Earlier messages of the room, a page at a time, newest page first."""

    before: Id | None = Field(default=None, description="Messages older than this message id")
    limit: int = Field(default=services.HISTORY_LIMIT, ge=1, le=services.MAX_HISTORY_LIMIT,
                       description="How many messages at most")


@command("chat.history", ChatHistory)
async def history(ctx: Context, cmd: ChatHistory) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(services.history, member, before=cmd.before, limit=cmd.limit)


class ChatDelete(RoomCommand):
    """Delete one's own message; moderators delete anyone's."""

    message: Id = Field(description="Id of the message")


@command("chat.delete", ChatDelete)
async def delete(ctx: Context, cmd: ChatDelete) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(services.delete_message, member, cmd.message)


class ChatMute(RoomCommand):
    """Moderators: keep a user from chatting in this room or in the whole edition."""

    user: Id = Field(description="Id of the user to mute")
    scope: Literal["room", "edition"] = Field(default="room", description="This room, or every room of the edition")
    minutes: int | None = Field(default=None, ge=1, le=services.MAX_MUTE_MINUTES,
                                description="For how long; empty: until lifted")
    reason: Line = Field(default="", max_length=services.MAX_REASON, description="Why (kept for the moderators)")


@command("chat.mute", ChatMute)
async def mute(ctx: Context, cmd: ChatMute) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(services.mute, member, cmd.user, cmd.scope, cmd.minutes, cmd.reason)


class ChatUnmute(RoomCommand):
    """Moderators: lift a user's mute of that scope."""

    user: Id = Field(description="Id of the muted user")
    scope: Literal["room", "edition"] = Field(default="room", description="Which mute to lift")


@command("chat.unmute", ChatUnmute)
async def unmute(ctx: Context, cmd: ChatUnmute) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(services.unmute, member, cmd.user, cmd.scope)


class ChatSlowMode(RoomCommand):
    """Moderators: at most one message per attendee every `seconds` (0 turns it off)."""

    seconds: int = Field(ge=0, le=services.MAX_SLOW_MODE, description="Seconds between two messages; 0: off")


@command("chat.slow_mode", ChatSlowMode)
async def slow_mode(ctx: Context, cmd: ChatSlowMode) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(services.set_slow_mode, member, cmd.seconds)


class ReactionSend(RoomCommand):
    """React with one of the room's emoji; everyone sees the totals (a few updates per second)."""

    emoji: Line = Field(max_length=16, description=f"One of {' '.join(reactions.EMOJI)}")


@command("reaction.send", ReactionSend)
async def react(ctx: Context, cmd: ReactionSend) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(reactions.react, member, cmd.emoji)


# --- join state ----------------------------------------------------------------------------


@provider("chat")
def chat_state(membership, room) -> dict:
    return services.chat_state(membership, room)


@provider("reactions")
def reactions_state(membership, room) -> dict:
    return {"counts": reactions.counts(room.pk)}


# --- events --------------------------------------------------------------------------------


class Author(EventData):
    id: int
    name: str


class ChatMessage(EventData):
    id: int
    author: Author
    text: str
    created_at: str


class ChatDeleted(EventData):
    id: int


class ChatMuted(EventData):
    room: int
    scope: Literal["room", "edition"]
    until: str | None


class ChatSettings(EventData):
    slow_mode_seconds: int


class Reactions(EventData):
    counts: dict[str, int]


event("chat.message", ChatMessage, "A chat message (plain text: render it as text, never as HTML).",
      {"id": 311, "author": {"id": 42, "name": "Olivia Online"}, "text": "Great point about <clusters>!",
       "created_at": "2026-09-26T09:21:07.123Z"}, sequenced=True)
event("chat.deleted", ChatDeleted, "A message was deleted by its author or a moderator: remove it.",
      {"id": 311}, sequenced=True)
event("chat.muted", ChatMuted, "To you only: a moderator muted you in a room or the whole edition.",
      {"room": 12, "scope": "room", "until": "2026-09-26T09:36:07Z"}, sequenced=False, audience="user")
event("chat.unmuted", ChatMuted, "To you only: a moderator lifted your mute.",
      {"room": 12, "scope": "room", "until": None}, sequenced=False, audience="user")
event("chat.settings", ChatSettings, "A moderator changed slow mode (0: off).",
      {"slow_mode_seconds": 30}, sequenced=True)
event("reactions", Reactions, "Total reactions of the room per emoji (at most 4 per second).",
      {"counts": {"👏": 120, "❤️": 31, "😂": 4, "😮": 2, "👍": 57, "🎉": 9}}, sequenced=False)
