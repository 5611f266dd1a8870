"""Q&A: services (unit tests) and the protocol end to end over a real Daphne."""

import json

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from chat import qa
from chat.models import Mute, Question, QuestionVote, RoomSettings
from conference.errors import ServiceError
from realtime import broadcast
from rooms.models import Room
from rooms.services import membership_for, room_state
from tests.chat.chat_fixtures import member
from tests.fixtures.ws import WsClient


def fails(code: str, fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        fn(*args, **kwargs)
    assert raised.value.code == code, raised.value.message
    return raised.value


def ask(world, user, text="How do clusters reach SMEs?", **kwargs) -> dict:
    return qa.ask(member(user, world.room), text, **kwargs)["question"]


def approve(world, question_id: int, **kwargs) -> dict:
    return qa.moderate(member(world.moderator, world.room), question_id, "approve", **kwargs)["question"]


def joined_state(world, user) -> dict:
    membership, room = membership_for(user, world.room.pk)
    return room_state(membership, room)["questions"]


# --- services -------------------------------------------------------------------------------


def test_premoderated_question_waits_and_only_its_asker_and_the_moderators_know(place):
    question = ask(place, place.online)
    assert question["status"] == "pending" and question["mine"] is True
    assert question["author"] == {"id": place.online.pk, "name": "Olivia Online"}

    mine = joined_state(place, place.online)
    assert [q["id"] for q in mine["mine_pending"]] == [question["id"]]
    assert mine["visible"] == [] and "pending_count" not in mine
    other = joined_state(place, place.onsite)
    assert other["mine_pending"] == [] and other["visible"] == []
    moderator = joined_state(place, place.moderator)
    assert moderator["pending_count"] == 1
    assert [q["id"] for q in qa.moderation_queue(member(place.moderator, place.room))["pending"]] == [question["id"]]

    approve(place, question["id"])
    assert [q["id"] for q in joined_state(place, place.onsite)["visible"]] == [question["id"]]
    assert joined_state(place, place.online)["mine_pending"] == []


def test_one_queue_for_remote_and_in_person_people(place):
    remote = ask(place, place.online, "From home: is the stream recorded?")
    hall = ask(place, place.onsite, "From the hall: where are the slides?")
    queue = qa.moderation_queue(member(place.moderator, place.room))["pending"]
    assert [q["id"] for q in queue] == [remote["id"], hall["id"]]


def test_without_premoderation_and_for_moderators_questions_are_visible_at_once(place):
    assert ask(place, place.moderator)["status"] == "visible"  # a moderator's own question
    qa.update_settings(member(place.moderator, place.room), premoderation=False)
    assert ask(place, place.online)["status"] == "visible"
    assert len(joined_state(place, place.speaker)["visible"]) == 2


def test_edit_then_approve_keeps_the_original(place):
    question = ask(place, place.online, "how do clustres reach smes")
    approved = approve(place, question["id"], text="How do clusters reach SMEs?")
    assert approved["text"] == "How do clusters reach SMEs?" and approved["status"] == "visible"
    row = Question.objects.get(pk=question["id"])
    assert row.original_text == "how do clustres reach smes" and row.text == "How do clusters reach SMEs?"
    fails("too_long", approve, place, question["id"], text="x" * (qa.MAX_TEXT + 1))
    assert Question.objects.get(pk=question["id"]).text == "How do clusters reach SMEs?"


def test_votes_once_per_person_and_the_counter_matches_the_votes(place):
    qa.update_settings(member(place.moderator, place.room), premoderation=False)
    question = ask(place, place.moderator)
    online, onsite = member(place.online, place.room), member(place.onsite, place.room)
    assert qa.vote(online, question["id"]) == {"question": question["id"], "votes": 1, "voted_by_me": True}
    fails("already_voted", qa.vote, online, question["id"])
    assert qa.vote(onsite, question["id"])["votes"] == 2
    assert Question.objects.get(pk=question["id"]).votes == QuestionVote.objects.filter(
        question_id=question["id"]).count() == 2
    assert qa.unvote(online, question["id"]) == {"question": question["id"], "votes": 1, "voted_by_me": False}
    assert qa.unvote(online, question["id"])["votes"] == 1  # taking back a vote one does not have: no change
    assert qa.vote(online, question["id"])["votes"] == 2  # and voting again after taking it back
    listed = qa.list_questions(online)["questions"]
    assert listed[0]["voted_by_me"] is True and listed[0]["votes"] == 2


def test_only_visible_questions_take_votes(place):
    pending = ask(place, place.online)
    dismissed = ask(place, place.online, "Something rude")
    qa.moderate(member(place.moderator, place.room), dismissed["id"], "dismiss")
    voter = member(place.onsite, place.room)
    for question in (pending, dismissed):
        fails("not_visible", qa.vote, voter, question["id"])
    answered = ask(place, place.online, "Answered already")
    approve(place, answered["id"])
    qa.moderate(member(place.moderator, place.room), answered["id"], "answer")
    fails("not_visible", qa.vote, voter, answered["id"])
    fails("not_found", qa.vote, voter, 999999)
    assert not QuestionVote.objects.exists()
    assert set(Question.objects.values_list("votes", flat=True)) == {0}


def test_sorting_by_votes_or_recency(place):
    qa.update_settings(member(place.moderator, place.room), premoderation=False)
    first = ask(place, place.online, "First")
    second = ask(place, place.online, "Second")
    third = ask(place, place.online, "Third")
    for user in (place.onsite, place.speaker):
        qa.vote(member(user, place.room), second["id"])
    qa.vote(member(place.onsite, place.room), third["id"])
    by_votes = qa.list_questions(member(place.online, place.room), sort="votes")["questions"]
    assert [q["text"] for q in by_votes] == ["Second", "Third", "First"]
    recent = qa.list_questions(member(place.online, place.room), sort="recent")["questions"]
    assert [q["text"] for q in recent] == ["Third", "Second", "First"]
    assert first["id"] < second["id"] < third["id"]


def test_the_database_allows_one_highlighted_question_per_room(place):
    a = Question.objects.create(room=place.room, author=place.online, text="A", status="visible", highlighted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(room=place.room, author=place.online, text="B", status="visible", highlighted=True)
    assert list(Question.objects.filter(highlighted=True)) == [a]


def test_highlighting_another_question_unhighlights_the_first(place):
    moderator = member(place.moderator, place.room)
    qa.update_settings(moderator, premoderation=False)
    a, b = ask(place, place.online, "A"), ask(place, place.online, "B")
    assert qa.moderate(moderator, a["id"], "highlight")["question"]["highlighted"] is True
    qa.moderate(moderator, b["id"], "highlight")
    assert list(Question.objects.filter(highlighted=True).values_list("pk", flat=True)) == [b["id"]]
    state = joined_state(place, place.speaker)
    assert state["highlighted"]["id"] == b["id"]
    assert {q["id"]: q["highlighted"] for q in state["visible"]} == {a["id"]: False, b["id"]: True}
    qa.moderate(moderator, b["id"], "unhighlight")
    assert joined_state(place, place.speaker)["highlighted"] is None
    qa.update_settings(moderator, premoderation=True)
    pending = ask(place, place.onsite, "Waiting")
    fails("not_visible", qa.moderate, moderator, pending["id"], "highlight")
    assert not Question.objects.filter(highlighted=True).exists()


def test_answered_questions_are_archived_and_can_be_restored(place):
    moderator = member(place.moderator, place.room)
    question = ask(place, place.online)
    approve(place, question["id"])
    qa.moderate(moderator, question["id"], "highlight")
    answered = qa.moderate(moderator, question["id"], "answer")["question"]
    assert answered["status"] == "answered" and answered["highlighted"] is False
    attendee = member(place.onsite, place.room)
    assert qa.list_questions(attendee)["questions"] == []
    assert [q["id"] for q in qa.list_questions(attendee, status="answered")["questions"]] == [question["id"]]
    qa.moderate(moderator, question["id"], "restore")
    assert [q["id"] for q in qa.list_questions(attendee)["questions"]] == [question["id"]]
    assert qa.list_questions(attendee, status="answered")["questions"] == []


def test_a_dismissed_question_keeps_looking_pending_to_its_asker(place):
    question = ask(place, place.online)
    dismissed = qa.moderate(member(place.moderator, place.room), question["id"], "dismiss")["question"]
    assert dismissed["status"] == "dismissed"  # what the moderator sees
    mine = joined_state(place, place.online)["mine_pending"]
    assert [(q["id"], q["status"]) for q in mine] == [(question["id"], "pending")]
    assert joined_state(place, place.moderator)["pending_count"] == 0
    assert qa.moderation_queue(member(place.moderator, place.room))["pending"] == []


def test_anonymous_questions_never_show_their_author(place):
    qa.update_settings(member(place.moderator, place.room), premoderation=False)
    question = ask(place, place.online, "Is the budget realistic?", anonymous=True)
    assert question["author"] is None and question["mine"] is True
    for viewer in (place.onsite, place.moderator, place.speaker):
        listed = joined_state(place, viewer)["visible"]
        assert listed[0]["author"] is None and listed[0]["mine"] is False
    assert joined_state(place, place.online)["visible"][0]["mine"] is True
    qa.moderate(member(place.moderator, place.room), question["id"], "highlight")
    assert qa.projector_data(place.room.pk)["highlighted"]["author"] is None
    assert "Olivia" not in json.dumps(qa.projector_data(place.room.pk), default=str)

    qa.update_settings(member(place.moderator, place.room), allow_anonymous=False)
    fails("invalid", ask, place, place.online, "Another one", anonymous=True)
    assert Question.objects.count() == 1


def test_refusals_store_nothing(place):
    fails("too_long", ask, place, place.online, "x" * (qa.MAX_TEXT + 1))
    fails("invalid", ask, place, place.online, "   ")
    Mute.objects.create(user=place.onsite, edition=place.edition, room=place.room)
    fails("muted", ask, place, place.onsite)
    Room.objects.filter(pk=place.room.pk).update(state=Room.State.PAUSED)
    fails("room_paused", ask, place, place.online)
    Room.objects.filter(pk=place.room.pk).update(state=Room.State.OPEN)
    attendee = member(place.online, place.room)
    question = ask(place, place.online)
    for action in ("approve", "dismiss", "highlight", "answer"):
        fails("not_moderator", qa.moderate, attendee, question["id"], action)
    fails("not_moderator", qa.moderation_queue, attendee)
    fails("not_moderator", qa.set_labels, attendee, question["id"], ["x"])
    fails("not_moderator", qa.update_settings, attendee, premoderation=False)
    assert Question.objects.get(pk=question["id"]).status == "pending"
    assert not RoomSettings.objects.exists()
    Room.objects.filter(pk=place.room.pk).update(state=Room.State.CLOSED)
    fails("room_closed", qa.ask, member(place.moderator, place.room), "Anyone there?")
    assert Question.objects.count() == 1


def test_asking_is_rate_limited(place):
    for n in range(qa.ASK_LIMIT):
        ask(place, place.online, f"Question {n}")
    fails("rate_limited", ask, place, place.online, "One too many")
    assert Question.objects.count() == qa.ASK_LIMIT
    ask(place, place.onsite, "Someone else may still ask")


def test_labels(place):
    moderator = member(place.moderator, place.room)
    question = ask(place, place.online)
    labelled = qa.set_labels(moderator, question["id"], [" SMEs ", "funding", "SMEs"])["question"]
    assert labelled["labels"] == ["SMEs", "funding"]
    fails("too_long", qa.set_labels, moderator, question["id"], ["x" * (qa.MAX_LABEL + 1)])
    fails("invalid", qa.set_labels, moderator, question["id"], [f"l{n}" for n in range(qa.MAX_LABELS + 1)])
    fails("invalid", qa.set_labels, moderator, question["id"], [""])
    assert Question.objects.get(pk=question["id"]).labels == ["SMEs", "funding"]


def test_projector_data(place):
    moderator = member(place.moderator, place.room)
    qa.update_settings(moderator, premoderation=False)
    questions = [ask(place, place.moderator, f"Q{n}") for n in range(qa.ASK_LIMIT)]
    questions.append(ask(place, place.online, "Q5"))
    voters = [place.online, place.onsite, place.speaker]
    for n, voter in enumerate(voters):  # Q5 gets three votes, Q4 two, Q3 one
        for question in questions[qa.ASK_LIMIT - n:]:
            qa.vote(member(voter, place.room), question["id"])
    qa.moderate(moderator, questions[0]["id"], "highlight")
    data = qa.projector_data(place.room.pk)
    assert data["highlighted"]["text"] == "Q0"
    assert [q["text"] for q in data["top"]] == ["Q5", "Q4", "Q3", "Q0", "Q1"]
    assert data["join_url"] == f"{settings.SITE_URL}/e/{place.edition.slug}/s/{place.session.slug}/"


def test_publishing_after_commit(place, listen, django_capture_on_commit_callbacks):
    """What leaves through Redis for a pre-moderated question: the asker's personal push
    and the moderators' queue counter; nothing on the room channel until approval."""
    room, user = place.room.pk, place.online.pk
    listener = listen(broadcast.room_channel(room), broadcast.user_channel(user), broadcast.dirty_channel(room))
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(place, place.online)
    frames = listener.frames()
    assert [f["type"] for f in frames if isinstance(f, dict)] == ["qa.mine"]
    assert "qa.queue" in frames
    with django_capture_on_commit_callbacks(execute=True):
        approve(place, question["id"])
    frames = listener.frames()
    assert sorted(f["type"] for f in frames if isinstance(f, dict)) == ["qa.mine", "qa.question"]
    assert "qa.queue" in frames


# --- protocol over a real Daphne -----------------------------------------------------------


def authors(data):
    """Every `author` value anywhere in a frame or a state."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "author":
                yield value
            else:
                yield from authors(value)
    elif isinstance(data, list):
        for item in data:
            yield from authors(item)


async def count(model, **filters) -> int:
    return await model.objects.filter(**filters).acount()


@pytest.mark.live
async def test_ask_moderate_vote_over_the_socket(live_server_url, world):
    room = world.room.pk
    attendee = await WsClient.connect(live_server_url, world.online)
    onsite = await WsClient.connect(live_server_url, world.onsite)
    moderator = await WsClient.connect(live_server_url, world.moderator)
    for client in (attendee, onsite, moderator):
        await client.ok("room.join", room=room)

    asked = (await attendee.ok("qa.ask", room=room, text="how do clustres reach smes"))["question"]
    assert asked["status"] == "pending"
    mine = await attendee.next_push("qa.mine", room)
    assert mine["data"]["question"]["status"] == "pending" and mine["seq"] is None
    hint = await moderator.next_push("qa.queue", room, where=lambda p: p["data"]["pending"] == 1)
    assert hint["seq"] is None
    queue = await moderator.ok("qa.queue", room=room)
    assert [q["id"] for q in queue["pending"]] == [asked["id"]]
    await attendee.fails("qa.queue", "not_moderator", room=room)

    await moderator.ok("qa.moderate", room=room, question=asked["id"], action="approve",
                       text="How do clusters reach SMEs?")
    for client in (attendee, onsite, moderator):
        event = await client.next_push("qa.question", room)
        assert event["data"]["question"]["text"] == "How do clusters reach SMEs?"
        assert event["data"]["question"]["status"] == "visible" and "voted_by_me" not in event["data"]["question"]
    approved = await attendee.next_push("qa.mine", room)
    assert approved["data"]["question"]["status"] == "visible"
    await moderator.next_push("qa.queue", room, where=lambda p: p["data"]["pending"] == 0)

    assert (await onsite.ok("qa.vote", room=room, question=asked["id"]))["votes"] == 1
    await onsite.fails("qa.vote", "already_voted", room=room, question=asked["id"])
    votes = await attendee.next_push("qa.votes", room, where=lambda p: p["data"]["votes"] == {str(asked["id"]): 1})
    attendee.got_none_before("qa.queue", votes)  # the queue is the moderators' business
    assert (await onsite.ok("qa.unvote", room=room, question=asked["id"]))["votes"] == 0
    await attendee.next_push("qa.votes", room, where=lambda p: p["data"]["votes"] == {str(asked["id"]): 0})
    assert await count(QuestionVote) == 0

    pending = (await attendee.ok("qa.ask", room=room, text="Still waiting"))["question"]
    await onsite.fails("qa.vote", "not_visible", room=room, question=pending["id"])
    await moderator.ok("qa.moderate", room=room, question=pending["id"], action="dismiss")
    await onsite.fails("qa.vote", "not_visible", room=room, question=pending["id"])
    assert await count(QuestionVote) == 0

    listed = await onsite.ok("qa.list", room=room, sort="recent", status="visible")
    assert [q["id"] for q in listed["questions"]] == [asked["id"]]
    for client in (attendee, onsite, moderator):
        await client.close()


@pytest.mark.live
async def test_dismissal_is_not_told_to_the_asker(live_server_url, world):
    room = world.room.pk
    asker = await WsClient.connect(live_server_url, world.online)
    moderator = await WsClient.connect(live_server_url, world.moderator)
    for client in (asker, moderator):
        await client.ok("room.join", room=room)
    question = (await asker.ok("qa.ask", room=room, text="Rude remark"))["question"]
    await asker.next_push("qa.mine", room)
    before_dismissal = len(asker.received)
    dismissed = await moderator.ok("qa.moderate", room=room, question=question["id"], action="dismiss")
    assert dismissed["question"]["status"] == "dismissed"
    await moderator.next_push("qa.queue", room, where=lambda p: p["data"]["pending"] == 0)
    # The hub wrote any push about the dismissal before the moderators' queue snapshot, so
    # before the reply to this join.
    state = (await asker.ok("room.join", room=room))["state"]["questions"]
    asker.got_none_before("qa.mine", since=before_dismissal)
    assert not [p for p in asker.pushes if p["type"].startswith("qa.")]
    assert [(q["id"], q["status"]) for q in state["mine_pending"]] == [(question["id"], "pending")]
    for client in (asker, moderator):
        await client.close()


@pytest.mark.live
async def test_highlight_answer_restore_and_the_speaker_view(live_server_url, world):
    room = world.room.pk
    moderator = await WsClient.connect(live_server_url, world.moderator)
    attendee = await WsClient.connect(live_server_url, world.online)
    for client in (moderator, attendee):
        await client.ok("room.join", room=room)
    await moderator.ok("qa.settings", room=room, premoderation=False)
    assert (await attendee.next_push("qa.settings", room))["data"] == {"premoderation": False,
                                                                        "allow_anonymous": True}
    first = (await attendee.ok("qa.ask", room=room, text="First"))["question"]
    second = (await attendee.ok("qa.ask", room=room, text="Second"))["question"]
    assert first["status"] == second["status"] == "visible"

    await moderator.ok("qa.moderate", room=room, question=first["id"], action="highlight")
    assert (await attendee.next_push("qa.highlight", room))["data"]["question"]["id"] == first["id"]
    await attendee.fails("qa.moderate", "not_moderator", room=room, question=second["id"], action="highlight")
    await moderator.ok("qa.moderate", room=room, question=second["id"], action="highlight")
    assert (await attendee.next_push("qa.highlight", room))["data"]["question"]["id"] == second["id"]
    highlighted = [pk async for pk in Question.objects.filter(highlighted=True).values_list("pk", flat=True)]
    assert highlighted == [second["id"]]

    speaker = await WsClient.connect(live_server_url, world.speaker)
    state = (await speaker.ok("room.join", room=room))["state"]["questions"]
    assert state["highlighted"]["id"] == second["id"]
    assert {q["id"] for q in state["visible"]} == {first["id"], second["id"]}
    assert "pending_count" not in state

    await moderator.ok("qa.label", room=room, question=first["id"], labels=["funding"])
    assert (await speaker.next_push("qa.question", room))["data"]["question"]["labels"] == ["funding"]

    await moderator.ok("qa.moderate", room=room, question=second["id"], action="answer")
    removed = await speaker.next_push("qa.question.removed", room)
    assert removed["data"] == {"id": second["id"], "status": "answered"}
    assert (await speaker.next_push("qa.highlight", room))["data"] == {"question": None}
    visible = await attendee.ok("qa.list", room=room)
    assert [q["id"] for q in visible["questions"]] == [first["id"]]
    answered = await attendee.ok("qa.list", room=room, status="answered")
    assert [q["id"] for q in answered["questions"]] == [second["id"]]
    await attendee.fails("qa.vote", "not_visible", room=room, question=second["id"])

    await moderator.ok("qa.moderate", room=room, question=second["id"], action="restore")
    restored = await speaker.next_push("qa.question", room)
    assert restored["data"]["question"]["id"] == second["id"]
    assert restored["data"]["question"]["status"] == "visible"
    assert (await attendee.ok("qa.list", room=room, status="answered"))["questions"] == []
    for client in (moderator, attendee, speaker):
        await client.close()


@pytest.mark.live
async def test_anonymous_questions_reach_nobody_with_their_author(live_server_url, world):
    room = world.room.pk
    asker = await WsClient.connect(live_server_url, world.online)
    moderator = await WsClient.connect(live_server_url, world.moderator)
    others = [moderator, await WsClient.connect(live_server_url, world.onsite),
              await WsClient.connect(live_server_url, world.speaker)]
    for client in (asker, *others):
        await client.ok("room.join", room=room)
    asked = (await asker.ok("qa.ask", room=room, text="Is the budget realistic?", anonymous=True))["question"]
    assert asked["author"] is None and asked["mine"] is True
    assert (await asker.next_push("qa.mine", room))["data"]["question"]["author"] is None
    queue = await moderator.ok("qa.queue", room=room)
    assert queue["pending"][0]["author"] is None
    await moderator.ok("qa.moderate", room=room, question=asked["id"], action="approve")
    await moderator.ok("qa.moderate", room=room, question=asked["id"], action="highlight")
    seen = [json.dumps(queue)]
    for client in others:
        event = await client.next_push("qa.question", room)
        assert event["data"]["question"]["author"] is None
        await client.next_push("qa.highlight", room)
        state = (await client.ok("room.join", room=room))["state"]["questions"]
        assert state["visible"][0]["author"] is None and state["visible"][0]["mine"] is False
        seen += [json.dumps(client.pushes), json.dumps(event), json.dumps(state)]
    mine = (await asker.ok("room.join", room=room))["state"]["questions"]["visible"]
    assert mine[0]["id"] == asked["id"] and mine[0]["mine"] is True and mine[0]["author"] is None
    for text in seen:
        assert "Olivia" not in text
        assert all(author is None for author in authors(json.loads(text)))
    for client in (asker, *others):
        await client.close()


@pytest.mark.live
async def test_bad_input_and_abuse_get_error_codes_and_store_nothing(live_server_url, world):
    room = world.room.pk
    attendee = await WsClient.connect(live_server_url, world.online)
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await attendee.fails("qa.ask", "not_joined", room=room, text="Hello?")
    for client in (attendee, moderator):
        await client.ok("room.join", room=room)
    await moderator.ok("qa.settings", room=room, premoderation=False)

    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    asked = (await attendee.ok("qa.ask", room=room, text=script))["question"]
    event = await moderator.next_push("qa.question", room)
    assert event["data"]["question"]["text"] == asked["text"] == script
    assert (await Question.objects.aget(pk=asked["id"])).text == script

    await attendee.fails("qa.ask", "too_long", room=room, text="x" * (qa.MAX_TEXT + 1))
    await attendee.fails("qa.ask", "invalid", room=room, text="")
    await attendee.fails("qa.ask", "invalid", room=room, text=42)
    await attendee.fails("qa.vote", "not_found", room=room, question=999999)
    await attendee.fails("qa.moderate", "invalid", room=room, question=asked["id"], action="delete")
    await attendee.fails("qa.moderate", "not_moderator", room=room, question=asked["id"], action="answer")
    await attendee.fails("qa.settings", "not_moderator", room=room, allow_anonymous=False)
    await attendee.fails("qa.label", "not_moderator", room=room, question=asked["id"], labels=["spam"])
    await moderator.fails("qa.label", "too_long", room=room, question=asked["id"], labels=["x" * 31])
    assert await count(Question) == 1 and await count(RoomSettings, qa_allow_anonymous=False) == 0

    for n in range(qa.ASK_LIMIT - 1):
        await attendee.ok("qa.ask", room=room, text=f"Flood {n}")
    await attendee.fails("qa.ask", "rate_limited", room=room, text="One too many")
    assert await count(Question) == qa.ASK_LIMIT
    assert (await attendee.ok("ping")) == {"type": "pong"}  # the socket stays usable

    onsite = await WsClient.connect(live_server_url, world.onsite)
    await onsite.ok("room.join", room=room)
    await Mute.objects.acreate(user=world.onsite, edition=world.edition, room=world.room)
    await onsite.fails("qa.ask", "muted", room=room, text="Let me speak")
    await moderator.ok("room.set_state", room=room, state="paused")
    await onsite.next_push("room.state", room)
    await attendee.fails("qa.ask", "room_paused", room=room, text="Paused?")
    await attendee.fails("qa.vote", "room_paused", room=room, question=asked["id"])
    assert await count(Question) == qa.ASK_LIMIT and await count(QuestionVote) == 0
    for client in (attendee, moderator, onsite):
        await client.close()


@pytest.mark.live
async def test_vote_flood_is_rate_limited_and_the_counter_stays_exact(live_server_url, world):
    room = world.room.pk
    moderator = await WsClient.connect(live_server_url, world.moderator)
    attendee = await WsClient.connect(live_server_url, world.online)
    for client in (moderator, attendee):
        await client.ok("room.join", room=room)
    question = (await moderator.ok("qa.ask", room=room, text="Vote for me"))["question"]
    assert question["status"] == "visible"
    for n in range(qa.VOTE_LIMIT):
        await attendee.ok("qa.unvote" if n % 2 else "qa.vote", room=room, question=question["id"])
    await attendee.fails("qa.vote", "rate_limited", room=room, question=question["id"])
    assert (await attendee.ok("ping")) == {"type": "pong"}
    row = await Question.objects.aget(pk=question["id"])
    assert row.votes == await count(QuestionVote, question_id=question["id"]) == 0
    for client in (moderator, attendee):
        await client.close()


def test_organisers_approve_and_dismiss_from_the_admin(place, client):
    from django.contrib.auth import get_user_model

    waiting = ask(place, place.online, "Approve me")
    rude = ask(place, place.online, "Dismiss me")
    organiser = get_user_model().objects.create_superuser("boss@example.org", "boss@example.org", "pw")
    client.force_login(organiser)
    page = client.get("/admin/chat/question/?status__exact=pending")
    assert page.status_code == 200 and "Approve me" in page.content.decode()
    for action, question in (("approve", waiting), ("dismiss", rude)):
        response = client.post("/admin/chat/question/", {"action": action, "_selected_action": [question["id"]]})
        assert response.status_code == 302
    assert dict(Question.objects.values_list("text", "status")) == {"Approve me": "visible", "Dismiss me": "dismissed"}
    assert [q["text"] for q in joined_state(place, place.onsite)["visible"]] == ["Approve me"]
