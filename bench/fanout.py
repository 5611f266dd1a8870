"""Fan-out benchmark: N logged-in clients in one live room, chat published at a set rate
(plus Q&A vote traffic, whose counts are coalesced), against the platform's hub and, in
the same run, against a tutorial-style Channels consumer using group_send (the baseline).
Prints one JSON object.

    python bench/fanout.py --clients 1000 --rate 5 --duration 20 --engines hub,baseline
    python bench/fanout.py --sizes 250,500,1000 --duration 10 --output bench/results/sizes.json

Server and load generator are pinned to different cores (server: core 0)."""

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from itertools import cycle
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
BIN = Path(sys.executable).parent

from bench.loadgen import client_process  # noqa: E402
from bench.stats import percentile  # noqa: E402
from devtools import localredis  # noqa: E402
from tests.fixtures.servers import free_port, wait_for  # noqa: E402


class Stack:
    """Private Redis + database + one server process for one run."""

    def __init__(self, engine: str, server: str, clients: int, publishers: int, pin: bool):
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-"))
        self.redis_port = free_port()
        self.redis = localredis.start(self.redis_port, self.tmp / "redis", log_file=subprocess.DEVNULL)
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}" + (f":{os.environ['BENCH_EXTRA_PATH']}"
                                                             if os.environ.get("BENCH_EXTRA_PATH") else ""),
            "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS", "conference.settings"),
            "CONFERENCE_SECRET_KEY": "bench-secret",
            "CONFERENCE_DATABASE_URL": f"sqlite:///{self.tmp / 'bench.sqlite3'}",
            "CONFERENCE_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CONFERENCE_SECURE_COOKIES": "0",
            "CONFERENCE_SECURE_SSL_REDIRECT": "0",  # the benchmark speaks plain HTTP
            "CONFERENCE_LOG_LEVEL": "WARNING",
            "CONFERENCE_ROOMS_MAX_CONNECTIONS_PER_USER": "100",
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=self.env, check=True)
        out = subprocess.run([sys.executable, "bench/setup_data.py", "--clients", str(clients), "--publishers",
                              str(publishers)], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True)
        self.data = json.loads(out.stdout)
        self.port = free_port()
        app = "bench.baseline.asgi:application" if engine == "baseline" else "conference.asgi:application"
        if server == "daphne":
            cmd = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(self.port), "--websocket_connect_timeout", "60",
                   app]
        else:
            cmd = [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(self.port), "--ws", "websockets",
                   "--log-level", "warning", "--backlog", "4096", app]
        if pin:
            cmd = ["taskset", "-c", "0", *cmd]
        self.log = open(self.tmp / "server.log", "wb")  # noqa: SIM115
        self.url = f"http://127.0.0.1:{self.port}"
        # The site's own origin: the only one whose pages may open websockets (rooms.origins).
        server_env = {**self.env, "CONFERENCE_SITE_URL": self.url}
        self.server = subprocess.Popen(cmd, cwd=ROOT, env=server_env, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603
        wait_for(lambda: urllib.request.urlopen(self.url + "/healthz", timeout=2).status == 200,  # noqa: S310
                 "server", timeout=60, process=self.server)
        self.process = psutil.Process(self.server.pid)
        if pin:  # taskset execs the server: same pid
            pass

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    def rss(self) -> int:
        return self.process.memory_info().rss

    def close(self) -> None:
        for process in (self.server, self.redis):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


async def publish(stack: Stack, engine: str, rate: float, votes_rate: float, duration: float) -> int:
    """Send chat at `rate`/s (round robin over publisher accounts, each under the chat rate
    limit) and toggle a Q&A vote at `votes_rate`/s; returns how many chat messages were sent."""
    from picows import WSListener, WSMsgType, ws_connect

    class Publisher(WSListener):
        """Resolves `joined` when the room.join reply arrives (the server may be busy with joins)."""

        def __init__(self):
            self.joined = asyncio.get_running_loop().create_future()

        def on_ws_frame(self, transport, frame):
            if b'"id":"j"' in frame.get_payload_as_bytes() and not self.joined.done():
                self.joined.set_result(True)

    ws_url = stack.url.replace("http", "ws", 1) + "/ws/"
    transports = []
    for cookie in stack.data["publishers"] if engine == "hub" else stack.data["publishers"][:1]:
        transport, listener = await ws_connect(Publisher, ws_url, extra_headers={"Cookie": f"sessionid={cookie}",
                                                                                 "Origin": stack.url})
        if engine == "hub":
            transport.send(WSMsgType.TEXT, json.dumps({"id": "j", "type": "room.join",
                                                       "room": stack.data["room"]}).encode())
            await asyncio.wait_for(listener.joined, 600)
        transports.append(transport)
    await asyncio.sleep(1.0)
    senders = cycle(transports)
    voters = cycle(transports)
    voted: set[int] = set()
    sent = 0
    start = time.monotonic()
    next_chat = next_vote = start
    while time.monotonic() - start < duration:
        now = time.monotonic()
        if now >= next_chat:
            text = f"t={time.time():.6f}|n={sent}"
            if engine == "hub":
                frame = {"id": f"m{sent}", "type": "chat.send", "room": stack.data["room"], "text": text}
            else:
                frame = {"text": text}
            next(senders).send(WSMsgType.TEXT, json.dumps(frame).encode())
            sent += 1
            next_chat += 1 / rate
        if engine == "hub" and votes_rate and now >= next_vote:
            voter = next(voters)
            kind = "qa.unvote" if id(voter) in voted else "qa.vote"
            voted.symmetric_difference_update({id(voter)})
            voter.send(WSMsgType.TEXT, json.dumps({"id": "v", "type": kind, "room": stack.data["room"],
                                                    "question": stack.data["question"]}).encode())
            next_vote += 1 / votes_rate
        await asyncio.sleep(max(0.0, min(next_chat, next_vote if votes_rate else next_chat) - time.monotonic()))
    for transport in transports:
        transport.disconnect()
    return sent


def run(engine: str, server: str, clients: int, rate: float, duration: float, procs: int, connect_rate: float,
        votes_rate: float, pin: bool, profile: str = "") -> dict:
    publishers = max(12, int(rate * 2.5))  # each account stays under 5 messages per 10 s
    stack = Stack(engine, server, clients, publishers, pin)
    try:
        time.sleep(1)
        rss_before = stack.rss()
        ctx = mp.get_context("spawn")
        ready_events, window, stop, results = [], ctx.Event(), ctx.Event(), ctx.Queue()
        ws_url = stack.url.replace("http", "ws", 1) + "/ws/"
        workers = []
        cookies = stack.data["clients"]
        connect_started = time.monotonic()
        for i in range(procs):
            ready = ctx.Event()
            ready_events.append(ready)
            part = cookies[i::procs]
            worker = ctx.Process(target=client_process, args=(ws_url, part, engine, stack.data["room"],
                                                              connect_rate / procs, ready, window, stop, results,
                                                              1 if pin else None))
            worker.start()
            workers.append(worker)
        for ready in ready_events:
            ready.wait(600)
        connect_seconds = time.monotonic() - connect_started
        time.sleep(2)
        rss_after = stack.rss()
        window.set()
        cpu_before = stack.cpu_seconds()
        profiler = None
        if profile:  # sample the server during the window (py-spy, raw collapsed stacks)
            profiler = subprocess.Popen([str(BIN / "py-spy"), "record", "-p", str(stack.server.pid), "-d",  # noqa: S603
                                         str(int(duration)), "-f", "raw", "-o", profile, "--nonblocking"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if pin:
            os.sched_setaffinity(0, {1})
        if engine == "connections":  # only hold the sockets: memory per connection, connect storm
            sent = 0
            time.sleep(duration)
        else:
            sent = asyncio.run(publish(stack, engine, rate, votes_rate, duration))
        time.sleep(3)  # let the last messages arrive
        if profiler is not None:
            profiler.wait(60)
        cpu_used = stack.cpu_seconds() - cpu_before
        stop.set()
        reports = [results.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join(60)
    finally:
        stack.close()
    latencies = [x for r in reports for x in r["latencies"]]
    connected = sum(r["connected"] for r in reports)
    delivered = sum(r["received"] for r in reports)
    frames = sum(r["frames"] for r in reports)
    expected = sent * connected
    return {
        "engine": engine, "server": server, "clients": clients, "connected": connected,
        "connect_errors": sum(r["connect_errors"] for r in reports),
        "join_errors": sum(r["join_errors"] for r in reports),
        "connect_rate_per_s": round(clients / connect_seconds, 1),
        "chat_rate_per_s": rate, "votes_rate_per_s": votes_rate if engine == "hub" else 0,
        "messages_sent": sent, "deliveries": delivered, "frames_delivered": frames, "lost": expected - delivered,
        "latency_ms": {
            "p50": _ms(percentile(latencies, 50)), "p90": _ms(percentile(latencies, 90)),
            "p99": _ms(percentile(latencies, 99)), "max": _ms(max(latencies) if latencies else None),
            "mean": _ms(statistics.fmean(latencies) if latencies else None),
        },
        "server_cpu_seconds": round(cpu_used, 3),
        # Per frame written to a socket (chat, vote and presence snapshots): the fan-out cost.
        "server_cpu_us_per_delivery": round(cpu_used / frames * 1e6, 2) if frames else None,
        "server_rss_mb": round(rss_after / 2**20, 1),
        "server_kb_per_connection": round((rss_after - rss_before) / max(connected, 1) / 1024, 1),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--sizes", default="", help="comma-separated room sizes (overrides --clients)")
    parser.add_argument("--rate", type=float, default=5.0, help="chat messages per second")
    parser.add_argument("--votes-rate", type=float, default=0.0, help="Q&A vote toggles per second (hub only)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of publishing")
    parser.add_argument("--engines", default="hub,baseline",
                        help="hub, baseline, or connections (the platform, sockets held without joining a room)")
    parser.add_argument("--server", default="daphne", choices=["daphne", "uvicorn"])
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes")
    parser.add_argument("--connect-rate", type=float, default=500.0, help="new connections per second")
    parser.add_argument("--no-pin", action="store_true")
    parser.add_argument("--output", default="")
    parser.add_argument("--profile", default="", help="write py-spy samples of the server (first run) here")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",") if s] or [options.clients]
    runs = []
    for size in sizes:
        for engine in options.engines.split(","):
            runs.append(run(engine, options.server, size, options.rate, options.duration, options.procs,
                            options.connect_rate, options.votes_rate, pin=not options.no_pin,
                            profile=options.profile if not runs else ""))
            print(json.dumps(runs[-1]), file=sys.stderr)
    ratios = {}
    for size in sizes:
        by_engine = {r["engine"]: r for r in runs if r["clients"] == size}
        hub, base = by_engine.get("hub"), by_engine.get("baseline")
        if hub and base and hub["server_cpu_us_per_delivery"] and base["server_cpu_us_per_delivery"]:
            ratios[str(size)] = {
                "cpu_per_delivery_baseline_over_hub": round(
                    base["server_cpu_us_per_delivery"] / hub["server_cpu_us_per_delivery"], 2),
                "p99_baseline_over_hub": round(base["latency_ms"]["p99"] / hub["latency_ms"]["p99"], 2)
                if hub["latency_ms"]["p99"] and base["latency_ms"]["p99"] else None,
            }
    result = {
        "benchmark": "fanout", "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                           "system": platform.platform()},
        "versions": _versions(), "runs": runs, "ratios": ratios,
    }
    text = json.dumps(result, indent=2)
    if options.output:
        Path(options.output).parent.mkdir(parents=True, exist_ok=True)
        Path(options.output).write_text(text + "\n")
    print(text)


def _versions() -> dict:
    from importlib.metadata import version

    return {name: version(name) for name in ["django", "channels", "channels-redis", "daphne", "redis", "picows",
                                              "uvicorn"]}


if __name__ == "__main__":
    main()
