"""The compose services' commands and health checks, run here as real processes.

Redis, Daphne (the `web` command), nginx with deploy/nginx.conf, and the Celery worker and
beat commands are started exactly as docker-compose.yml starts them, with the container's
environment mapped onto this machine (tests/ops/deploy.py); then their health checks are
run, and a request and a websocket go through the proxy.
"""

import json
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from devtools import localredis
from tests.fixtures.servers import die_with_parent, free_port, stop, wait_for

from .deploy import (
    NGINX,
    ROOT,
    Sandbox,
    argv,
    env_example,
    healthcheck_argv,
    local_nginx_conf,
    nginx_argv,
    service,
    wait_for_port,
)

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """A Redis server and a migrated SQLite database in place of the compose services."""
    tmp = tmp_path_factory.mktemp("stack")
    port = free_port()
    redis = localredis.start(port, tmp, log_file=subprocess.DEVNULL, preexec_fn=die_with_parent)
    try:
        wait_for_port(port, redis)
        sandbox = Sandbox(tmp, redis_port=port)
        migrated = sandbox.run(argv(service("migrate")["command"]), "migrate", timeout=240)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        yield sandbox
    finally:
        stop(redis)


def start(sandbox: Sandbox, args: list[str], service_name: str, log_name: str) -> subprocess.Popen:
    # The child keeps its own copy of the log's file descriptor.
    with open(sandbox.tmp / log_name, "w") as log:
        return subprocess.Popen(args, cwd=ROOT, env=sandbox.env(service_name), stdout=log, stderr=subprocess.STDOUT)


def web_command(port: int) -> list[str]:
    """The web service's command, on a free port of the loopback interface."""
    command = argv(service("web")["command"])
    command[command.index("-b") + 1] = "127.0.0.1"
    command[command.index("-p") + 1] = str(port)
    return command


def web_healthcheck(port: int) -> list[str]:
    return [part.replace(":8000/", f":{port}/") for part in healthcheck_argv(service("web")["healthcheck"]["test"])]


@pytest.fixture(scope="module")
def web(sandbox):
    port = free_port()
    daphne = start(sandbox, web_command(port), "web", "daphne.log")
    try:
        wait_for_port(port, daphne)
        yield port
    finally:
        stop(daphne)


@pytest.fixture(scope="module")
def proxy(sandbox, web, tmp_path_factory):
    if NGINX is None:
        pytest.skip("no nginx binary on this machine (Debian: apt-get install nginx-light)")
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    conf = local_nginx_conf(tmp, upstream_port=web, listen_port=port)
    nginx = subprocess.Popen(
        nginx_argv(tmp, conf, "-g", "daemon off;"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, nginx)
        yield port
    finally:
        stop(nginx)


def test_web_health_check_passes(sandbox, web):
    result = sandbox.run(web_healthcheck(web))
    assert result.returncode == 0, result.stderr


def test_web_health_check_fails_when_redis_is_down(tmp_path):
    sandbox = Sandbox(tmp_path)  # its Redis port has no server
    port = free_port()
    daphne = start(sandbox, web_command(port), "web", "daphne.log")
    try:
        wait_for_port(port, daphne)
        result = sandbox.run(web_healthcheck(port))
        assert result.returncode != 0
        assert "503" in result.stderr
    finally:
        stop(daphne)


def test_requests_go_through_the_proxy(proxy):
    with urllib.request.urlopen(f"http://127.0.0.1:{proxy}/healthz", timeout=10) as response:
        assert response.status == 200
        assert json.load(response)["status"] == "ok"
    with urllib.request.urlopen(f"http://127.0.0.1:{proxy}/nginx-health", timeout=10) as response:
        assert response.read() == b"ok\n"


def test_media_server_hooks_are_not_reachable_through_the_proxy(proxy, web):
    def post(port: int) -> int:
        request = urllib.request.Request(  # noqa: S310 (local test server)
            f"http://127.0.0.1:{port}/streaming/hooks/nginx-rtmp/publish", data=b"call=publish&name=x&key=y",
            method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local test server)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert post(web) == 403  # the platform answers the internal network (here: no hook secret)
    assert post(proxy) == 404  # the proxy never forwards them


def test_websocket_goes_through_the_proxy(proxy):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    # A browser on the configured site (CONFERENCE_SITE_URL) sends that origin; the proxy's
    # port here is a free one, so another origin, e.g. the address itself, is refused.
    url, origin = f"ws://127.0.0.1:{proxy}/ws/", env_example()["CONFERENCE_SITE_URL"]
    with connect(url, origin=origin, open_timeout=10) as socket:
        assert json.loads(socket.recv(timeout=10))["type"] == "hello"
        socket.send(json.dumps({"id": "ops-1", "type": "ping"}))
        reply = json.loads(socket.recv(timeout=10))
    assert reply == {"id": "ops-1", "ok": True, "data": {"type": "pong"}}
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin=f"http://127.0.0.1:{proxy}", open_timeout=10)
    assert refused.value.response.status_code == 403


def wait_for_log(sandbox: Sandbox, name: str, process: subprocess.Popen, text: str, timeout: float = 60) -> None:
    log = sandbox.tmp / f"{name}.log"
    wait_for(lambda: text in log.read_text(), f"{name} logging {text!r}", timeout, process)


def run_healthcheck(sandbox: Sandbox, name: str, *, reply_timeout: int | None = None):
    check = healthcheck_argv(service(name)["healthcheck"]["test"])
    if reply_timeout is not None:  # only to wait less for a reply that cannot come
        check = [re.sub(r"--timeout \d+", f"--timeout {reply_timeout}", part) for part in check]
    return sandbox.run(check, name, timeout=60)


def test_celery_worker_and_beat_answer_their_health_checks(sandbox):
    beat_command = argv(service("beat")["command"])
    for i, part in enumerate(beat_command):
        if part.startswith("--schedule="):
            beat_command[i] = "--schedule=" + sandbox.path(part.removeprefix("--schedule="))
    worker = start(sandbox, argv(service("worker")["command"]), "worker", "worker.log")
    beat = start(sandbox, beat_command, "beat", "beat.log")
    try:
        wait_for_log(sandbox, "worker", worker, " ready.")
        wait_for_log(sandbox, "beat", beat, "beat pidbox: Connected")
        for name in ("worker", "beat"):
            result = run_healthcheck(sandbox, name)
            assert result.returncode == 0, result.stdout + result.stderr
            assert "pong" in result.stdout
        assert list((sandbox.var / "beat").glob("celerybeat-schedule*")), "beat keeps its schedule in the volume"
    finally:
        stop(worker)
        stop(beat)
    # With the processes gone nobody answers, so the checks do detect a dead worker or beat.
    for name in ("worker", "beat"):
        assert run_healthcheck(sandbox, name, reply_timeout=1).returncode != 0
