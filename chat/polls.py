"""Polls of a live room: draft → open → closed; single or multiple choice; one vote per
person, changeable while the poll is open; results shown live, hidden until the poll
closes, or to moderators only.

Votes do not broadcast the results: they mark the poll's counter dirty and each process
sends a coalesced "poll.results" snapshot (rooms.counters) a few times per second at most,
to the whole room when its results are visible to everyone, else to moderators only."""

from channels.db import database_sync_to_async
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from conference.errors import Conflict, InvalidInput, NotFound
from conference.text import clean_text
from realtime import broadcast, ratelimit
from rooms.counters import Snapshot, snapshot
from rooms.models import Room
from rooms.services import Membership

from .models import Poll, PollOption, PollVote
from .services import require_contributor, require_moderator, require_open, room_of

MAX_QUESTION = 300
MAX_OPTION = 200
MIN_OPTIONS, MAX_OPTIONS = 2, 10
VOTE_RATE_LIMIT = 10  # votes (changes included) per user and room ...
VOTE_RATE_WINDOW = 10  # ... per this many seconds
RESULTS = tuple(Poll.Results.values)


def results_key(poll_id: int) -> str:
    return f"poll.results:{poll_id}"


# --- reading ---------------------------------------------------------------------------------


def results_public(poll: Poll) -> bool:
    """Whether everyone in the room may see the poll's results now."""
    if poll.status == Poll.Status.DRAFT:
        return False
    if poll.results == Poll.Results.LIVE:
        return True
    return poll.results == Poll.Results.HIDDEN and poll.status == Poll.Status.CLOSED


def tally(poll: Poll) -> dict:
    """{counts: {option id: votes}, participants: people who voted}."""
    rows = dict(PollVote.objects.filter(poll=poll).values("option_id").annotate(n=Count("id")).values_list(
        "option_id", "n"))
    participants = PollVote.objects.filter(poll=poll).values("user_id").distinct().count()
    return {"counts": {str(option.pk): rows.get(option.pk, 0) for option in poll.options.all()},
            "participants": participants}


def poll_data(poll: Poll, *, with_results: bool) -> dict:
    """The poll as everyone may see it; results (counts, participants) only when asked."""
    data = {
        "id": poll.pk, "question": poll.question, "multiple": poll.multiple, "status": poll.status,
        "results": poll.results,
        "options": [{"id": option.pk, "text": option.text} for option in poll.options.all()],
        "created_at": poll.created_at, "opened_at": poll.opened_at, "closed_at": poll.closed_at,
        "counts": None, "participants": None,
    }
    if with_results:
        data.update(tally(poll))
    return data


def poll_for(member: Membership, poll: Poll) -> dict:
    """The poll as the member sees it: results if visible to them, and their own choice."""
    data = poll_data(poll, with_results=member.is_moderator or results_public(poll))
    data["my_votes"] = [] if member.user_id is None else list(
        PollVote.objects.filter(poll=poll, user_id=member.user_id).order_by("option__position").values_list(
            "option_id", flat=True))
    return data


def _poll(member: Membership, poll_id: int, *, lock: bool = False, drafts_hidden: bool = True) -> Poll:
    """The room's poll; attendees do not see drafts (unless `drafts_hidden` is off, for
    votes, which then say the poll is not open)."""
    query = Poll.objects.filter(pk=poll_id, room_id=member.room_id)
    if lock:
        query = query.select_for_update()
    poll = query.prefetch_related("options").first()
    if poll is None or (drafts_hidden and poll.status == Poll.Status.DRAFT and not member.is_moderator):
        raise NotFound("No such poll in this room.", field="poll")
    return poll


def list_polls(member: Membership) -> dict:
    """Open and closed polls, newest first; moderators also get the drafts."""
    query = Poll.objects.filter(room_id=member.room_id).prefetch_related("options").order_by("-pk")
    if not member.is_moderator:
        query = query.exclude(status=Poll.Status.DRAFT)
    return {"polls": [poll_for(member, poll) for poll in query]}


def polls_state(member: Membership, room: Room) -> dict:
    polls = Poll.objects.filter(room=room).prefetch_related("options").order_by("pk")
    state: dict = {"open": [poll_for(member, p) for p in polls.filter(status=Poll.Status.OPEN)]}
    if member.is_moderator:
        state["drafts"] = [poll_for(member, p) for p in polls.filter(status=Poll.Status.DRAFT)]
    return state


# --- changing ---------------------------------------------------------------------------------


def create_poll(member: Membership, question: str, options: list[str], *, multiple: bool = False,
                results: str = Poll.Results.LIVE) -> dict:
    """A draft poll, seen by moderators only until it is opened."""
    room = require_moderator(member)
    question = clean_text(question, max_length=MAX_QUESTION, what="poll question", field="question")
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise InvalidInput(f"A poll has {MIN_OPTIONS} to {MAX_OPTIONS} options.", field="options")
    texts = [clean_text(text, max_length=MAX_OPTION, what="option", field="options") for text in options]
    if len({text.casefold() for text in texts}) != len(texts):
        raise InvalidInput("Two options are the same.", field="options")
    if results not in RESULTS:
        raise InvalidInput("results is “live”, “hidden” or “moderators”.", field="results")
    with transaction.atomic():
        poll = Poll.objects.create(room=room, question=question, multiple=multiple, results=results,
                                   created_by_id=member.user_id)
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, text=text, position=i) for i, text in enumerate(texts)])
    return {"poll": poll_for(member, _poll(member, poll.pk))}


def open_poll(member: Membership, poll_id: int) -> dict:
    require_moderator(member)
    with transaction.atomic():
        poll = _poll(member, poll_id, lock=True)
        if poll.status != Poll.Status.DRAFT:
            raise Conflict(f"This poll is already {poll.status}.", code="invalid", field="poll")
        poll.status, poll.opened_at = Poll.Status.OPEN, timezone.now()
        poll.save(update_fields=["status", "opened_at"])
        data = {"poll": poll_data(poll, with_results=results_public(poll))}
        broadcast.after_commit(broadcast.publish, member.room_id, "poll.opened", data)
    return {"poll": poll_for(member, poll)}


def close_poll(member: Membership, poll_id: int) -> dict:
    require_moderator(member)
    with transaction.atomic():
        poll = _poll(member, poll_id, lock=True)
        if poll.status != Poll.Status.OPEN:
            raise Conflict("Only an open poll can be closed.", code="poll_not_open", field="poll")
        poll.status, poll.closed_at = Poll.Status.CLOSED, timezone.now()
        poll.save(update_fields=["status", "closed_at"])
        data = {"poll": poll_data(poll, with_results=results_public(poll))}

        def announce():
            broadcast.publish(member.room_id, "poll.closed", data)
            broadcast.counter_changed(member.room_id, results_key(poll.pk))

        broadcast.after_commit(announce)
    return {"poll": poll_for(member, poll)}


def vote(member: Membership, poll_id: int, option_ids: list[int]) -> dict:
    """Record the member's choice, replacing an earlier one (atomically)."""
    user_id = require_contributor(member)
    require_open(room_of(member), member, paused_allowed=True)
    chosen = list(dict.fromkeys(option_ids))
    if len(chosen) != len(option_ids):
        raise InvalidInput("An option is chosen twice.", field="options")
    with transaction.atomic():
        poll = _poll(member, poll_id, lock=True, drafts_hidden=False)
        if poll.status != Poll.Status.OPEN:
            raise Conflict("This poll is not open for votes.", code="poll_not_open", field="poll")
        valid = {option.pk for option in poll.options.all()}
        if not chosen or any(option_id not in valid for option_id in chosen):
            raise InvalidInput("Choose among the poll's options.", field="options")
        if not poll.multiple and len(chosen) != 1:
            raise InvalidInput("This poll takes exactly one choice.", field="options")
        wait = ratelimit.hit(f"{{room:{member.room_id}}}:poll-rate:{user_id}", VOTE_RATE_LIMIT, VOTE_RATE_WINDOW)
        if wait is not None:
            raise Conflict(f"You are voting too fast; wait {wait} s.", code="rate_limited")
        PollVote.objects.filter(poll=poll, user_id=user_id).delete()
        PollVote.objects.bulk_create([PollVote(poll=poll, option_id=option_id, user_id=user_id)
                                      for option_id in chosen])
        broadcast.after_commit(broadcast.counter_changed, member.room_id, results_key(poll.pk))
    return {"poll": poll_for(member, poll)}


# --- coalesced results ---------------------------------------------------------------------------


def results_snapshot_data(room_id: int, poll_id: int) -> tuple[dict, bool] | None:
    poll = Poll.objects.filter(pk=poll_id, room_id=room_id).prefetch_related("options").first()
    if poll is None or poll.status == Poll.Status.DRAFT:
        return None
    return {"poll": poll.pk, **tally(poll)}, not results_public(poll)


@snapshot("poll.results")
async def results_snapshot(room_id: int, arg: str) -> Snapshot | None:
    if not arg.isdigit():
        return None
    found = await database_sync_to_async(results_snapshot_data)(room_id, int(arg))
    if found is None:
        return None
    data, moderators_only = found
    return Snapshot("poll.results", data, moderators_only=moderators_only)
