"""Websocket commands, events and join state of polls (see chat.polls). Error codes:
not_joined, invalid, too_long, login_required, email_unverified, not_moderator, not_found, poll_not_open,
room_closed, rate_limited."""

from typing import Literal

from pydantic import Field

from conference.schema import Id, Line
from realtime.events import EventData, event
from rooms.commands import Context, command
from rooms.protocol import RoomCommand
from rooms.state import provider

from . import polls

# --- commands ------------------------------------------------------------------------------


class PollCreate(RoomCommand):
    """Moderators: a draft poll (seen by moderators only until opened)."""

    question: Line = Field(min_length=1, description=f"The question, at most {polls.MAX_QUESTION} characters")
    options: list[Line] = Field(min_length=polls.MIN_OPTIONS, max_length=polls.MAX_OPTIONS,
                               description=f"{polls.MIN_OPTIONS} to {polls.MAX_OPTIONS} answers, "
                                           f"each at most {polls.MAX_OPTION} characters")
    multiple: bool = Field(default=False, description="Whether several answers may be chosen")
    results: Literal["live", "hidden", "moderators"] = Field(
        default="live", description="Results shown live, hidden until the poll closes, or to moderators only")


@command("poll.create", PollCreate)
async def create(ctx: Context, cmd: PollCreate) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(polls.create_poll, member, cmd.question, cmd.options, multiple=cmd.multiple,
                          results=cmd.results)


class PollRef(RoomCommand):
    """Moderators: open a draft poll (poll.open) or close an open one (poll.close)."""

    poll: Id = Field(description="Id of the poll")


@command("poll.open", PollRef)
async def open_(ctx: Context, cmd: PollRef) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(polls.open_poll, member, cmd.poll)


@command("poll.close", PollRef)
async def close(ctx: Context, cmd: PollRef) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(polls.close_poll, member, cmd.poll)


class PollVote(RoomCommand):
    """Vote in an open poll; voting again replaces one's earlier choice."""

    poll: Id = Field(description="Id of the poll")
    options: list[Id] = Field(min_length=1, max_length=polls.MAX_OPTIONS,
                               description="Ids of the chosen options (exactly one for a single-choice poll)")


@command("poll.vote", PollVote)
async def vote(ctx: Context, cmd: PollVote) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(polls.vote, member, cmd.poll, cmd.options)


class PollList(RoomCommand):
    """The room's polls, newest first: open and closed ones (moderators: drafts too)."""


@command("poll.list", PollList)
async def list_(ctx: Context, cmd: PollList) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(polls.list_polls, member)


# --- join state ----------------------------------------------------------------------------


@provider("polls")
def polls_state(membership, room) -> dict:
    return polls.polls_state(membership, room)


# --- events --------------------------------------------------------------------------------


class Option(EventData):
    id: int
    text: str


class PollData(EventData):
    id: int
    question: str
    multiple: bool
    status: Literal["draft", "open", "closed"]
    results: Literal["live", "hidden", "moderators"]
    options: list[Option]
    created_at: str
    opened_at: str | None
    closed_at: str | None
    counts: dict[str, int] | None  # votes per option id; null while the results are not shown to everyone
    participants: int | None


class PollChanged(EventData):
    poll: PollData


class PollResults(EventData):
    poll: int
    counts: dict[str, int]
    participants: int


_EXAMPLE = {"id": 5, "question": "Which cluster service matters most to you?", "multiple": False,
            "status": "open", "results": "live",
            "options": [{"id": 17, "text": "Matchmaking"}, {"id": 18, "text": "Internationalisation"}],
            "created_at": "2026-09-26T09:00:00Z", "opened_at": "2026-09-26T09:30:00Z", "closed_at": None,
            "counts": {"17": 0, "18": 0}, "participants": 0}

event("poll.opened", PollChanged, "A moderator opened a poll: show it and let people vote "
      "(results included when shown live).", {"poll": _EXAMPLE}, sequenced=True)
event("poll.closed", PollChanged, "A moderator closed a poll (final results included when everyone may see them).",
      {"poll": {**_EXAMPLE, "status": "closed", "closed_at": "2026-09-26T09:35:00Z",
                "counts": {"17": 40, "18": 23}, "participants": 63}}, sequenced=True)
event("poll.results", PollResults, "Current results of a poll (at most 4 per second): to the room when results "
      "are shown to everyone, otherwise to moderators only.",
      {"poll": 5, "counts": {"17": 40, "18": 23}, "participants": 63}, sequenced=False)
