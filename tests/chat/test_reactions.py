"""Reactions: counted in Redis, broadcast as coalesced snapshots of the totals."""

import asyncio

import pytest

from chat import reactions
from conference.errors import ServiceError
from realtime import broadcast
from rooms.models import Room
from tests.fixtures.ws import WsClient

from .chat_fixtures import member, other_room


def fails(code, fn, *args):
    with pytest.raises(ServiceError) as caught:
        fn(*args)
    assert caught.value.code == code, caught.value.message


def test_reactions_are_counted_per_room_and_mark_the_counter_dirty(place, listen):
    dirty = listen(broadcast.dirty_channel(place.room.pk))
    online = member(place.online, place.room)
    assert reactions.react(online, "👏") == {"emoji": "👏"}
    reactions.react(online, "👏")
    reactions.react(member(place.onsite, place.room), "❤")  # the heart without its variation selector
    counts = reactions.counts(place.room.pk)
    assert counts == {"👏": 2, "❤️": 1, "😂": 0, "😮": 0, "👍": 0, "🎉": 0}
    assert dirty.frames() == ["reactions"] * 3  # the counter, never a frame per reaction to sockets
    assert reactions.counts(other_room(place).pk) == dict.fromkeys(reactions.EMOJI, 0)


def test_only_the_fixed_emoji(place):
    online = member(place.online, place.room)
    for emoji in ("💩", "<script>", "👏👏", ""):
        fails("invalid", reactions.react, online, emoji)
    assert sum(reactions.counts(place.room.pk).values()) == 0


def test_reactions_are_rate_limited_per_user(place):
    online = member(place.online, place.room)
    for _ in range(reactions.RATE_LIMIT):
        reactions.react(online, "🎉")
    fails("rate_limited", reactions.react, online, "🎉")
    assert reactions.counts(place.room.pk)["🎉"] == reactions.RATE_LIMIT
    reactions.react(member(place.onsite, place.room), "🎉")
    assert reactions.counts(place.room.pk)["🎉"] == reactions.RATE_LIMIT + 1


def test_closed_room_takes_no_reactions_but_a_paused_one_does(place):
    online = member(place.online, place.room)
    Room.objects.filter(pk=place.room.pk).update(state=Room.State.PAUSED)
    reactions.react(online, "👍")
    Room.objects.filter(pk=place.room.pk).update(state=Room.State.CLOSED)
    fails("room_closed", reactions.react, online, "👍")
    assert reactions.counts(place.room.pk)["👍"] == 1


# --- protocol ------------------------------------------------------------------------------


@pytest.mark.live
async def test_many_reactions_reach_everyone_as_few_coalesced_totals(live_server_url, world):
    room = world.room.pk
    users = [world.online, world.onsite, world.speaker, world.moderator]
    clients = []
    for user in users:
        client = await WsClient.connect(live_server_url, user)
        data = await client.ok("room.join", room=room)
        assert data["state"]["reactions"] == {"counts": dict.fromkeys(reactions.EMOJI, 0)}
        clients.append(client)
    per_user = 15
    await asyncio.gather(*(c.ok("reaction.send", room=room, emoji=emoji)
                           for c, emoji in zip(clients, ("👏", "❤️", "🎉", "👏"), strict=True)
                           for _ in range(per_user)))
    expected = {**dict.fromkeys(reactions.EMOJI, 0), "👏": 2 * per_user, "❤️": per_user, "🎉": per_user}
    for client in clients:
        final = await client.next_push("reactions", room, where=lambda p: p["data"]["counts"] == expected)
        assert final["seq"] is None  # a snapshot, not a logged event
        snapshots = [p for p in client.pushes if p["type"] == "reactions"]
        # 60 reactions, far fewer updates: totals are coalesced (at most 4 per second).
        assert len(snapshots) + 1 < len(users) * per_user
    newcomer = await WsClient.connect(live_server_url, world.online)
    assert (await newcomer.ok("room.join", room=room))["state"]["reactions"] == {"counts": expected}
    for client in [*clients, newcomer]:
        await client.close()


@pytest.mark.live
async def test_bad_reactions_get_stable_codes(live_server_url, world):
    room = world.room.pk
    client = await WsClient.connect(live_server_url, world.online)
    await client.fails("reaction.send", "not_joined", room=room, emoji="👏")
    await client.ok("room.join", room=room)
    assert (await client.fails("reaction.send", "invalid", room=room))["field"] == "emoji"
    assert (await client.fails("reaction.send", "invalid", room=room, emoji=["👏"]))["field"] == "emoji"
    assert (await client.fails("reaction.send", "invalid", room=room, emoji="🍕"))["field"] == "emoji"
    assert (await client.fails("reaction.send", "invalid", room=room, emoji="<b>hi</b>"))["field"] == "emoji"
    replies = await asyncio.gather(*(client.request("reaction.send", room=room, emoji="😮")
                                     for _ in range(reactions.RATE_LIMIT + 5)))
    assert sum(r["ok"] for r in replies) == reactions.RATE_LIMIT
    assert {r["error"]["code"] for r in replies if not r["ok"]} == {"rate_limited"}
    assert (await client.ok("ping")) == {"type": "pong"}
    final = await client.next_push("reactions", room, where=lambda p: p["data"]["counts"]["😮"] ==
                                   reactions.RATE_LIMIT)
    assert sum(final["data"]["counts"].values()) == reactions.RATE_LIMIT  # nothing else counted
    await client.close()
