"""Chat: services (unit) and the websocket protocol end to end (real Daphne and Redis)."""

import asyncio
import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from chat import services
from chat.models import Message, Mute
from conference.errors import ServiceError
from programme.models import EditionRole
from realtime import broadcast
from rooms.models import Room
from tests.fixtures.factories import make_edition, make_session, register
from tests.fixtures.ws import WsClient

from .chat_fixtures import member, other_room

SCRIPT = '<script>alert("pwned")</script><img src=x onerror=alert(1)> & <b>bold</b>'


def fails(code, fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def set_state(room: Room, state: str) -> None:
    Room.objects.filter(pk=room.pk).update(state=state)


# --- services ------------------------------------------------------------------------------


def test_message_is_stored_as_typed_and_broadcast_only_after_commit(place, listen,
                                                                    django_capture_on_commit_callbacks):
    room_channel = listen(broadcast.room_channel(place.room.pk))
    with django_capture_on_commit_callbacks() as callbacks:
        message = services.post_message(member(place.online, place.room), SCRIPT)
        assert Message.objects.get(pk=message["id"]).text == SCRIPT  # in the database first
        assert room_channel.frames() == []  # nothing broadcast before the commit
    for callback in callbacks:
        callback()
    [frame] = room_channel.frames()
    assert frame["type"] == "chat.message" and frame["seq"] == 1
    assert frame["data"]["text"] == SCRIPT  # literal text, not markup, not escaped
    assert frame["data"]["author"] == {"id": place.online.pk, "name": "Olivia Online"}
    assert message["text"] == SCRIPT


def test_text_limits(place):
    online = member(place.online, place.room)
    fails("too_long", services.post_message, online, "x" * 1001)
    fails("invalid", services.post_message, online, "   \n ")
    fails("invalid", services.post_message, online, "nul\x00byte")
    assert not Message.objects.exists()
    assert services.post_message(online, "é" * 1000)["text"] == "é" * 1000
    assert services.post_message(online, "  two\nlines\t ")["text"] == "two\nlines"


def test_rate_limit_per_user(place):
    online, onsite = member(place.online, place.room), member(place.onsite, place.room)
    for n in range(services.RATE_LIMIT):
        services.post_message(online, f"message {n}")
    error = fails("rate_limited", services.post_message, online, "one too many")
    assert "wait" in error.message
    assert Message.objects.filter(author=place.online).count() == services.RATE_LIMIT
    services.post_message(onsite, "others still talk")


def test_paused_and_closed_rooms(place):
    online, moderator = member(place.online, place.room), member(place.moderator, place.room)
    set_state(place.room, Room.State.PAUSED)
    fails("room_paused", services.post_message, online, "hello?")
    services.post_message(moderator, "We are back after the break")
    set_state(place.room, Room.State.CLOSED)
    fails("room_closed", services.post_message, online, "hello?")
    fails("room_closed", services.post_message, moderator, "anyone?")
    assert list(Message.objects.values_list("text", flat=True)) == ["We are back after the break"]


def test_mute_in_room_and_edition(place, listen, django_capture_on_commit_callbacks):
    moderator, online = member(place.moderator, place.room), member(place.online, place.room)
    second_room = other_room(place)
    personal = listen(broadcast.user_channel(place.online.pk))
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.mute(moderator, place.online.pk, "room", minutes=15, reason="spam")
    assert reply["until"] > timezone.now() + dt.timedelta(minutes=14)
    [pushed] = personal.frames()
    assert pushed["type"] == "chat.muted" and pushed["data"]["scope"] == "room"
    assert pushed["data"]["room"] == place.room.pk
    fails("muted", services.post_message, online, "let me speak")
    services.post_message(member(place.online, second_room), "the room mute stays in its room")
    assert services.chat_state(online, place.room)["muted"] is True

    with django_capture_on_commit_callbacks(execute=True):
        assert services.unmute(moderator, place.online.pk, "room")["lifted"] == 1
    assert personal.frames()[0]["type"] == "chat.unmuted"
    services.post_message(online, "thanks")

    # Edition-wide: only organisers and edition-wide moderators; it covers every room.
    fails("not_moderator", services.mute, moderator, place.online.pk, "edition")
    EditionRole.objects.create(edition=place.edition, user=place.moderator, role=EditionRole.Role.MODERATOR)
    services.mute(moderator, place.online.pk, "edition")
    fails("muted", services.post_message, member(place.online, second_room), "elsewhere?")
    elsewhere = make_session(make_edition(), title="Other edition")
    register(place.online, elsewhere.edition)
    services.post_message(member(place.online, Room.objects.get(session=elsewhere)), "another event: fine")
    services.unmute(moderator, place.online.pk, "edition")
    services.post_message(online, "free again")


def test_mute_expires(place):
    moderator, online = member(place.moderator, place.room), member(place.online, place.room)
    services.mute(moderator, place.online.pk, "room", minutes=5)
    fails("muted", services.post_message, online, "hello")
    Mute.objects.update(until=timezone.now() - dt.timedelta(seconds=1))  # five minutes later
    services.post_message(online, "hello again")
    assert services.chat_state(online, place.room)["muted"] is False


def test_only_moderators_mute_and_moderators_cannot_be_muted(place):
    online = member(place.online, place.room)
    fails("not_moderator", services.mute, online, place.onsite.pk, "room")
    fails("not_moderator", services.unmute, online, place.onsite.pk, "room")
    fails("not_moderator", services.set_slow_mode, online, 30)
    moderator = member(place.moderator, place.room)
    fails("not_allowed", services.mute, moderator, place.moderator.pk, "room")
    fails("not_found", services.mute, moderator, 987654, "room")
    fails("invalid", services.mute, moderator, place.onsite.pk, "room", minutes=0)
    assert not Mute.objects.exists()


def test_moderator_rights_are_checked_at_each_command(place):
    moderator = member(place.moderator, place.room)  # joined as moderator...
    place.session.moderators.remove(place.moderator)  # ... then removed from the session
    fails("not_moderator", services.set_slow_mode, moderator, 30)
    fails("not_moderator", services.mute, moderator, place.online.pk, "room")


def test_slow_mode(place, listen, django_capture_on_commit_callbacks):
    moderator, online = member(place.moderator, place.room), member(place.online, place.room)
    room_channel = listen(broadcast.room_channel(place.room.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.set_slow_mode(moderator, 60) == {"slow_mode_seconds": 60}
    [frame] = room_channel.frames()
    assert frame["type"] == "chat.settings" and frame["data"] == {"slow_mode_seconds": 60}
    services.post_message(online, "first")
    error = fails("slow_mode", services.post_message, online, "second")
    assert "60 s" in error.message
    services.post_message(member(place.onsite, place.room), "someone else may")
    services.post_message(moderator, "moderators are exempt")
    services.post_message(moderator, "really")
    services.set_slow_mode(moderator, 0)
    services.post_message(online, "slow mode off")
    fails("invalid", services.set_slow_mode, moderator, 3601)
    assert services.chat_state(online, place.room)["slow_mode_seconds"] == 0


def test_history_pages_back_and_skips_deleted(place):
    online = member(place.online, place.room)
    ids = [Message.objects.create(room=place.room, author=place.online, text=f"m{n}").pk for n in range(7)]
    Message.objects.filter(pk=ids[5]).update(deleted_at=timezone.now())
    page = services.history(online, limit=3)
    assert [m["text"] for m in page["messages"]] == ["m3", "m4", "m6"]
    page = services.history(online, before=page["next_before"], limit=3)
    assert [m["text"] for m in page["messages"]] == ["m0", "m1", "m2"]
    assert page["next_before"] is None
    state = services.chat_state(online, place.room)
    assert [m["text"] for m in state["messages"]] == ["m0", "m1", "m2", "m3", "m4", "m6"]
    fails("invalid", services.history, online, limit=101)


def test_delete_own_message_or_as_moderator(place, listen, django_capture_on_commit_callbacks):
    online, onsite = member(place.online, place.room), member(place.onsite, place.room)
    moderator = member(place.moderator, place.room)
    mine = services.post_message(online, "oops, wrong room")
    theirs = services.post_message(onsite, "rude words")
    room_channel = listen(broadcast.room_channel(place.room.pk))
    fails("not_moderator", services.delete_message, online, theirs["id"])
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_message(online, mine["id"])
        services.delete_message(moderator, theirs["id"])
    assert [(f["type"], f["data"]) for f in room_channel.frames()] == [
        ("chat.deleted", {"id": mine["id"]}), ("chat.deleted", {"id": theirs["id"]})]
    fails("not_found", services.delete_message, moderator, theirs["id"])  # already gone
    elsewhere = services.post_message(member(place.online, other_room(place)), "other room")
    fails("not_found", services.delete_message, moderator, elsewhere["id"])
    assert services.history(online)["messages"] == []
    assert Message.objects.get(pk=theirs["id"]).deleted_by == place.moderator


def test_a_message_sent_while_redis_is_away_is_saved(place, settings, django_capture_on_commit_callbacks):
    from tests.fixtures.servers import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(member(place.online, place.room), "still here?")
    assert Message.objects.get(pk=message["id"]).text == "still here?"  # clients resync when Redis is back


def test_organiser_deletes_messages_from_the_admin(place, admin_client, listen, django_capture_on_commit_callbacks):
    spam = services.post_message(member(place.online, place.room), "cheap watches")
    kept = services.post_message(member(place.onsite, place.room), "good talk")
    page = admin_client.get("/admin/chat/message/?q=watches").content.decode()
    assert "cheap watches" in page and "good talk" not in page
    room_channel = listen(broadcast.room_channel(place.room.pk))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/chat/message/", {"action": "hide_messages", "_selected_action": [spam["id"]]})
    assert [f["data"] for f in room_channel.frames()] == [{"id": spam["id"]}]  # gone from every screen
    assert [m["id"] for m in services.history(member(place.online, place.room))["messages"]] == [kept["id"]]
    assert admin_client.get("/admin/chat/mute/").status_code == 200
    assert admin_client.get("/admin/chat/roomsettings/").status_code == 200


# --- protocol ------------------------------------------------------------------------------

async def joined(live_server_url, user, room_id):
    client = await WsClient.connect(live_server_url, user)
    data = await client.ok("room.join", room=room_id)
    return client, data


@pytest.mark.live
async def test_people_in_every_role_chat_at_once(live_server_url, world):
    room = world.room.pk
    people = [world.online, world.onsite, world.moderator, world.speaker]
    clients = [(await joined(live_server_url, user, room))[0] for user in people]
    replies = await asyncio.gather(*(c.ok("chat.send", room=room, text=f"hello from {i}")
                                     for i, c in enumerate(clients)))
    sent = {reply["message"]["id"]: reply["message"]["text"] for reply in replies}
    for client in clients:  # everyone sees all four, in the same order
        got = [await client.next_push("chat.message", room) for _ in people]
        assert {p["data"]["id"]: p["data"]["text"] for p in got} == sent
        assert [p["seq"] for p in got] == sorted(p["seq"] for p in got)
    orders = [[p["data"]["id"] for p in c.pushes if p["type"] == "chat.message"] for c in clients]
    assert all(order == orders[0] for order in orders)
    for client in clients:
        await client.close()


@pytest.mark.live
async def test_script_injection_round_trips_as_literal_text(live_server_url, world):
    room = world.room.pk
    sender, _ = await joined(live_server_url, world.online, room)
    watcher, _ = await joined(live_server_url, world.onsite, room)
    reply = await sender.ok("chat.send", room=room, text=SCRIPT)
    assert reply["message"]["text"] == SCRIPT
    assert (await watcher.next_push("chat.message", room))["data"]["text"] == SCRIPT
    assert (await Message.objects.aget(pk=reply["message"]["id"])).text == SCRIPT
    latecomer, data = await joined(live_server_url, world.moderator, room)
    assert data["state"]["chat"]["messages"][-1]["text"] == SCRIPT
    history = await latecomer.ok("chat.history", room=room)
    assert history["messages"][-1]["text"] == SCRIPT and history["next_before"] is None
    for client in (sender, watcher, latecomer):
        await client.close()


@pytest.mark.live
async def test_bad_chat_input_gets_stable_codes_and_stores_nothing(live_server_url, world):
    room = world.room.pk
    client = await WsClient.connect(live_server_url, world.online)
    await client.fails("chat.send", "not_joined", room=room, text="not in the room yet")
    await client.ok("room.join", room=room)
    assert (await client.fails("chat.send", "invalid", room=room))["field"] == "text"
    assert (await client.fails("chat.send", "invalid", room=room, text=42))["field"] == "text"
    assert (await client.fails("chat.send", "invalid", room=room, text=""))["field"] == "text"
    assert (await client.fails("chat.send", "invalid", room="lobby", text="hi"))["field"] == "room"
    assert (await client.fails("chat.send", "invalid", room=room, text="hi", html=True))["field"] == "html"
    assert (await client.fails("chat.send", "too_long", room=room, text="a" * 1001))["field"] == "text"
    assert (await client.fails("chat.history", "invalid", room=room, limit=1000))["field"] == "limit"
    await client.fails("chat.delete", "invalid", room=room, message="last")
    await client.fails("chat.delete", "not_found", room=room, message=123456)
    await client.fails("chat.mute", "invalid", room=room, user=world.onsite.pk, scope="galaxy")
    await client.fails("chat.slow_mode", "invalid", room=room, seconds=-1)
    assert (await client.ok("ping")) == {"type": "pong"}
    assert await Message.objects.filter(room_id=room).acount() == 0
    await client.close()


@pytest.mark.live
async def test_flooding_is_rate_limited_and_the_socket_stays_open(live_server_url, world):
    room = world.room.pk
    flooder, _ = await joined(live_server_url, world.online, room)
    watcher, _ = await joined(live_server_url, world.onsite, room)
    replies = await asyncio.gather(*(flooder.request("chat.send", room=room, text=f"spam {n}") for n in range(12)))
    accepted = [r for r in replies if r["ok"]]
    refused = [r for r in replies if not r["ok"]]
    assert len(accepted) == services.RATE_LIMIT
    assert {r["error"]["code"] for r in refused} == {"rate_limited"}
    assert await Message.objects.filter(room_id=room).acount() == services.RATE_LIMIT
    assert (await flooder.ok("ping")) == {"type": "pong"}
    assert flooder.closed_code is None
    await watcher.ok("chat.send", room=room, text="I can still talk")  # others are not affected
    for client in (flooder, watcher):
        await client.close()


@pytest.mark.live
async def test_moderation_over_the_socket(live_server_url, world):
    room = world.room.pk
    attendee, _ = await joined(live_server_url, world.online, room)
    other, _ = await joined(live_server_url, world.onsite, room)
    moderator, _ = await joined(live_server_url, world.moderator, room)
    posted = (await attendee.ok("chat.send", room=room, text="buy cheap watches"))["message"]

    # A non-moderator moderating: refused, nothing changes.
    await other.fails("chat.delete", "not_moderator", room=room, message=posted["id"])
    await other.fails("chat.mute", "not_moderator", room=room, user=world.online.pk, scope="room")
    await other.fails("chat.unmute", "not_moderator", room=room, user=world.online.pk, scope="room")
    await other.fails("chat.slow_mode", "not_moderator", room=room, seconds=30)
    assert not await Mute.objects.aexists()
    assert (await other.ok("ping")) == {"type": "pong"}

    await moderator.ok("chat.delete", room=room, message=posted["id"])
    for client in (attendee, other, moderator):
        assert (await client.next_push("chat.deleted", room))["data"] == {"id": posted["id"]}
    assert (await other.ok("chat.history", room=room))["messages"] == []

    muted = await moderator.ok("chat.mute", room=room, user=world.online.pk, scope="room", minutes=10,
                               reason="spam")
    assert muted["user"] == world.online.pk and muted["until"]
    push = await attendee.next_push("chat.muted")
    assert push["data"]["scope"] == "room" and push["data"]["room"] == room
    await attendee.fails("chat.send", "muted", room=room, text="let me speak")
    assert (await attendee.ok("ping")) == {"type": "pong"}
    second_tab, rejoined = await joined(live_server_url, world.online, room)
    assert rejoined["state"]["chat"]["muted"] is True
    await second_tab.close()
    await moderator.ok("chat.unmute", room=room, user=world.online.pk, scope="room")
    assert (await attendee.next_push("chat.unmuted"))["data"]["until"] is None
    await attendee.ok("chat.send", room=room, text="sorry")
    assert await Message.objects.filter(room_id=room, deleted_at__isnull=True).acount() == 1

    await moderator.ok("chat.slow_mode", room=room, seconds=120)
    assert (await other.next_push("chat.settings", room))["data"] == {"slow_mode_seconds": 120}
    await other.ok("chat.send", room=room, text="one")
    await other.fails("chat.send", "slow_mode", room=room, text="two")
    await moderator.ok("chat.send", room=room, text="moderators are exempt")
    assert not await Message.objects.filter(text="two").aexists()
    for client in (attendee, other, moderator):
        await client.close()


@pytest.mark.live
async def test_paused_and_closed_room_refuse_chat(live_server_url, world):
    room = world.room.pk
    attendee, _ = await joined(live_server_url, world.online, room)
    moderator, _ = await joined(live_server_url, world.moderator, room)
    await moderator.ok("room.set_state", room=room, state="paused")
    await attendee.next_push("room.state", room)
    await attendee.fails("chat.send", "room_paused", room=room, text="is it over?")
    await moderator.ok("chat.send", room=room, text="Short break, back at 11:00")
    await moderator.ok("room.set_state", room=room, state="closed")
    await attendee.next_push("room.state", room)
    await attendee.fails("chat.send", "room_closed", room=room, text="hello?")
    assert (await attendee.ok("ping")) == {"type": "pong"}
    texts = [m async for m in Message.objects.filter(room_id=room).values_list("text", flat=True)]
    assert texts == ["Short break, back at 11:00"]
    for client in (attendee, moderator):
        await client.close()


@pytest.mark.live
async def test_history_pagination_over_the_socket(live_server_url, world):
    room = world.room.pk
    await sync_to_async(lambda: Message.objects.bulk_create(
        [Message(room=world.room, author=world.online, text=f"m{n}") for n in range(60)]))()
    client, data = await joined(live_server_url, world.onsite, room)
    state = data["state"]["chat"]
    assert len(state["messages"]) == 50 and state["messages"][-1]["text"] == "m59"
    assert state["muted"] is False and state["slow_mode_seconds"] == 0
    older = await client.ok("chat.history", room=room, before=state["messages"][0]["id"])
    assert [m["text"] for m in older["messages"]] == [f"m{n}" for n in range(10)]
    assert older["next_before"] is None
    await client.close()



def test_writing_and_voting_need_a_confirmed_email_address(place):
    from allauth.account.models import EmailAddress

    from chat import polls, qa

    EmailAddress.objects.filter(user=place.online).update(verified=False)
    me = member(place.online, place.room)
    error = fails("email_unverified", services.post_message, me, "Hello")
    assert "Confirm your email address first" in error.message
    fails("email_unverified", qa.ask, me, "A question?")
    fails("email_unverified", qa.vote, me, 1)
    fails("email_unverified", polls.vote, me, 1, [1])
    assert not Message.objects.exists()
    EmailAddress.objects.filter(user=place.online).update(verified=True)
    assert services.post_message(me, "Hello")["text"] == "Hello"
