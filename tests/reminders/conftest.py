"""Real parts for reminder tests: an SMTP server (aiosmtpd) that stores what it receives and
can refuse addresses, and Celery workers and beat that send through it.

The workers here use their own Redis database as broker (…/1), so the suite-wide
`celery_worker` (which has no SMTP settings) never picks up a reminder task."""

import asyncio
import email
import email.policy
import logging
import subprocess
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.fixtures.servers import BIN, ROOT, die_with_parent, free_port, start_celery_worker, stop, wait_for

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


@dataclass
class Received:
    at: float  # time.time() when the server accepted the message
    rcpt: list[str]
    message: EmailMessage


class Mailbox:
    """aiosmtpd handler: keeps every accepted message; `reject` addresses get a permanent
    550, `defer[address] = n` answers 451 (try later) n times; `delay` slows DATA down."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.received: list[Received] = []
            self.reject: set[str] = set()
            self.defer: dict[str, int] = {}
            self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        with self.lock:
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(time.time(), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def messages(self, to: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if to is None or to in r.rcpt]

    def wait(self, count: int, *, to: str | None = None, timeout: float = 30.0) -> list[Received]:
        wait_for(lambda: len(self.messages(to)) >= count, f"{count} message(s) to {to or 'anyone'}", timeout)
        return self.messages(to)


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a free port (runs in a thread of the test process)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    smtp_server.handler.reset()
    yield smtp_server.handler
    smtp_server.handler.reset()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Make the test process itself send through the real SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    return settings


@pytest.fixture(scope="session")
def reminders_env(server_env, smtp_server, redis_url):
    broker = redis_url.rsplit("/", 1)[0] + "/1"
    return {
        **server_env,
        "CONFERENCE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "CONFERENCE_EMAIL_HOST": "127.0.0.1",
        "CONFERENCE_EMAIL_PORT": str(smtp_server.port),
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
