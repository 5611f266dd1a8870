"""Q&A of live rooms: ask, upvote, pre-moderation, highlight, answered archive, labels.

Every change goes through one function here that checks permission, writes, and
publishes its realtime event after the commit (realtime.broadcast). Like chat.services,
each function takes the caller's `Membership` of the room (verified when the caller
joined); room state, mutes and moderator rights are read again from the database on
every call. The websocket handlers (chat.qa_handlers), the organiser admin
(chat.qa_admin, with `chat.services.actor_for`) and the pages call these.

Rules worth knowing:
- One queue for everybody in the room: remote and in-person people ask and vote alike.
- With pre-moderation on (the default), a question waits for a moderator. Its asker sees
  it as pending (personal push `qa.mine`, join state `mine_pending`); a dismissal is not
  told to the asker: in their own view a dismissed question keeps looking pending.
- Anonymous questions never carry their author in anything that leaves through the
  socket, not even to moderators (only the organiser admin shows who asked).
- `votes` on a question is kept equal to its QuestionVote rows: a vote row and the
  F() update of the counter happen in the same transaction.
- At most one highlighted question per room (a database constraint); highlighting a
  question un-highlights the previous one in the same transaction.
"""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from conference.text import clean_text
from people.services import display_name
from realtime import broadcast, ratelimit
from rooms.models import Room
from rooms.services import Membership

from .models import Question, QuestionVote, RoomSettings
from .services import active_mute, require_contributor, require_moderator, require_open, room_of

MAX_TEXT = 500
MAX_LABELS = 5
MAX_LABEL = 30
ASK_LIMIT = 5  # questions per person and room ...
ASK_WINDOW = 60  # ... within this many seconds
VOTE_LIMIT = 60  # votes and unvotes per person and room ...
VOTE_WINDOW = 60  # ... within this many seconds
LIST_LIMIT = 200  # questions in a list or in the join state
TOP = 5  # questions on the projector

ACTIONS = ("approve", "dismiss", "highlight", "unhighlight", "answer", "restore")

VOTES_COUNTER = "qa.votes"
QUEUE_COUNTER = "qa.queue"


# --- the question object ------------------------------------------------------------------


def question_data(question: Question, *, asker_view: bool = False) -> dict:
    """The question object of the protocol. The author is null for anonymous questions,
    whoever looks. In the asker's own view a dismissed question still looks pending."""
    status = question.status
    if asker_view and status == Question.Status.DISMISSED:
        status = Question.Status.PENDING
    return {
        "id": question.pk,
        "text": question.text,
        "author": None if question.anonymous else {"id": question.author_id, "name": display_name(question.author)},
        "status": status,
        "highlighted": question.highlighted,
        "labels": list(question.labels or []),
        "votes": question.votes,
        "created_at": question.created_at,
    }


def _personal(question: Question, user_id: int | None, voted: set[int]) -> dict:
    """The question as one person sees it in replies and state (never in broadcasts):
    with `voted_by_me`, and `mine` (so an asker recognises their anonymous questions)."""
    mine = user_id is not None and question.author_id == user_id
    return {**question_data(question, asker_view=mine), "voted_by_me": question.pk in voted, "mine": mine}


def _questions(room_id: int):
    return Question.objects.filter(room_id=room_id).select_related("author__profile")


def _ordered(queryset, sort: str):
    if sort == "recent":
        return queryset.order_by("-created_at", "-id")
    return queryset.order_by("-votes", "created_at", "id")


def _voted(user_id: int | None, question_ids: list[int]) -> set[int]:
    if user_id is None or not question_ids:
        return set()
    return set(QuestionVote.objects.filter(user_id=user_id, question_id__in=question_ids)
               .values_list("question_id", flat=True))


def settings_of(room_id: int) -> dict:
    """The room's Q&A switches (defaults until a moderator changes them)."""
    row = RoomSettings.objects.filter(room_id=room_id).first() or RoomSettings(room_id=room_id)
    return {"premoderation": row.qa_premoderation, "allow_anonymous": row.qa_allow_anonymous}


# --- reading ------------------------------------------------------------------------------


def list_questions(member: Membership, *, sort: str = "votes", status: str = "visible") -> dict:
    """Visible questions (or the answered archive), most votes or most recent first."""
    if sort not in ("votes", "recent"):
        raise InvalidInput("Sort by “votes” or “recent”.", field="sort")
    if status not in (Question.Status.VISIBLE, Question.Status.ANSWERED):
        raise InvalidInput("List “visible” or “answered” questions.", field="status")
    questions = list(_ordered(_questions(member.room_id).filter(status=status), sort)[:LIST_LIMIT])
    voted = _voted(member.user_id, [q.pk for q in questions])
    return {"questions": [_personal(q, member.user_id, voted) for q in questions]}


def room_questions(member: Membership, room: Room) -> dict:
    """The "questions" part of the room state on joining: what attendees and the speaker's
    view need (visible questions by votes, the highlighted one), the person's own waiting
    questions, the room's Q&A settings, and for moderators the size of the queue."""
    user_id = member.user_id
    visible = list(_ordered(_questions(room.pk).filter(status=Question.Status.VISIBLE), "votes")[:LIST_LIMIT])
    highlighted = next((q for q in visible if q.highlighted), None)
    if highlighted is None:  # beyond the listed ones
        highlighted = _questions(room.pk).filter(status=Question.Status.VISIBLE, highlighted=True).first()
    mine_pending = [] if user_id is None else list(
        _questions(room.pk).filter(author_id=user_id, status__in=[Question.Status.PENDING, Question.Status.DISMISSED])
        .order_by("created_at", "id"))
    voted = _voted(user_id, [q.pk for q in visible] + ([highlighted.pk] if highlighted else []))
    state: dict[str, Any] = {
        "visible": [_personal(q, user_id, voted) for q in visible],
        "highlighted": _personal(highlighted, user_id, voted) if highlighted else None,
        "mine_pending": [_personal(q, user_id, set()) for q in mine_pending],
        "settings": settings_of(room.pk),
    }
    if member.is_moderator:
        state["pending_count"] = pending_count(room.pk)
    return state


def moderation_queue(member: Membership) -> dict:
    """Questions waiting for approval, oldest first (moderators)."""
    room = require_moderator(member)
    pending = _questions(room.pk).filter(status=Question.Status.PENDING).order_by("created_at", "id")[:LIST_LIMIT]
    return {"pending": [question_data(q) for q in pending]}


def pending_count(room_id: int) -> int:
    return Question.objects.filter(room_id=room_id, status=Question.Status.PENDING).count()


def vote_counts(room_id: int) -> dict[str, int]:
    """Votes of the room's visible questions (the coalesced "qa.votes" snapshot)."""
    rows = Question.objects.filter(room_id=room_id, status=Question.Status.VISIBLE).values_list("pk", "votes")
    return {str(pk): votes for pk, votes in rows}


def projector_data(room_id: int) -> dict:
    """What the projector shows: the highlighted question, the top questions by votes,
    and the address people scan (as a QR code) to join the session.
    No permission check: the page that calls it decides who may see the projector."""
    room = Room.objects.select_related("edition", "session").filter(pk=room_id).first()
    if room is None:
        raise NotFound(f"No room with id {room_id}.")
    visible = _questions(room.pk).filter(status=Question.Status.VISIBLE)
    highlighted = visible.filter(highlighted=True).first()
    if room.session is not None:
        path = reverse("session", kwargs={"edition": room.edition.slug, "session": room.session.slug})
    else:
        path = reverse("edition", kwargs={"edition": room.edition.slug})
    return {
        "highlighted": question_data(highlighted) if highlighted else None,
        "top": [question_data(q) for q in _ordered(visible, "votes")[:TOP]],
        "join_url": settings.SITE_URL + path,
    }


# --- checks -------------------------------------------------------------------------------


def _require_not_muted(user_id: int, room: Room) -> None:
    mute = active_mute(user_id, room)
    if mute is not None:
        until = f" until {mute.until:%H:%M} UTC" if mute.until else ""
        raise Forbidden(f"A moderator muted you in this {'room' if mute.room_id else 'event'}{until}.", code="muted")


def _rate(room_id: int, user_id: int, action: str, limit: int, window: int) -> None:
    wait = ratelimit.hit(f"{{room:{room_id}}}:qa-{action}:{user_id}", limit, window)
    if wait is not None:
        raise Conflict(f"You are going too fast; wait {wait} s.", code="rate_limited")


def _locked_room(member: Membership) -> Room:
    """The room, locked: moderation of one room happens one change at a time (one
    highlight, exact queue counts)."""
    return Room.objects.select_for_update(of=("self",)).select_related("edition", "session").get(pk=member.room_id)


def _question(room_id: int, question_id: int, *, lock: bool = False) -> Question:
    questions = _questions(room_id)
    if lock:
        questions = questions.select_for_update(of=("self",))
    question = questions.filter(pk=question_id).first()
    if question is None:
        raise NotFound(f"No question with id {question_id} in this room.", field="question")
    return question


# --- asking and voting --------------------------------------------------------------------


def ask(member: Membership, text: str, *, anonymous: bool = False) -> dict:
    """Ask a question. It waits for a moderator when the room pre-moderates (a
    moderator's own question does not), otherwise everyone sees it at once."""
    user_id = require_contributor(member)
    text = clean_text(text, max_length=MAX_TEXT, multiline=True, what="question", field="text")
    room = room_of(member)
    require_open(room, member)
    _require_not_muted(user_id, room)
    room_settings = settings_of(room.pk)
    if anonymous and not room_settings["allow_anonymous"]:
        raise InvalidInput("This session does not take anonymous questions.", field="anonymous")
    _rate(room.pk, user_id, "ask", ASK_LIMIT, ASK_WINDOW)
    pending = room_settings["premoderation"] and not member.is_moderator
    with transaction.atomic():
        question = Question.objects.create(
            room=room, author_id=user_id, anonymous=bool(anonymous), text=text,
            status=Question.Status.PENDING if pending else Question.Status.VISIBLE)
        question = _questions(room.pk).get(pk=question.pk)
        if pending:
            mine = {"room": room.pk, "question": question_data(question, asker_view=True)}
            broadcast.after_commit(broadcast.publish_to_user, user_id, "qa.mine", mine)
            broadcast.after_commit(broadcast.counter_changed, room.pk, QUEUE_COUNTER)
        else:
            public = {"question": question_data(question)}
            broadcast.after_commit(broadcast.publish, room.pk, "qa.question", public)
    return {"question": _personal(question, user_id, set())}


def _votable(member: Membership, question_id: int) -> tuple[int, Question]:
    user_id = require_contributor(member)
    require_open(room_of(member), member)
    _rate(member.room_id, user_id, "vote", VOTE_LIMIT, VOTE_WINDOW)
    question = _question(member.room_id, question_id, lock=True)
    if question.status != Question.Status.VISIBLE:
        raise Conflict("This question is not open for votes.", code="not_visible", field="question")
    return user_id, question


@transaction.atomic
def vote(member: Membership, question_id: int) -> dict:
    """Upvote a visible question, once per person."""
    user_id, question = _votable(member, question_id)
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, user_id=user_id)
    except IntegrityError:
        raise Conflict("You already voted for this question.", code="already_voted", field="question") from None
    Question.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
    votes = Question.objects.values_list("votes", flat=True).get(pk=question.pk)
    broadcast.after_commit(broadcast.counter_changed, member.room_id, VOTES_COUNTER)
    return {"question": question.pk, "votes": votes, "voted_by_me": True}


@transaction.atomic
def unvote(member: Membership, question_id: int) -> dict:
    """Take one's vote back (nothing changes if there was none)."""
    user_id, question = _votable(member, question_id)
    deleted, _ = QuestionVote.objects.filter(question=question, user_id=user_id).delete()
    if deleted:
        Question.objects.filter(pk=question.pk).update(votes=F("votes") - 1)
        broadcast.after_commit(broadcast.counter_changed, member.room_id, VOTES_COUNTER)
    votes = Question.objects.values_list("votes", flat=True).get(pk=question.pk)
    return {"question": question.pk, "votes": votes, "voted_by_me": False}


# --- moderation ---------------------------------------------------------------------------


@transaction.atomic
def moderate(member: Membership, question_id: int, action: str, *, text: str | None = None) -> dict:
    """approve (optionally with an edited text; the original is kept), dismiss,
    highlight / unhighlight (one at a time), answer (archive), restore (back to visible).
    Repeating an action already done changes nothing and publishes nothing."""
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action “{action}”; use one of {', '.join(ACTIONS)}.", field="action")
    if text is not None and action != "approve":
        raise InvalidInput("Only “approve” takes an edited text.", field="text")
    room = require_moderator(member, _locked_room(member))
    question = _question(room.pk, question_id, lock=True)
    Status = Question.Status
    before, was_highlighted = question.status, question.highlighted
    events: list[tuple[str, dict]] = []  # sequenced room events, published after the commit

    if action in ("approve", "restore"):
        edited = False
        if text is not None:
            new_text = clean_text(text, max_length=MAX_TEXT, multiline=True, what="question", field="text")
            if new_text != question.text:
                question.original_text = question.original_text or question.text
                question.text = new_text
                edited = True
        if before != Status.VISIBLE or edited:
            question.status = Status.VISIBLE
            question.save(update_fields=["status", "text", "original_text", "updated_at"])
            events.append(("qa.question", {"question": question_data(question)}))
    elif action == "dismiss":
        if before != Status.DISMISSED:
            question.status, question.highlighted = Status.DISMISSED, False
            question.save(update_fields=["status", "highlighted", "updated_at"])
            if before != Status.PENDING:
                events.append(("qa.question.removed", {"id": question.pk, "status": Status.DISMISSED.value}))
    elif action == "answer":
        if before in (Status.PENDING, Status.DISMISSED):
            raise Conflict("Only visible questions can be marked answered.", code="not_visible", field="question")
        if before == Status.VISIBLE:
            question.status, question.highlighted = Status.ANSWERED, False
            question.save(update_fields=["status", "highlighted", "updated_at"])
            events.append(("qa.question.removed", {"id": question.pk, "status": Status.ANSWERED.value}))
    elif action == "highlight":
        if before != Status.VISIBLE:
            raise Conflict("Only visible questions can be highlighted.", code="not_visible", field="question")
        if not question.highlighted:
            # The previous one first: the database allows one highlighted question per room.
            for previous in Question.objects.filter(room=room, highlighted=True):
                previous.highlighted = False
                previous.save(update_fields=["highlighted", "updated_at"])
            question.highlighted = True
            question.save(update_fields=["highlighted", "updated_at"])
            events.append(("qa.highlight", {"question": question_data(question)}))
    elif action == "unhighlight" and question.highlighted:
        question.highlighted = False
        question.save(update_fields=["highlighted", "updated_at"])
    if was_highlighted and not question.highlighted:
        events.append(("qa.highlight", {"question": None}))

    approved = before in (Status.PENDING, Status.DISMISSED) and question.status == Status.VISIBLE
    mine = {"room": room.pk, "question": question_data(question, asker_view=True)} if approved else None
    queue_changed = (before == Status.PENDING) != (question.status == Status.PENDING)
    asker_id = question.author_id

    def publish() -> None:
        for event_type, data in events:
            broadcast.publish(room.pk, event_type, data)
        if mine is not None:  # the asker learns of the approval, never of a dismissal
            broadcast.publish_to_user(asker_id, "qa.mine", mine)
        if queue_changed:
            broadcast.counter_changed(room.pk, QUEUE_COUNTER)

    if events or mine is not None or queue_changed:
        broadcast.after_commit(publish)
    return {"question": question_data(question)}


REMOVED_TEXT = "(Removed: its author deleted their account.)"


def withdraw_questions_of(user_id: int) -> None:
    """Account deletion: the person's questions lose their text. Waiting and open ones
    leave the room as if dismissed; answered ones stay in the archive without their text;
    votes stay counted."""
    Status = Question.Status
    with transaction.atomic():
        for question in Question.objects.select_for_update().filter(author_id=user_id):
            before, was_highlighted = question.status, question.highlighted
            if before in (Status.PENDING, Status.VISIBLE):
                question.status = Status.DISMISSED
            question.text, question.original_text = REMOVED_TEXT, ""
            question.anonymous, question.highlighted = True, False
            question.save(update_fields=["status", "text", "original_text", "anonymous", "highlighted", "updated_at"])
            room_id = question.room_id
            if before == Status.VISIBLE:
                broadcast.after_commit(broadcast.publish, room_id, "qa.question.removed",
                                       {"id": question.pk, "status": Status.DISMISSED.value})
            if was_highlighted:
                broadcast.after_commit(broadcast.publish, room_id, "qa.highlight", {"question": None})
            if before == Status.PENDING:
                broadcast.after_commit(broadcast.counter_changed, room_id, QUEUE_COUNTER)


def _clean_labels(labels: list[str]) -> list[str]:
    if not isinstance(labels, list):
        raise InvalidInput("Labels are a list of words.", field="labels")
    cleaned: list[str] = []
    for label in labels:
        label = clean_text(label, max_length=MAX_LABEL, what="label", field="labels")
        if label not in cleaned:
            cleaned.append(label)
    if len(cleaned) > MAX_LABELS:
        raise InvalidInput(f"At most {MAX_LABELS} labels per question.", field="labels")
    return cleaned


@transaction.atomic
def set_labels(member: Membership, question_id: int, labels: list[str]) -> dict:
    """Replace a question's labels (moderators). Everyone sees the labels of visible and
    answered questions; those of waiting questions stay among the moderators."""
    cleaned = _clean_labels(labels)
    room = require_moderator(member, _locked_room(member))
    question = _question(room.pk, question_id, lock=True)
    if cleaned != question.labels:
        question.labels = cleaned
        question.save(update_fields=["labels", "updated_at"])
        if question.status in (Question.Status.VISIBLE, Question.Status.ANSWERED):
            data = {"question": question_data(question)}
            broadcast.after_commit(broadcast.publish, room.pk, "qa.question", data)
    return {"question": question_data(question)}


@transaction.atomic
def update_settings(member: Membership, *, premoderation: bool | None = None,
                    allow_anonymous: bool | None = None) -> dict:
    """Switch pre-moderation and anonymous questions for the room (moderators).
    Questions already waiting keep waiting when pre-moderation is switched off."""
    room = require_moderator(member, _locked_room(member))
    row, _ = RoomSettings.objects.get_or_create(room=room)
    if premoderation is not None:
        row.qa_premoderation = premoderation
    if allow_anonymous is not None:
        row.qa_allow_anonymous = allow_anonymous
    row.save(update_fields=["qa_premoderation", "qa_allow_anonymous"])
    data = {"premoderation": row.qa_premoderation, "allow_anonymous": row.qa_allow_anonymous}
    broadcast.after_commit(broadcast.publish, room.pk, "qa.settings", data)
    return data
