"""How late are reminders when 1,000 come due at once? Prints JSON.

Real parts, as in `make run`: a private redis-server, a Celery worker (prefork, 2
processes) and Celery beat (dispatcher every 5 s) as subprocesses, a real SMTP server
(aiosmtpd) in this process that timestamps what it accepts, and a fresh SQLite database
(or DATABASE_URL). Lateness = time the SMTP server accepted the email - due time.

    .venv/bin/python bench/reminders_lateness.py [--count 1000] [--channel email|in_app]
        [--concurrency 2] [--interval 5]
"""

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


class Inbox:
    def __init__(self):
        self.times: dict[str, float] = {}
        self.received = 0  # more than len(times) would mean a reminder emailed twice
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        match = re.search(rb"^Message-ID: <([0-9a-f]+)@", envelope.content, re.MULTILINE | re.IGNORECASE)
        with self.lock:
            self.received += 1
            if match:
                self.times.setdefault(match.group(1).decode(), time.time())
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--channel", choices=["email", "in_app"], default="email")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--interval", type=float, default=5.0, help="beat's dispatcher interval (seconds)")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    from bench.stats import percentile
    from devtools import localredis
    from tests.fixtures.servers import free_port, stop, wait_for

    tmp = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    redis_port, inbox = free_port(), Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "CONFERENCE_SECRET_KEY": "bench-secret-key",
        "CONFERENCE_DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"),
        "CONFERENCE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CONFERENCE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "CONFERENCE_EMAIL_HOST": "127.0.0.1",
        "CONFERENCE_EMAIL_PORT": str(smtp.port),
        "CONFERENCE_REMINDERS_DISPATCH_INTERVAL": str(args.interval),
        "CONFERENCE_LOG_LEVEL": "WARNING",
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith(("CONFERENCE_", "DJANGO_"))})
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # a thousand "sent" lines are not the result
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    redis_process = localredis.start(redis_port, tmp / "redis", log_file=subprocess.DEVNULL)
    processes = [redis_process]
    try:
        _data(args.count, args.channel)
        worker_log, beat_log = tmp / "worker.log", tmp / "beat.log"
        with open(worker_log, "wb") as out:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "conference", "worker", "--pool=prefork",
                 f"--concurrency={args.concurrency}", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
                cwd=ROOT, env={**env, "CONFERENCE_LOG_LEVEL": "INFO"}, stdout=out, stderr=subprocess.STDOUT))
        wait_for(lambda: b"ready." in worker_log.read_bytes(), "worker", timeout=60)
        from reminders.models import Reminder

        due = timezone.now() + dt.timedelta(seconds=8)  # all at once, a little after beat is up
        Reminder.objects.update(due_at=due, next_attempt_at=due)
        with open(beat_log, "wb") as out:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "conference", "beat", "--loglevel=INFO",
                 "--schedule", str(tmp / "beat-schedule")],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        start_wait = time.time()
        wait_for(lambda: Reminder.objects.filter(status="sent").count() == args.count, "all sent",
                 timeout=600 + max(0.0, due.timestamp() - start_wait))
        if args.channel == "email":
            wait_for(lambda: len(inbox.times) == args.count, "all emails received", timeout=60)
            arrived = list(inbox.times.values())
        else:
            arrived = [r.timestamp() for r in Reminder.objects.values_list("sent_at", flat=True)]
        lateness = [t - due.timestamp() for t in arrived]
        runs = [
            {"claimed": int(m[1]), "seconds": float(m[2])}
            for m in re.finditer(rb"dispatch_due claimed=(\d+) skipped=\d+ recovered=\d+ seconds=([\d.]+)",
                                 worker_log.read_bytes())
        ]
        print(json.dumps({
            "reminders": args.count,
            "channel": args.channel,
            "database": django.db.connection.vendor,
            "worker": f"prefork x{args.concurrency}",
            "beat_interval_s": args.interval,
            "dispatcher_runs": runs,
            "dispatcher_seconds_total": round(sum(r["seconds"] for r in runs), 3),
            "lateness_s": {"min": round(min(lateness), 2), "p50": round(statistics.median(lateness), 2),
                           "p99": round(percentile(lateness, 99), 2), "max": round(max(lateness), 2)},
            "sent_per_second": round(args.count / (max(arrived) - min(arrived)), 1) if len(arrived) > 1 else None,
            "early": sum(1 for v in lateness if v < 0),
            "duplicates": inbox.received - len(inbox.times),
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }, indent=2))
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                stop(process)
        smtp.stop()


def _data(count: int, channel: str) -> None:
    """`count` people, each with one reminder about the same session (1 hour before it).
    People are bulk-created; their preferences and bookmarks go through the services."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from attendance import services as attendance
    from attendance.models import Registration
    from people.models import Profile
    from programme.models import Edition, Series, Session
    from reminders import services as reminders
    from reminders.models import Reminder

    now = timezone.now()
    series = Series.objects.create(name="Bench", slug="bench")
    edition = Edition.objects.create(series=series, number=1, year=now.year, slug="bench", title="Bench",
                                     format="hybrid", time_zone="Europe/Prague",
                                     start_date=(now - dt.timedelta(days=1)).date(),
                                     end_date=(now + dt.timedelta(days=2)).date(), status="open")
    session = Session.objects.create(edition=edition, slug="s", title="Bench session", starts_at=now + dt.timedelta(
        hours=2), ends_at=now + dt.timedelta(hours=3), attendance_format="online")
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"b{n}@example.org", email=f"b{n}@example.org") for n in range(count)])
    Profile.objects.bulk_create([Profile(user=u, name=u.email, time_zone="Europe/Lisbon") for u in users])
    Registration.objects.bulk_create([Registration(user=u, edition=edition, mode="online") for u in users])
    for user in users:
        reminders.set_preferences(user, mode="custom", offsets="1h", channels=[channel])
        attendance.bookmark(user, session)
    assert Reminder.objects.count() == count


if __name__ == "__main__":
    main()
