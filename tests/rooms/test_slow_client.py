"""A client that stops reading is cut off; it never slows the others down."""

import base64
import json
import os
import socket
import urllib.request

import pytest
from asgiref.sync import sync_to_async

from realtime import broadcast
from tests.fixtures.ws import WsClient, session_cookie

pytestmark = pytest.mark.live


def raw_websocket_that_never_reads(base_url: str, cookie: str) -> socket.socket:
    """Open a websocket by hand with a tiny receive buffer, then never read from it."""
    host, port = base_url.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws/ HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {base_url}\r\n"
                  f"Cookie: {cookie}\r\n\r\n").encode())
    assert b" 101 " in sock.recv(4096).split(b"\r\n")[0]
    return sock


def send_text(sock: socket.socket, text: str) -> None:
    payload, mask = text.encode(), os.urandom(4)
    header = bytes([0x81, 0x80 | len(payload)]) if len(payload) < 126 else bytes([0x81, 0xFE]) + len(
        payload).to_bytes(2, "big")
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def health(base_url: str) -> dict:
    with urllib.request.urlopen(base_url + "/healthz") as response:  # noqa: S310
        return json.load(response)


async def test_a_client_that_never_reads_is_cut_off_and_others_get_everything(live_server_url, world, redis_url,
                                                                             settings):
    cut_before = (await sync_to_async(health)(live_server_url))["realtime"]["slow_clients_cut"]
    fast = await WsClient.connect(live_server_url, world.online)
    await fast.ok("room.join", room=world.room.pk)
    cookie = await sync_to_async(session_cookie)(world.onsite)
    slow = await sync_to_async(raw_websocket_that_never_reads)(live_server_url, cookie)
    await sync_to_async(send_text)(slow, json.dumps({"id": "j", "type": "room.join", "room": world.room.pk}))
    # The slow socket is in the room once presence counts it (it enters after its join).
    await fast.next_push("presence", world.room.pk, where=lambda push: push["data"]["total"] == 2)

    # Publish a flood of large events straight into the room (as services do after commit).
    settings.REDIS_URL = redis_url
    total, body = 3000, "x" * 4000

    def flood():
        for n in range(total):
            broadcast.publish(world.room.pk, "room.announcement",
                              {"id": n, "text": body, "created_at": "2026-09-26T09:00:00Z", "scope": "room"})

    await sync_to_async(flood)()
    received = [await fast.next_push("room.announcement", world.room.pk, timeout=60) for _ in range(total)]
    assert [p["data"]["id"] for p in received] == list(range(total))  # the reader got everything, in order

    cut_after = (await sync_to_async(health)(live_server_url))["realtime"]["slow_clients_cut"]
    assert cut_after == cut_before + 1
    slow.close()
    await fast.close()
