"""Real parts for reminder tests: Celery workers and beat that send through the suite's SMTP
server (tests.fixtures.mail).

The workers here use their own Redis database as broker (…/1), so the suite-wide
`celery_worker` never picks up a reminder task."""

import subprocess
from pathlib import Path

import pytest

from tests.fixtures.servers import BIN, ROOT, die_with_parent, start_celery_worker, stop, wait_for


@pytest.fixture(scope="session")
def reminders_env(server_env, smtp_server, redis_url):
    broker = redis_url.rsplit("/", 1)[0] + "/1"
    return {
        **server_env,
        "CONFERENCE_CELERY_BROKER_URL": broker,
        "CONFERENCE_CELERY_RESULT_BACKEND": broker,
        "CONFERENCE_SITE_URL": "http://testserver",
        # Short enough for a test to see a retry and a beat tick. The lease is the production
        # default: the crash test proves it recovers a dead worker's reminder in time.
        "CONFERENCE_REMINDERS_RETRY_BASE_SECONDS": "1",
        "CONFERENCE_REMINDERS_DISPATCH_INTERVAL": "1",
    }


class Processes:
    """Celery workers and beat started by a test, each with its own log."""

    def __init__(self, env: dict, tmp: Path):
        self.env, self.tmp, self.started = env, tmp, []

    def worker(self, name: str, *, pool: str = "solo", concurrency: int = 1) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        process = start_celery_worker(self.env, log, f"--pool={pool}", f"--concurrency={concurrency}",
                                      "--without-heartbeat", "-n", f"{name}@%h")
        self.started.append(process)
        process.log = log  # type: ignore[attr-defined]
        return process

    def beat(self) -> subprocess.Popen:
        log = self.tmp / "beat.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "conference", "beat", "--loglevel=INFO",
                 "--schedule", str(self.tmp / "beat-schedule")],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=die_with_parent,
            )
        self.started.append(process)
        wait_for(lambda: b"beat: Starting" in log.read_bytes(), "celery beat", timeout=60, process=process)
        process.log = log  # type: ignore[attr-defined]
        return process

    def stop_all(self):
        for process in reversed(self.started):
            if process.poll() is None:
                stop(process)


@pytest.fixture
def processes(reminders_env, tmp_path):
    started = Processes(reminders_env, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def broker_client(reminders_env):
    """A Celery client on the reminder workers' broker, to trigger tasks by name."""
    from celery import Celery

    app = Celery(broker=reminders_env["CONFERENCE_CELERY_BROKER_URL"],
                 backend=reminders_env["CONFERENCE_CELERY_RESULT_BACKEND"])
    yield app
    app.close()


@pytest.fixture
def app_on_test_broker(reminders_env, settings):
    """Point the platform's own Celery app (used by services in this process, e.g. to queue
    an announcement) at the test broker for one test."""
    from conference.celery import app

    before = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = reminders_env["CONFERENCE_CELERY_BROKER_URL"]
    app.conf.result_backend = reminders_env["CONFERENCE_CELERY_RESULT_BACKEND"]
    app._pool = None  # connection pools are made from the URL on first use
    app.amqp._producer_pool = None
    yield app
    app.conf.broker_url, app.conf.result_backend = before
    app._pool = None
    app.amqp._producer_pool = None
