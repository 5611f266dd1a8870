"""Fixtures of the streaming tests: nginx-rtmp, ffmpeg, and a Daphne + Celery worker with the
streaming settings (hook secret, media directories, a short grace period)."""

import datetime as dt
import os
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from programme.models import Session
from rooms.models import Room
from streaming import services
from streaming.backends import nginx_rtmp
from tests.fixtures.factories import make_edition, make_session, make_user, register
from tests.fixtures.servers import (
    die_with_parent,
    free_port,
    start_celery_worker,
    start_daphne,
    stop,
    wait_for,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
HOOK_SECRET = "test-hook-secret"  # noqa: S105 (test value)
GRACE_SECONDS = 2


def missing_media_tools() -> str:
    if not Path(NGINX).exists():
        return "nginx is not installed (apt-get install nginx libnginx-mod-rtmp)"
    if not Path(RTMP_MODULE).exists():
        return f"the nginx RTMP module is missing at {RTMP_MODULE} (apt-get install libnginx-mod-rtmp)"
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install ffmpeg)"
    return ""


class Stage:
    """A session going on now, with a live room and people in every role."""

    def __init__(self):
        now = timezone.now()
        self.edition = make_edition(title="Streaming edition")
        self.session = make_session(self.edition, title="Keynote", starts_at=now - dt.timedelta(minutes=1),
                                    ends_at=now + dt.timedelta(hours=1), access=Session.Access.REGISTERED)
        self.room = Room.objects.get(session=self.session)
        self.moderator = make_user("Mia Moderator")
        self.session.moderators.add(self.moderator)
        self.speaker = make_user("Sam Speaker")
        self.session.speakers.add(self.speaker)
        self.online = make_user("Olivia Online")
        register(self.online, self.edition, "online")
        self.outsider = make_user("Otto Outsider")
        self.endpoint = services.endpoint_for(self.session)


@pytest.fixture
def stage(transactional_db):
    return Stage()


@dataclass
class Media:
    url: str  # Daphne
    rtmp: str  # rtmp://127.0.0.1:PORT/live
    dirs: dict
    daphne_log: Path
    worker_log: Path
    nginx_dir: Path
    control_url: str  # nginx-rtmp's control module (drops publishers)


@pytest.fixture(scope="module")
def media(server_env, redis_url, tmp_path_factory):
    """nginx-rtmp on loopback ports, and a Daphne and a Celery worker configured for it (their
    own Celery broker database, so no other test's worker takes these tasks)."""
    reason = missing_media_tools()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("media")
    dirs = {name: base / name for name in ("hls", "recordings", "replays", "nginx")}
    for path in dirs.values():
        path.mkdir()
        path.chmod(0o777)  # nginx's worker user writes HLS and recordings
    rtmp_port, http_port = free_port(), free_port()
    broker = redis_url.rsplit("/", 1)[0] + "/7"
    env = {
        **server_env,
        "CONFERENCE_STREAMING_HOOK_SECRET": HOOK_SECRET,
        "CONFERENCE_STREAMING_HLS_DIR": str(dirs["hls"]),
        "CONFERENCE_STREAMING_RECORD_DIR": str(dirs["recordings"]),
        "CONFERENCE_STREAMING_REPLAY_DIR": str(dirs["replays"]),
        "CONFERENCE_STREAMING_GRACE_SECONDS": str(GRACE_SECONDS),
        "CONFERENCE_STREAMING_INGEST_URL": f"rtmp://127.0.0.1:{rtmp_port}/live",
        "CONFERENCE_STREAMING_CONTROL_URL": f"http://127.0.0.1:{http_port}/control",
        "CONFERENCE_CELERY_BROKER_URL": broker,
        "CONFERENCE_CELERY_RESULT_BACKEND": broker,
    }
    daphne_log = base / "daphne.log"
    url, daphne = start_daphne(env, daphne_log)
    worker_log = base / "worker.log"
    worker = start_celery_worker(env, worker_log)
    conf = dirs["nginx"] / "nginx.conf"
    conf.write_text(nginx_rtmp.config(
        rtmp_port=rtmp_port, http_port=http_port, hook_base=url, secret=HOOK_SECRET, hls_dir=str(dirs["hls"]),
        record_dir=str(dirs["recordings"]), work_dir=str(dirs["nginx"]), module=RTMP_MODULE,
        user="root" if os.geteuid() == 0 else ""))
    nginx = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(dirs["nginx"]), "-c", str(conf), "-e", str(dirs["nginx"] / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    try:
        ready = urllib.request.Request(f"http://127.0.0.1:{http_port}/control/drop/publisher?app=live&name=x",
                                       headers={nginx_rtmp.CONTROL_HEADER: HOOK_SECRET})
        wait_for(lambda: urllib.request.urlopen(ready, timeout=2) is not None, "nginx", process=nginx)  # noqa: S310
        yield Media(url, f"rtmp://127.0.0.1:{rtmp_port}/live", dirs, daphne_log, worker_log, dirs["nginx"],
                    f"http://127.0.0.1:{http_port}/control")
    finally:
        for process in (nginx, worker, daphne):
            stop(process)


def publish(rtmp_url: str, *, seconds: int = 60, log_path: Path | None = None,
            flash_at: float | None = None) -> subprocess.Popen:
    """ffmpeg publishing a synthetic test picture and a tone in real time (H.264/AAC in FLV);
    with `flash_at`, the picture turns white that many seconds in (to measure the delay)."""
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    flash = ["-vf", f"drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='gte(t,{flash_at})'"] if flash_at else []
    return subprocess.Popen(  # noqa: S603
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning", "-re",
         "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", str(seconds), *flash, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", rtmp_url],
        stdout=out, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)


def probe(path_or_url: str) -> dict:
    import json

    result = subprocess.run(  # noqa: S603
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,codec_type:format=duration", "-of", "json",
         path_or_url], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)
