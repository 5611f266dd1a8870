"""Reminders end to end with real parts: Celery workers and beat on a real Redis broker,
the test database shared with them, and a real SMTP server receiving the emails.

Timing is checked only as correctness with a generous window: a reminder never arrives
before its due time, and arrives within LATE seconds after it (beat ticks every second
here; the slack covers a loaded CI machine). Lateness is measured in bench/."""

import datetime as dt
import json
import os
import signal
import threading
from zoneinfo import ZoneInfo

import icalendar
import pytest
import redis
from django.utils import timezone

from attendance import services as attendance
from programme import services as programme
from realtime import broadcast, events
from reminders import services
from reminders.models import Announcement, Notification, Reminder
from reminders.tasks import send_reminder
from tests.fixtures.factories import make_organiser
from tests.fixtures.servers import wait_for

from .scenario import attendee, edition_around, follower, session_in, workers_idle

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
LATE = 20.0  # seconds: the tolerance for "on time"


def statuses(**filters) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Reminder.objects.filter(**filters).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def all_sent(count: int, **filters) -> bool:
    return statuses(**filters) == {"sent": count}


def make_due(**filters) -> None:
    """The reminders' time comes (rather than waiting for it): due now."""
    now = timezone.now()
    Reminder.objects.filter(**filters).update(due_at=now, next_attempt_at=now)


def test_a_reminder_arrives_on_time_by_email_and_in_every_tab(processes, mailbox, redis_url):
    processes.worker("timely")
    processes.beat()
    edition = edition_around()
    session = session_in(edition, dt.timedelta(seconds=75), title="Starting very soon")
    user = attendee(edition, "online", email="timely@example.org")
    services.set_preferences(user, mode="custom", offsets="1m", channels=["email", "in_app"])
    tabs = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    tabs.subscribe(broadcast.user_channel(user.pk))  # what every open tab's socket listens to

    attendance.bookmark(user, session)
    due = Reminder.objects.get(user=user, channel="email").due_at
    assert due == session.starts_at - dt.timedelta(minutes=1)

    [received] = mailbox.wait(1, to="timely@example.org", timeout=90)
    lateness = received.at - due.timestamp()
    assert 0 <= lateness < LATE, f"arrived {lateness:.1f} s after its due time"
    assert received.message["Subject"].strip().startswith("“Starting very soon” starts in 1 minute")
    message = wait_for(lambda: tabs.get_message(timeout=0.5), "a push on the user's channel", LATE)
    frame = json.loads(message["data"])
    events.validate(frame)
    assert frame["type"] == "notification" and frame["data"]["unread"] == 1
    assert frame["data"]["title"].startswith("“Starting very soon” starts in 1 minute")
    wait_for(lambda: all_sent(2, user=user), "both reminders marked sent")
    assert Notification.objects.get(user=user).pk == frame["data"]["id"]
    tabs.close()


def test_two_workers_and_racing_dispatchers_send_each_reminder_once(processes, mailbox, broker_client,
                                                                     app_on_test_broker):
    processes.worker("alpha", pool="prefork", concurrency=2)
    processes.worker("beta")
    edition = edition_around()
    session = session_in(edition, dt.timedelta(hours=2))
    people = [follower(session, "online", email=f"racer{n}@example.org") for n in range(40)]
    make_due(kind="reminder")  # 40 emails and 40 in-app notifications due at once
    assert Reminder.objects.count() == 80

    # Dispatchers race: six runs on the workers and a loop in this process, all at once.
    for _ in range(6):
        broker_client.send_task("reminders.dispatch_due")
    stop = threading.Event()

    def dispatch_here():
        while not stop.is_set():
            services.dispatch_due(send_reminder.delay)
        from django.db import connection

        connection.close()

    here = threading.Thread(target=dispatch_here)
    here.start()
    try:
        wait_for(lambda: all_sent(80), "every reminder sent", timeout=120)
    finally:
        stop.set()
        here.join()
    wait_for(lambda: workers_idle(broker_client), "the workers are idle")  # anything sent twice has arrived

    received = mailbox.messages()
    assert sorted(r.rcpt[0] for r in received) == sorted(p.email for p in people)
    assert len({r.message["Message-ID"] for r in received}) == 40
    assert Notification.objects.count() == 40
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_mid_batch_sends_every_reminder_once_and_before_its_session(processes, mailbox,
                                                                                    broker_client):
    """With the production lease: reminders one minute before a session (the shortest lead time
    anyone can choose), a worker SIGKILLed in the middle of the batch, and the reminder it held
    still goes out before the session starts."""
    mailbox.delay = 0.2  # a slow SMTP server: the batch takes a while
    lead = dt.timedelta(minutes=1)
    edition = edition_around()
    session = session_in(edition, lead + dt.timedelta(seconds=5))
    for n in range(30):
        person = attendee(edition, "in_person", email=f"batch{n}@example.org")
        services.set_preferences(person, mode="custom", offsets="1m", channels=["email"])
        attendance.bookmark(person, session)
    due = session.starts_at - lead
    assert set(Reminder.objects.values_list("due_at", flat=True)) == {due}
    victim = processes.worker("victim")
    processes.beat()  # dispatches every second, and hands out rows of lost workers after their lease

    mailbox.wait(5, timeout=60)
    # Killed while it holds a reminder (sending it to the slow SMTP server).
    wait_for(lambda: statuses().get("sending") == 1, "the worker busy sending")
    os.kill(victim.pid, signal.SIGKILL)  # no warm shutdown, no acknowledgement of what it was doing
    victim.wait()
    left = statuses()
    assert left.get("sent", 0) < 30 and left.get("sending", 0) == 1, f"not mid-batch at the kill: {left}"

    processes.worker("rescuer")
    wait_for(lambda: all_sent(30), "every reminder sent after the crash", timeout=120)
    wait_for(lambda: workers_idle(broker_client), "the workers are idle")

    received = mailbox.messages()
    by_id: dict[str, list] = {}
    for r in received:
        by_id.setdefault(r.message["Message-ID"], []).append(r)
    keys = set(Reminder.objects.values_list("idempotency_key", flat=True))
    assert {mid.strip("<>").split("@")[0] for mid in by_id} == keys  # every reminder delivered
    # At most the one message on the wire at the kill is delivered again, and recognisably so.
    assert len(received) - len(by_id) <= 1
    assert all(len({r.rcpt[0] for r in copies}) == 1 for copies in by_id.values())
    # Every reminder arrived before the session started, the one the dead worker held included.
    latest = max(min(r.at for r in copies) for copies in by_id.values())
    assert latest < session.starts_at.timestamp(), f"{latest - session.starts_at.timestamp():.1f} s too late"
    print(f"\nREMINDER CRASH FIGURES: the last reminder arrived {latest - due.timestamp():.1f} s after its due "
          f"time, {session.starts_at.timestamp() - latest:.1f} s before the session started")


def test_moving_then_cancelling_a_session_tells_people_and_sends_no_stale_reminder(processes, mailbox,
                                                                                     broker_client):
    processes.worker("changes")
    processes.beat()
    edition = edition_around()
    organiser = make_organiser(edition)
    session = session_in(edition, dt.timedelta(days=2), title="Regional resilience plenary", location="Main hall")
    online = follower(session, "online", email="remote@example.org", time_zone="Asia/Tokyo")
    follower(session, "in_person", email="onsite@example.org", time_zone="Europe/Prague")
    old_start = session.starts_at

    new_start = old_start + dt.timedelta(hours=3)
    programme.update_session(organiser, session, starts_at=new_start, ends_at=new_start + dt.timedelta(hours=1))
    moved = {r.rcpt[0]: r.message for r in mailbox.wait(2, timeout=60)}
    tokyo = new_start.astimezone(ZoneInfo("Asia/Tokyo"))
    subject = moved["remote@example.org"]["Subject"].strip()
    assert subject.startswith("Time changed: “Regional resilience plenary” now starts")
    assert f"{tokyo:%H:%M} JST" in subject
    text = moved["remote@example.org"].get_body(preferencelist=("plain",)).get_content()
    assert "It was planned for" in text and f"{old_start.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M} JST" in text
    ics = next(p for p in moved["onsite@example.org"].iter_attachments()).get_payload(decode=True)
    assert icalendar.Calendar.from_ical(ics).walk("VEVENT")[0].decoded("dtstart") == new_start
    wait_for(lambda: Notification.objects.filter(kind="session_time_changed").count() == 2, "in-app notices")
    assert Reminder.objects.get(user=online, kind="reminder", minutes_before=1440).due_at == (
        new_start - dt.timedelta(days=1))

    programme.update_session(organiser, session, status="cancelled")
    cancelled = mailbox.wait(4, timeout=60)[2:]
    assert {r.message["Subject"].strip() for r in cancelled} == {
        f"Cancelled: “Regional resilience plenary” ({_local(new_start, 'Asia/Tokyo')})",
        f"Cancelled: “Regional resilience plenary” ({_local(new_start, 'Europe/Prague')})"}
    ics = next(p for p in cancelled[0].message.iter_attachments()).get_payload(decode=True)
    assert str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert set(Reminder.objects.filter(kind="reminder").values_list("status", flat=True)) == {"cancelled"}

    make_due(kind="reminder")  # even if their time came, cancelled reminders stay unsent
    claimed: list[int] = []
    services.dispatch_due(claimed.append)
    assert claimed == []
    wait_for(lambda: workers_idle(broker_client), "the workers are idle")
    assert len(mailbox.messages()) == 4


def _local(moment: dt.datetime, zone: str) -> str:
    from reminders.mail import local

    return local(moment, ZoneInfo(zone))


def test_an_announcement_runs_in_the_background_with_counts(processes, mailbox, app_on_test_broker):
    processes.worker("announcer")
    edition = edition_around()
    organiser = make_organiser(edition)
    online = [attendee(edition, "online", email=f"viewer{n}@example.org") for n in range(5)]
    onsite = attendee(edition, "in_person", email="hall@example.org")
    mailbox.reject.add("viewer3@example.org")

    announcement = services.announce(organiser, edition, "online", "New stream link",
                                     "The stream moved to a new address.")
    wait_for(lambda: Announcement.objects.get(pk=announcement.pk).status == "done", "announcement done",
             timeout=60)
    announcement.refresh_from_db()
    assert (announcement.total, announcement.sent, announcement.failed) == (5, 4, 1)
    assert sorted(r.rcpt[0] for r in mailbox.messages()) == sorted(
        p.email for p in online if p.email != "viewer3@example.org")
    message = mailbox.messages()[0].message
    assert message["Subject"].strip() == f"[{edition.title}] New stream link"
    assert "The stream moved to a new address." in message.get_body(preferencelist=("plain",)).get_content()
    assert Notification.objects.filter(kind="announcement").count() == 5  # in-app reaches everyone
    assert not Notification.objects.filter(user=onsite).exists()
    failed = announcement.recipients.get(status="failed")
    assert failed.user.email == "viewer3@example.org" and "550" in failed.error
