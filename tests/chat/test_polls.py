"""Polls: draft → open → closed, one (changeable) vote per person, results live, hidden or
for moderators only, delivered as coalesced snapshots."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from chat import polls
from chat.models import Poll, PollVote
from conference.errors import ServiceError
from realtime import broadcast
from rooms.models import Room
from tests.fixtures.ws import WsClient

from .chat_fixtures import member, other_room


def fails(code, fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def make_poll(place, *, multiple=False, results="live", open_=True) -> dict:
    moderator = member(place.moderator, place.room)
    poll = polls.create_poll(moderator, "Which cluster service matters most?",
                             ["Matchmaking", "Internationalisation", "Training"], multiple=multiple,
                             results=results)["poll"]
    if open_:
        poll = polls.open_poll(moderator, poll["id"])["poll"]
    return poll


def option_ids(poll: dict) -> list[int]:
    return [option["id"] for option in poll["options"]]


# --- services ------------------------------------------------------------------------------


def test_moderators_create_drafts_that_attendees_do_not_see(place):
    online = member(place.online, place.room)
    fails("not_moderator", polls.create_poll, online, "Coffee or tea?", ["Coffee", "Tea"])
    draft = make_poll(place, open_=False)
    assert draft["status"] == "draft" and [o["text"] for o in draft["options"]] == [
        "Matchmaking", "Internationalisation", "Training"]
    assert polls.list_polls(online) == {"polls": []}
    assert polls.polls_state(online, place.room) == {"open": []}
    moderator = member(place.moderator, place.room)
    assert [p["id"] for p in polls.polls_state(moderator, place.room)["drafts"]] == [draft["id"]]
    fails("not_found", polls.open_poll, moderator, 987654)
    fails("not_moderator", polls.open_poll, online, draft["id"])
    assert Poll.objects.get(pk=draft["id"]).status == "draft"


@pytest.mark.parametrize(("question", "options", "code"), [
    ("", ["a", "b"], "invalid"),
    ("q" * 301, ["a", "b"], "too_long"),
    ("Pick one", ["only"], "invalid"),
    ("Pick one", [str(n) for n in range(11)], "invalid"),
    ("Pick one", ["Yes", " yes "], "invalid"),
    ("Pick one", ["Yes", "  "], "invalid"),
    ("Pick one", ["Yes", "n" * 201], "too_long"),
])
def test_poll_validation(place, question, options, code):
    fails(code, polls.create_poll, member(place.moderator, place.room), question, options)
    assert not Poll.objects.exists()


def test_open_vote_change_and_close(place, listen, django_capture_on_commit_callbacks):
    room_channel = listen(broadcast.room_channel(place.room.pk), broadcast.dirty_channel(place.room.pk))
    moderator = member(place.moderator, place.room)
    with django_capture_on_commit_callbacks(execute=True):
        poll = make_poll(place)
    [opened] = room_channel.frames()
    assert opened["type"] == "poll.opened" and opened["data"]["poll"]["counts"] == dict.fromkeys(
        map(str, option_ids(poll)), 0)
    first, second, third = option_ids(poll)
    online, onsite = member(place.online, place.room), member(place.onsite, place.room)

    with django_capture_on_commit_callbacks(execute=True):
        mine = polls.vote(online, poll["id"], [first])["poll"]
        polls.vote(onsite, poll["id"], [first])
    assert mine["my_votes"] == [first] and mine["counts"][str(first)] == 1
    assert room_channel.frames() == [polls.results_key(poll["id"])] * 2  # coalesced, not a frame per vote

    changed = polls.vote(online, poll["id"], [second])["poll"]  # a second vote replaces the first
    assert changed["my_votes"] == [second]
    assert changed["counts"] == {str(first): 1, str(second): 1, str(third): 0}
    assert changed["participants"] == 2
    assert PollVote.objects.filter(user=place.online).count() == 1

    fails("invalid", polls.vote, online, poll["id"], [first, second])  # single choice
    fails("invalid", polls.vote, online, poll["id"], [])
    fails("invalid", polls.vote, online, poll["id"], [987654])  # unknown option
    assert polls.poll_for(online, Poll.objects.get(pk=poll["id"]))["my_votes"] == [second]

    with django_capture_on_commit_callbacks(execute=True):
        closed = polls.close_poll(moderator, poll["id"])["poll"]
    assert closed["status"] == "closed"
    frames = room_channel.frames()
    assert frames[0]["type"] == "poll.closed" and frames[0]["data"]["poll"]["participants"] == 2
    assert frames[1] == polls.results_key(poll["id"])
    fails("poll_not_open", polls.vote, online, poll["id"], [third])
    fails("poll_not_open", polls.close_poll, moderator, poll["id"])
    fails("invalid", polls.open_poll, moderator, poll["id"])
    assert PollVote.objects.get(user=place.online).option_id == second


def test_multiple_choice(place):
    poll = make_poll(place, multiple=True)
    first, second, third = option_ids(poll)
    online = member(place.online, place.room)
    assert polls.vote(online, poll["id"], [third, first])["poll"]["my_votes"] == [first, third]
    result = polls.vote(member(place.onsite, place.room), poll["id"], [first])["poll"]
    assert result["counts"] == {str(first): 2, str(second): 0, str(third): 1}
    assert result["participants"] == 2  # people, not ticks
    fails("invalid", polls.vote, online, poll["id"], [first, first])
    other = make_poll(place)
    fails("invalid", polls.vote, online, poll["id"], [first, option_ids(other)[0]])  # another poll's option
    assert sorted(PollVote.objects.filter(user=place.online).values_list("option_id", flat=True)) == [first, third]


def test_votes_on_a_draft_or_in_another_room(place):
    draft = make_poll(place, open_=False)
    online = member(place.online, place.room)
    fails("poll_not_open", polls.vote, online, draft["id"], option_ids(draft)[:1])
    elsewhere = member(place.online, other_room(place))
    fails("not_found", polls.vote, elsewhere, make_poll(place)["id"], [1])
    Room.objects.filter(pk=place.room.pk).update(state=Room.State.CLOSED)
    fails("room_closed", polls.vote, online, make_poll(place)["id"], [1])
    assert not PollVote.objects.exists()


@pytest.mark.parametrize(("mode", "while_open", "after_close"), [
    ("live", True, True), ("hidden", False, True), ("moderators", False, False)])
def test_results_visibility(place, mode, while_open, after_close):
    poll = make_poll(place, results=mode)
    online, moderator = member(place.online, place.room), member(place.moderator, place.room)
    polls.vote(online, poll["id"], option_ids(poll)[:1])

    def seen_by(who):
        return polls.poll_for(who, Poll.objects.get(pk=poll["id"]))["counts"] is not None

    snapshot = polls.results_snapshot_data(place.room.pk, poll["id"])
    assert snapshot[0]["participants"] == 1 and snapshot[1] is (not while_open)  # moderators only?
    assert seen_by(online) is while_open and seen_by(moderator)
    closed = polls.close_poll(moderator, poll["id"])["poll"]
    assert closed["counts"] is not None  # moderators always see them
    assert seen_by(online) is after_close
    assert polls.results_snapshot_data(place.room.pk, poll["id"])[1] is (not after_close)
    listed = polls.list_polls(online)["polls"][0]
    assert (listed["counts"] is not None) is after_close and listed["my_votes"] == option_ids(poll)[:1]


def test_organiser_opens_and_closes_polls_from_the_admin(place, admin_client, listen,
                                                        django_capture_on_commit_callbacks):
    draft = make_poll(place, open_=False)
    assert admin_client.get("/admin/chat/poll/add/").status_code == 200
    page = admin_client.get(f"/admin/chat/poll/{draft['id']}/change/").content.decode()
    assert "Internationalisation" in page  # options are edited inline
    room_channel = listen(broadcast.room_channel(place.room.pk))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/chat/poll/", {"action": "open_polls", "_selected_action": [draft["id"]]})
    assert [f["type"] for f in room_channel.frames()] == ["poll.opened"]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/chat/poll/", {"action": "close_polls", "_selected_action": [draft["id"]]})
    assert [f["type"] for f in room_channel.frames() if isinstance(f, dict)] == ["poll.closed"]
    assert Poll.objects.get(pk=draft["id"]).status == "closed"


# --- protocol ------------------------------------------------------------------------------


async def joined(live_server_url, user, room_id):
    client = await WsClient.connect(live_server_url, user)
    return client, await client.ok("room.join", room=room_id)


@pytest.mark.live
async def test_a_live_poll_with_the_whole_room_voting(live_server_url, world):
    room = world.room.pk
    moderator, _ = await joined(live_server_url, world.moderator, room)
    voters = [(await joined(live_server_url, user, room))[0] for user in (world.online, world.onsite, world.speaker)]
    draft = (await moderator.ok("poll.create", room=room, question="Coffee or tea?", options=["Coffee", "Tea"],
                                results="live"))["poll"]
    assert draft["status"] == "draft"
    coffee, tea = option_ids(draft)
    await moderator.ok("poll.open", room=room, poll=draft["id"])
    for voter in voters:
        opened = await voter.next_push("poll.opened", room)
        assert opened["data"]["poll"]["question"] == "Coffee or tea?" and opened["seq"] is not None
    # Everyone votes at once; the speaker then changes their mind.
    await asyncio.gather(*(v.ok("poll.vote", room=room, poll=draft["id"], options=[coffee]) for v in voters))
    changed = await voters[2].ok("poll.vote", room=room, poll=draft["id"], options=[tea])
    assert changed["poll"]["my_votes"] == [tea]
    final = {str(coffee): 2, str(tea): 1}
    for client in [moderator, *voters]:
        results = await client.next_push("poll.results", room, where=lambda p: p["data"]["counts"] == final)
        assert results["data"]["participants"] == 3 and results["seq"] is None
    late, state = await joined(live_server_url, world.online, room)
    [open_poll] = state["state"]["polls"]["open"]
    assert open_poll["my_votes"] == [coffee] and open_poll["counts"] == final
    assert "drafts" not in state["state"]["polls"]

    await moderator.ok("poll.close", room=room, poll=draft["id"])
    closed = await voters[0].next_push("poll.closed", room)
    assert closed["data"]["poll"]["counts"] == final and closed["data"]["poll"]["participants"] == 3
    await voters[0].fails("poll.vote", "poll_not_open", room=room, poll=draft["id"], options=[tea])
    assert (await voters[0].ok("ping")) == {"type": "pong"}
    listed = (await voters[0].ok("poll.list", room=room))["polls"]
    assert [(p["id"], p["status"]) for p in listed] == [(draft["id"], "closed")]
    assert await PollVote.objects.filter(poll_id=draft["id"]).acount() == 3
    for client in [moderator, *voters, late]:
        await client.close()


@pytest.mark.live
async def test_hidden_results_reach_moderators_only_until_the_poll_closes(live_server_url, world):
    room = world.room.pk
    moderator, _ = await joined(live_server_url, world.moderator, room)
    attendee, _ = await joined(live_server_url, world.online, room)
    poll = (await moderator.ok("poll.create", room=room, question="Rate the keynote", options=["Good", "Meh"],
                               results="hidden"))["poll"]
    await moderator.ok("poll.open", room=room, poll=poll["id"])
    opened = await attendee.next_push("poll.opened", room)
    assert opened["data"]["poll"]["counts"] is None and opened["data"]["poll"]["participants"] is None
    reply = await attendee.ok("poll.vote", room=room, poll=poll["id"], options=[option_ids(poll)[1]])
    assert reply["poll"]["counts"] is None and reply["poll"]["my_votes"] == [option_ids(poll)[1]]
    seen = await moderator.next_push("poll.results", room)
    assert seen["data"]["participants"] == 1
    await moderator.ok("poll.close", room=room, poll=poll["id"])
    closed = await attendee.next_push("poll.closed", room)
    attendee.got_none_before("poll.results", closed)  # the moderators' snapshot was not sent to the room
    assert closed["data"]["poll"]["counts"] == {str(option_ids(poll)[0]): 0, str(option_ids(poll)[1]): 1}
    await attendee.next_push("poll.results", room)  # and now the room gets the results
    for client in (moderator, attendee):
        await client.close()


@pytest.mark.live
async def test_bad_poll_input_gets_stable_codes_and_stores_nothing(live_server_url, world):
    room = world.room.pk
    moderator, _ = await joined(live_server_url, world.moderator, room)
    attendee = await WsClient.connect(live_server_url, world.online)
    poll = (await moderator.ok("poll.create", room=room, question="Where next?", options=["Lyon", "Graz"]))["poll"]
    await attendee.fails("poll.vote", "not_joined", room=room, poll=poll["id"], options=option_ids(poll)[:1])
    await attendee.ok("room.join", room=room)
    await attendee.fails("poll.vote", "poll_not_open", room=room, poll=poll["id"], options=option_ids(poll)[:1])
    await attendee.fails("poll.create", "not_moderator", room=room, question="Mine?", options=["a", "b"])
    await attendee.fails("poll.open", "not_moderator", room=room, poll=poll["id"])
    await moderator.ok("poll.open", room=room, poll=poll["id"])
    await attendee.fails("poll.close", "not_moderator", room=room, poll=poll["id"])
    for fields, field in [({"options": "Lyon"}, "options"), ({"options": []}, "options"),
                          ({"options": ["Lyon"]}, "options.0"), ({"poll": "first", "options": [1]}, "poll"),
                          ({"options": [1], "weight": 5}, "weight")]:
        error = await attendee.fails("poll.vote", "invalid", **{"room": room, "poll": poll["id"], **fields})
        assert error["field"] == field
    await attendee.fails("poll.vote", "invalid", room=room, poll=poll["id"], options=[987654])
    await attendee.fails("poll.vote", "invalid", room=room, poll=poll["id"], options=option_ids(poll))
    await moderator.fails("poll.create", "invalid", room=room, question="One option?", options=["only"])
    await moderator.fails("poll.create", "invalid", room=room, question="q", options=["a", "b"], results="public")
    assert (await attendee.ok("ping")) == {"type": "pong"}
    assert await PollVote.objects.acount() == 0
    assert await Poll.objects.acount() == 1
    assert await sync_to_async(lambda: Poll.objects.get().status)() == "open"
    for client in (moderator, attendee):
        await client.close()
