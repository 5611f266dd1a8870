"""Bad input over the websocket, as a client would send it, against a real Daphne: every
command gets one reply with a stable code, nothing is stored or changed, and the room stays
usable. Also the handshake: only the site's own origins may open a socket."""

import json

import pytest
import websockets

from chat.models import Message, Poll, Question
from tests.fixtures.ws import WsClient

pytestmark = pytest.mark.live

HUGE = 2**63  # one past the largest database id


async def test_ids_counts_and_booleans_are_not_coerced(live_server_url, world):
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await moderator.ok("room.join", room=world.room.pk)
    attendee = await WsClient.connect(live_server_url, world.online)
    await attendee.ok("room.join", room=world.room.pk)
    sent = await attendee.ok("chat.send", room=world.room.pk, text="Hello")
    message_id = sent["message"]["id"]

    for fields, field in [
        ({"room": str(world.room.pk), "text": "Hi"}, "room"),
        ({"room": True, "text": "Hi"}, "room"),
        ({"room": world.room.pk + 0.0, "text": "Hi"}, "room"),
        ({"room": world.room.pk, "text": 12}, "text"),
    ]:
        error = await attendee.fails("chat.send", "invalid", **fields)
        assert error["field"] == field, (fields, error)
    for message in (True, str(message_id), [message_id]):
        error = await attendee.fails("chat.delete", "invalid", room=world.room.pk, message=message)
        assert error["field"] == "message"
    assert await Message.objects.filter(pk=message_id, deleted_at__isnull=True).aexists()  # true is not id 1
    error = await attendee.fails("qa.ask", "invalid", room=world.room.pk, text="Why?", anonymous="yes")
    assert error["field"] == "anonymous"
    error = await moderator.fails("qa.settings", "invalid", room=world.room.pk, premoderation=1)
    assert error["field"] == "premoderation"
    error = await moderator.fails("chat.slow_mode", "invalid", room=world.room.pk, seconds="10")
    assert error["field"] == "seconds"
    for close in (moderator, attendee):
        await close.close()


async def test_ids_beyond_the_database_range_get_invalid_not_internal_error(live_server_url, world):
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await moderator.ok("room.join", room=world.room.pk)
    for command, fields, field in [
        ("chat.unmute", {"user": HUGE}, "user"),
        ("chat.mute", {"user": HUGE}, "user"),
        ("chat.mute", {"user": 0}, "user"),
        ("chat.delete", {"message": -1}, "message"),
        ("chat.history", {"before": 10**30}, "before"),
        ("qa.vote", {"question": HUGE}, "question"),
        ("poll.vote", {"poll": 1, "options": [HUGE]}, "options.0"),
        ("room.join", {"last_seq": HUGE}, "last_seq"),
    ]:
        error = await moderator.fails(command, "invalid", room=world.room.pk, **fields)
        assert error["field"] == field, (command, error)
    error = await moderator.fails("room.join", "invalid", room=HUGE)
    assert error["field"] == "room"
    assert (await moderator.ok("ping")) == {"type": "pong"}
    await moderator.close()


async def test_a_lone_surrogate_label_is_refused_and_the_room_stays_joinable(live_server_url, world):
    moderator = await WsClient.connect(live_server_url, world.moderator)
    await moderator.ok("room.join", room=world.room.pk)
    question = (await moderator.ok("qa.ask", room=world.room.pk, text="How do clusters reach SMEs?"))["question"]

    for labels in (["\ud800"], ["ok", "bad\x00"], ["two\nlines"]):
        error = await moderator.fails("qa.label", "invalid", room=world.room.pk, question=question["id"],
                                      labels=labels)
        assert error["field"].startswith("labels"), error
    for options in (["Yes", "\ud800"], ["Yes", "No\x00"]):
        error = await moderator.fails("poll.create", "invalid", room=world.room.pk, question="Which?",
                                      options=options)
        assert error["field"].startswith("options"), error
    await moderator.fails("room.announce", "invalid", room=world.room.pk, text="Coffee\x00break")
    await moderator.fails("chat.mute", "invalid", room=world.room.pk, user=world.online.pk, reason="spam\x1b")
    await moderator.fails("chat.send", "invalid", room=world.room.pk, text="a\udfffb")
    assert (await Question.objects.aget(pk=question["id"])).labels == []
    assert not await Poll.objects.aexists()

    # The room still answers every join, with its state.
    latecomer = await WsClient.connect(live_server_url, world.online)
    joined = await latecomer.ok("room.join", room=world.room.pk)
    assert joined["state"]["questions"]["visible"][0]["text"] == "How do clusters reach SMEs?"
    await moderator.ok("qa.label", room=world.room.pk, question=question["id"], labels=["SMEs"])
    for client in (moderator, latecomer):
        await client.close()


async def test_frames_the_reply_cannot_quote_still_get_exactly_one_reply(live_server_url, world):
    client = await WsClient.connect(live_server_url, world.online)
    await client.send_raw(json.dumps({"id": "\ud800", "type": "ping"}))
    reply = await client.next_reply_without_id()
    assert reply["error"]["code"] == "invalid" and reply["error"]["field"] == "id"
    await client.send_raw(json.dumps({"id": "x" * 65, "type": "ping"}))
    assert (await client.next_reply_without_id())["error"]["field"] == "id"
    await client.send_raw(json.dumps({"id": "c1", "type": "\ud800"}))
    reply = await client.reply_to("c1")
    assert reply["error"] == {"code": "unknown_command", "message": "Unknown command."}
    await client.send_raw(json.dumps({"id": "c2", "type": "ping", "\ud800": 1}))
    reply = await client.reply_to("c2")
    assert reply["error"]["code"] == "invalid"  # the key cannot be quoted: no field
    await client.send_raw('{"id": "c3", "type": "ping", "n": ' + "9" * 5000 + "}")  # past Python's int limit
    assert (await client.next_reply_without_id())["error"]["code"] == "bad_json"
    await client.send_raw(json.dumps({"id": 2**70, "type": "ping"}))
    assert (await client.next_reply_without_id())["error"]["field"] == "id"
    assert (await client.ok("ping")) == {"type": "pong"}
    await client.close()


async def test_oversized_frames_get_an_error_frame_or_a_close_frame_never_silence(live_server_url, world):
    client = await WsClient.connect(live_server_url, world.online)
    await client.send_raw(json.dumps({"id": "big", "type": "ping", "pad": "x" * 500_000}))
    assert (await client.next_reply_without_id())["error"]["code"] == "frame_too_large"
    await client.send_raw(json.dumps({"id": "huge", "type": "ping", "pad": "x" * (1024 * 1024)}))
    assert await client.wait_closed() == 1009  # "message too big", not a dropped connection (1006)

    again = await WsClient.connect(live_server_url, world.online)
    assert (await again.ok("ping")) == {"type": "pong"}
    await again.close()


@pytest.mark.parametrize("origin", ["http://localhost:{port}", "https://127.0.0.1:{port}", "http://127.0.0.1:1",
                                    "http://127.0.0.1.evil.example:{port}", None])
async def test_only_the_sites_own_origin_may_open_a_socket(live_server_url, world, origin):
    port = live_server_url.rsplit(":", 1)[1]
    ws_url = live_server_url.replace("http", "ws", 1) + "/ws/"
    kwargs = {"origin": origin.format(port=port)} if origin else {}
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(ws_url, **kwargs):
            pass
    assert refused.value.response.status_code == 403
    async with websockets.connect(ws_url, origin=live_server_url) as accepted:  # the site's own origin
        assert json.loads(await accepted.recv())["type"] == "hello"
