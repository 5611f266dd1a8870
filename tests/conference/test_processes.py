"""`platform/` is a source folder: the standard library's `platform` module must be
the one imported by Django, Daphne and Celery processes (see docs/architecture.md)."""

import json
import subprocess
import sys
import urllib.request

import pytest
import websockets
from celery import Celery

from tests.fixtures.servers import ROOT


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert not list((ROOT / "platform").glob("*.py")), "no modules directly inside platform/"


def test_django_process_imports_the_standard_platform_module(server_env):
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c",
         "import platform, sysconfig; print(platform.system()); "
         "print(platform.__file__.startswith(sysconfig.get_paths()['stdlib']))"],
        cwd=ROOT, env=server_env, capture_output=True, text=True, check=True,
    )
    assert out.stdout.split() == ["Linux", "True"]


@pytest.mark.live
def test_daphne_process_serves_health_with_standard_platform(live_server_url):
    with urllib.request.urlopen(live_server_url + "/healthz") as response:  # noqa: S310
        body = json.load(response)
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "redis": "ok"}
    assert body["system"] == "Linux"


@pytest.mark.live
def test_celery_worker_runs_with_standard_platform(celery_worker, redis_url):
    app = Celery(broker=redis_url, backend=redis_url)
    result = app.send_task("conference.runtime_info").get(timeout=30)
    assert result["system"] == "Linux"
    assert "site-packages" not in result["platform_module"]
    assert "/platform/platform" not in result["platform_module"]


@pytest.mark.live
async def test_websocket_answers_ping_and_rejects_garbage(live_server_url):
    ws_url = live_server_url.replace("http", "ws") + "/ws/"
    async with websockets.connect(ws_url, origin=live_server_url) as socket:
        assert json.loads(await socket.recv())["type"] == "hello"
        await socket.send(json.dumps({"id": "c1", "type": "ping"}))
        assert json.loads(await socket.recv()) == {"id": "c1", "ok": True, "data": {"type": "pong"}}
        await socket.send("{not json")
        reply = json.loads(await socket.recv())
        assert reply["ok"] is False and reply["error"]["code"] == "bad_json"
        await socket.send(json.dumps({"id": "c2", "type": "teleport"}))
        reply = json.loads(await socket.recv())
        assert reply == {"id": "c2", "ok": False,
                         "error": {"code": "unknown_command", "message": "Unknown command “teleport”."}}


@pytest.mark.live
async def test_websocket_refuses_foreign_origin(live_server_url):
    ws_url = live_server_url.replace("http", "ws") + "/ws/"
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        async with websockets.connect(ws_url, origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403
