"""Load-generator processes of the fan-out benchmark: many websocket clients (picows on
uvloop), each logged in with its own session cookie, joined to the room, recording the
publish-to-receipt latency of every chat message it receives."""

import asyncio
import json
import os
import time
from dataclasses import dataclass, field

from picows import WSFrame, WSListener, WSMsgType, WSTransport, ws_connect


@dataclass
class ClientStats:
    connect_errors: int = 0
    join_errors: int = 0
    connected: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, for messages in the window
    received: int = 0  # chat messages
    frames: int = 0  # every frame (chat, snapshots of votes and presence, replies)


def _stamp(text: str) -> tuple[float, int] | None:
    # chat texts are "t=<publish time>|n=<index>"
    if not text.startswith("t="):
        return None
    stamp, _, index = text[2:].partition("|n=")
    return float(stamp), int(index)


class Client(WSListener):
    def __init__(self, stats: ClientStats, engine: str, room: int, joined: asyncio.Future):
        self.stats, self.engine, self.room, self.joined = stats, engine, room, joined

    def on_ws_connected(self, transport: WSTransport) -> None:
        if self.engine == "hub":
            transport.send(WSMsgType.TEXT, json.dumps({"id": "j", "type": "room.join", "room": self.room}).encode())
        elif not self.joined.done():
            self.joined.set_result(True)

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        if frame.msg_type != WSMsgType.TEXT:
            return
        now = time.time()
        self.stats.frames += 1
        message = json.loads(frame.get_payload_as_bytes())
        if message.get("id") == "j":
            if not self.joined.done():
                self.joined.set_result(bool(message.get("ok")))
            return
        if message.get("type") != "chat.message":
            return
        stamp = _stamp(message["data"]["text"])
        if stamp is not None:
            self.stats.received += 1
            self.stats.latencies.append(now - stamp[0])

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        if not self.joined.done():
            self.joined.set_result(False)


async def run_clients(url: str, cookies: list[str], engine: str, room: int, connect_rate: float,
                      ready, window, stop, results) -> None:
    """Connect the clients at `connect_rate` per second, signal `ready`, count only what
    arrives between `window` and `stop`, then report through `results`."""
    stats = ClientStats()
    transports = []
    origin = "http" + url[2:-4]  # ws://host:port/ws/ → http://host:port

    async def one(cookie: str) -> None:
        joined = asyncio.get_running_loop().create_future()
        try:
            transport, _ = await ws_connect(lambda: Client(stats, engine, room, joined), url,
                                            extra_headers={"Cookie": f"sessionid={cookie}", "Origin": origin},
                                            websocket_handshake_timeout=30)
        except Exception:
            stats.connect_errors += 1
            return
        transports.append(transport)
        try:
            ok = await asyncio.wait_for(joined, 600)  # joins queue up in a connect storm
        except TimeoutError:
            ok = False
        if ok:
            stats.connected += 1
        else:
            stats.join_errors += 1

    tasks = []
    for cookie in cookies:  # a steady connect rate: the storm the server must absorb
        tasks.append(asyncio.create_task(one(cookie)))
        await asyncio.sleep(1 / connect_rate)
    await asyncio.gather(*tasks, return_exceptions=True)
    ready.set()
    while not window.is_set():
        await asyncio.sleep(0.01)
    stats.latencies.clear()
    stats.received = stats.frames = 0
    while not stop.is_set():
        await asyncio.sleep(0.01)
    results.put({"connect_errors": stats.connect_errors, "join_errors": stats.join_errors,
                 "connected": stats.connected, "received": stats.received, "frames": stats.frames,
                 "latencies": stats.latencies})
    for transport in transports:
        transport.disconnect()


def client_process(url, cookies, engine, room, connect_rate, ready, window, stop, results, core) -> None:
    """Entry point of one load-generator process (pinned to `core` when given)."""
    if core is not None:
        os.sched_setaffinity(0, {core})
    import uvloop

    uvloop.run(run_clients(url, cookies, engine, room, connect_rate, ready, window, stop, results))
