"""The websocket protocol end to end: a real Daphne, real Redis, real clients."""

import json

import pytest

from rooms.models import Room
from tests.fixtures.ws import WsClient

pytestmark = pytest.mark.live


async def test_malformed_frames_get_stable_error_codes_and_socket_stays_usable(live_server_url, world):
    client = await WsClient.connect(live_server_url, world.online)
    await client.send_raw("{nope")
    assert (await client.next_reply_without_id())["error"]["code"] == "bad_json"
    await client.send_raw("[1, 2]")
    assert (await client.next_reply_without_id())["error"]["code"] == "bad_frame"
    await client.send_raw(json.dumps({"id": "big", "type": "ping", "pad": "x" * 20000}))
    assert (await client.next_reply_without_id())["error"]["code"] == "frame_too_large"
    await client.fails("teleport", "unknown_command")
    error = await client.fails("room.join", "invalid")
    assert error["field"] == "room"
    error = await client.fails("room.join", "invalid", room="twelve")
    assert error["field"] == "room"
    error = await client.fails("room.join", "invalid", room=world.room.pk, colour="red")
    assert error["field"] == "colour"
    assert (await client.ok("ping")) == {"type": "pong"}
    await client.close()


async def test_join_gives_room_state_and_presence_split_by_mode(live_server_url, world):
    online = await WsClient.connect(live_server_url, world.online)
    data = await online.ok("room.join", room=world.room.pk)
    state = data["state"]
    assert state["session"]["title"] == "Opening plenary"
    assert state["room"]["state"] == "open"
    assert state["you"] == {"user_id": world.online.pk, "name": "Olivia Online", "mode": "online",
                            "is_moderator": False, "is_speaker": False}
    assert data["seq"] == 0 and len(data["epoch"]) == 16

    onsite = await WsClient.connect(live_server_url, world.onsite)
    await onsite.ok("room.join", room=world.room.pk)
    counts = await online.next_push("presence", world.room.pk,
                                    where=lambda p: p["data"] == {"in_person": 1, "online": 1, "total": 2})
    assert counts["seq"] is None  # a snapshot, not a logged event
    assert "members" not in json.dumps(counts)
    await onsite.close()
    await online.next_push("presence", world.room.pk,
                           where=lambda p: p["data"] == {"in_person": 0, "online": 1, "total": 1})
    await online.close()


async def test_access_rules(live_server_url, world):
    outsider = await WsClient.connect(live_server_url, world.outsider)
    await outsider.fails("room.join", "not_allowed", room=world.room.pk)
    anonymous = await WsClient.connect(live_server_url)
    await anonymous.fails("room.join", "login_required", room=world.room.pk)
    await anonymous.fails("room.join", "not_found", room=999999)
    speaker = await WsClient.connect(live_server_url, world.speaker)  # not registered, but speaking
    assert (await speaker.ok("room.join", room=world.room.pk))["state"]["you"]["is_speaker"] is True
    for client in (outsider, anonymous, speaker):
        await client.close()


async def test_moderator_closes_and_opens_room(live_server_url, world):
    attendee = await WsClient.connect(live_server_url, world.online)
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await attendee.ok("room.join", room=world.room.pk)
    await attendee.fails("room.set_state", "not_moderator", room=world.room.pk, state="closed")
    await moderator.fails("room.set_state", "not_joined", room=world.room.pk, state="closed")
    await moderator.ok("room.join", room=world.room.pk)
    await moderator.ok("room.set_state", room=world.room.pk, state="closed")
    event = await attendee.next_push("room.state", world.room.pk)
    assert event["data"]["state"] == "closed" and event["seq"] == 1
    assert await Room.objects.filter(pk=world.room.pk, state="closed").aexists()

    latecomer = await WsClient.connect(live_server_url, world.onsite)
    await latecomer.fails("room.join", "room_closed", room=world.room.pk)
    await moderator.fails("room.set_state", "invalid", room=world.room.pk, state="exploded")
    await moderator.ok("room.set_state", room=world.room.pk, state="open")
    await latecomer.ok("room.join", room=world.room.pk)
    for client in (attendee, moderator, latecomer):
        await client.close()


async def test_announcements_to_room_and_edition(live_server_url, world):
    from programme.models import EditionRole
    from tests.fixtures.factories import make_session

    other_session = await make_session_async(world, make_session)
    organiser = world.moderator
    await EditionRole.objects.acreate(edition=world.edition, user=organiser, role="organiser")
    attendee = await WsClient.connect(live_server_url, world.online)
    await attendee.ok("room.join", room=world.room.pk)
    other_room = await Room.objects.aget(session=other_session)
    await attendee.ok("room.join", room=other_room.pk)
    moderator = await WsClient.connect(live_server_url, organiser)
    await moderator.ok("room.join", room=world.room.pk)
    await moderator.ok("room.announce", room=world.room.pk, text="Coffee break in 5 minutes")
    event = await attendee.next_push("room.announcement", world.room.pk)
    assert event["data"]["text"] == "Coffee break in 5 minutes" and event["data"]["scope"] == "room"
    await moderator.ok("room.announce", edition=world.edition.pk, text="Welcome everyone!")
    for room in (world.room.pk, other_room.pk):
        event = await attendee.next_push("room.announcement", room)
        assert event["data"] == {**event["data"], "text": "Welcome everyone!", "scope": "edition"}
    await attendee.fails("room.announce", "not_moderator", room=world.room.pk, text="I am the captain now")
    await attendee.fails("room.announce", "invalid", room=world.room.pk, text="")
    await attendee.close()
    await moderator.close()


async def make_session_async(world, make_session):
    from asgiref.sync import sync_to_async

    from tests.fixtures.factories import at

    return await sync_to_async(make_session)(world.edition, title="Parallel panel", starts_at=at(world.edition, 0, 9),
                                             ends_at=at(world.edition, 0, 10), location="Room B")


async def test_reconnect_catches_up_or_resyncs(live_server_url, world, redis_url):
    import redis.asyncio as aioredis

    from realtime import broadcast

    attendee = await WsClient.connect(live_server_url, world.online)
    joined = await attendee.ok("room.join", room=world.room.pk)
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await moderator.ok("room.join", room=world.room.pk)
    await moderator.ok("room.announce", room=world.room.pk, text="one")
    first = await attendee.next_push("room.announcement", world.room.pk)
    epoch = (await attendee.ok("room.join", room=world.room.pk))["epoch"]
    await attendee.close()  # the connection drops

    await moderator.ok("room.announce", room=world.room.pk, text="two")
    await moderator.ok("room.announce", room=world.room.pk, text="three")

    back = await WsClient.connect(live_server_url, world.online)
    reply = await back.ok("room.join", room=world.room.pk, last_seq=first["seq"], epoch=epoch)
    assert reply["caught_up"] == 2 and "state" not in reply
    missed = [await back.next_push("room.announcement", world.room.pk) for _ in range(2)]
    assert [m["data"]["text"] for m in missed] == ["two", "three"]
    assert [m["seq"] for m in missed] == [first["seq"] + 1, first["seq"] + 2]
    await back.close()

    # The log no longer reaches back (trimmed), or the epoch changed: resync with full state.
    redis = aioredis.Redis.from_url(redis_url)
    await redis.delete(broadcast.log_key(world.room.pk))
    again = await WsClient.connect(live_server_url, world.online)
    reply = await again.ok("room.join", room=world.room.pk, last_seq=first["seq"], epoch=epoch)
    assert reply["resync"] is True and reply["state"]["room"]["id"] == world.room.pk
    reply = await again.ok("room.join", room=world.room.pk, last_seq=0, epoch="other-epoch")
    assert reply["resync"] is True
    assert joined["seq"] == 0
    await again.close()
    await moderator.close()
    await redis.aclose()


async def test_too_many_connections_replaces_the_oldest(live_server_url, world):
    from django.conf import settings

    limit = settings.ROOMS_MAX_CONNECTIONS_PER_USER
    clients = [await WsClient.connect(live_server_url, world.online) for _ in range(limit)]
    newest = await WsClient.connect(live_server_url, world.online)
    replaced = await clients[0].next_push("connection.replaced")
    assert replaced["data"]["reason"] == "too_many_connections"
    assert await clients[0].wait_closed() == 4001
    assert (await newest.ok("ping")) == {"type": "pong"}
    for client in [*clients[1:], newest]:
        assert client.closed_code is None
        await client.close()


async def test_catch_up_works_from_a_room_without_events(live_server_url, world):
    attendee = await WsClient.connect(live_server_url, world.online)
    joined = await attendee.ok("room.join", room=world.room.pk)
    assert joined["seq"] == 0
    await attendee.close()
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await moderator.ok("room.join", room=world.room.pk)
    await moderator.ok("room.announce", room=world.room.pk, text="first event")
    back = await WsClient.connect(live_server_url, world.online)
    reply = await back.ok("room.join", room=world.room.pk, last_seq=0, epoch=joined["epoch"])
    assert reply["caught_up"] == 1
    assert (await back.next_push("room.announcement", world.room.pk))["data"]["text"] == "first event"
    await back.close()
    await moderator.close()
