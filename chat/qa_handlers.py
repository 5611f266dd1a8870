"""Websocket commands, events, snapshots and join state of Q&A (see chat.qa).
Error codes: not_joined, invalid, too_long, login_required, email_unverified, room_closed, room_paused,
muted, rate_limited, not_found, not_visible, already_voted, not_moderator."""

from typing import Literal

from channels.db import database_sync_to_async
from pydantic import Field

from conference.schema import Id, Line, Paragraph
from realtime.events import EventData, event
from rooms.commands import Context, command
from rooms.counters import Snapshot, snapshot
from rooms.protocol import RoomCommand
from rooms.state import provider

from . import qa

# --- commands ------------------------------------------------------------------------------


class QaAsk(RoomCommand):
    """Ask a question. With pre-moderation it waits for a moderator (you see it as pending);
    otherwise everyone sees it at once."""

    # No max_length here: a longer text gets the service's `too_long` (the frame limit bounds it).
    text: Paragraph = Field(min_length=1, description=f"The question (plain text), at most {qa.MAX_TEXT} characters "
                                                f"(longer: error too_long)")
    anonymous: bool = Field(default=False, description="Hide your name from everyone (if the room allows it)")


@command("qa.ask", QaAsk)
async def ask(ctx: Context, cmd: QaAsk) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.ask, member, cmd.text, anonymous=cmd.anonymous)


class QaVote(RoomCommand):
    """Upvote a visible question, once (a second time: error already_voted)."""

    question: Id = Field(description="Id of the question")


@command("qa.vote", QaVote)
async def vote(ctx: Context, cmd: QaVote) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.vote, member, cmd.question)


class QaUnvote(RoomCommand):
    """Take your vote for a question back."""

    question: Id = Field(description="Id of the question")


@command("qa.unvote", QaUnvote)
async def unvote(ctx: Context, cmd: QaUnvote) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.unvote, member, cmd.question)


class QaList(RoomCommand):
    """The room's visible questions or the answered archive, with your votes."""

    sort: Literal["votes", "recent"] = Field(default="votes", description="Most votes or most recent first")
    status: Literal["visible", "answered"] = Field(default="visible",
                                                   description="Visible questions, or the answered archive")


@command("qa.list", QaList)
async def list_questions(ctx: Context, cmd: QaList) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.list_questions, member, sort=cmd.sort, status=cmd.status)


class QaQueue(RoomCommand):
    """Moderators: the questions waiting for approval, oldest first."""


@command("qa.queue", QaQueue)
async def queue(ctx: Context, cmd: QaQueue) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.moderation_queue, member)


class QaModerate(RoomCommand):
    """Moderators: approve (optionally with an edited text), dismiss (the asker is not told),
    highlight / unhighlight (one at a time), answer (archive), restore (back to visible)."""

    question: Id = Field(description="Id of the question")
    action: Literal["approve", "dismiss", "highlight", "unhighlight", "answer", "restore"] = Field(
        description="What to do with the question")
    text: Paragraph | None = Field(default=None, min_length=1,
                             description=f"approve only: the edited text, at most {qa.MAX_TEXT} characters "
                                         "(the original is kept for the organisers)")


@command("qa.moderate", QaModerate)
async def moderate(ctx: Context, cmd: QaModerate) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.moderate, member, cmd.question, cmd.action, text=cmd.text)


class QaLabel(RoomCommand):
    """Moderators: set a question's labels (replacing the previous ones)."""

    question: Id = Field(description="Id of the question")
    labels: list[Line] = Field(max_length=qa.MAX_LABELS,
                              description=f"At most {qa.MAX_LABELS} labels of at most {qa.MAX_LABEL} characters "
                                          "(longer: error too_long); an empty list removes them")


@command("qa.label", QaLabel)
async def label(ctx: Context, cmd: QaLabel) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.set_labels, member, cmd.question, cmd.labels)


class QaSettings(RoomCommand):
    """Moderators: switch pre-moderation and anonymous questions for the room."""

    premoderation: bool | None = Field(default=None, description="Questions wait for a moderator's approval")
    allow_anonymous: bool | None = Field(default=None, description="People may ask without their name")


@command("qa.settings", QaSettings)
async def qa_settings(ctx: Context, cmd: QaSettings) -> dict:
    member = ctx.membership(cmd.room)
    return await ctx.call(qa.update_settings, member, premoderation=cmd.premoderation,
                          allow_anonymous=cmd.allow_anonymous)


# --- join state and coalesced counters -----------------------------------------------------


@provider("questions")
def questions_state(membership, room) -> dict:
    return qa.room_questions(membership, room)


@snapshot(qa.VOTES_COUNTER)
async def votes_snapshot(room_id: int, _arg: str) -> Snapshot:
    return Snapshot("qa.votes", {"votes": await database_sync_to_async(qa.vote_counts)(room_id)})


@snapshot(qa.QUEUE_COUNTER)
async def queue_snapshot(room_id: int, _arg: str) -> Snapshot:
    return Snapshot("qa.queue", {"pending": await database_sync_to_async(qa.pending_count)(room_id)},
                    moderators_only=True)


# --- events --------------------------------------------------------------------------------


class QaAuthor(EventData):
    id: int
    name: str


class QaQuestion(EventData):
    id: int
    text: str
    author: QaAuthor | None = Field(description="null when asked anonymously (for everyone, moderators too)")
    status: Literal["pending", "visible", "answered", "dismissed"]
    highlighted: bool
    labels: list[str]
    votes: int
    created_at: str


class QaQuestionEvent(EventData):
    question: QaQuestion


class QaQuestionRemoved(EventData):
    id: int
    status: Literal["dismissed", "answered"]


class QaHighlight(EventData):
    question: QaQuestion | None


class QaSettingsEvent(EventData):
    premoderation: bool
    allow_anonymous: bool


class QaVotes(EventData):
    votes: dict[str, int] = Field(description="Votes per visible question id")


class QaMine(EventData):
    room: int
    question: QaQuestion


class QaQueueHint(EventData):
    pending: int


_QUESTION = {"id": 88, "text": "How do clusters reach SMEs outside capitals?",
             "author": {"id": 42, "name": "Olivia Online"}, "status": "visible", "highlighted": False,
             "labels": ["SMEs"], "votes": 17, "created_at": "2026-09-26T09:24:51.204Z"}
_ANONYMOUS = {**_QUESTION, "author": None, "status": "pending", "labels": [], "votes": 0}

event("qa.question", QaQuestionEvent,
      "A question became visible (approved, restored, asked without pre-moderation) or changed "
      "(edited text, labels): add or replace it by id. Status `answered`: it belongs to the archive.",
      {"question": _QUESTION}, sequenced=True)
event("qa.question.removed", QaQuestionRemoved,
      "A question left the visible list: answered (archived, see qa.list status=answered) or dismissed.",
      {"id": 88, "status": "answered"}, sequenced=True)
event("qa.highlight", QaHighlight,
      "The question the moderators highlight now (one at a time: un-highlight every other), or null for none.",
      {"question": {**_QUESTION, "highlighted": True}}, sequenced=True)
event("qa.settings", QaSettingsEvent, "A moderator switched pre-moderation or anonymous questions.",
      {"premoderation": True, "allow_anonymous": False}, sequenced=True)
event("qa.votes", QaVotes, "QaVotes of the visible questions (at most 4 per second).",
      {"votes": {"88": 17, "91": 4}}, sequenced=False)
event("qa.mine", QaMine,
      "To you only: your question as you see it: pending while it waits for a moderator, "
      "visible once approved (a dismissed question keeps looking pending).",
      {"room": 12, "question": _ANONYMOUS}, sequenced=False, audience="user")
event("qa.queue", QaQueueHint, "To moderators only: how many questions wait for approval (fetch them with qa.queue).",
      {"pending": 3}, sequenced=False, audience="moderators")
