"""The dispatcher and the send step, run in this process with a chosen `now` (the worker
runs the very same functions: see test_live for them on a real worker and broker)."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as outbox
from django.utils import timezone

from programme.models import Session
from reminders import services
from reminders.models import Notification, Reminder
from tests.fixtures.servers import wait_for

from .scenario import edition_around, follower, session_in

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)


def ids(session, **filters) -> set[int]:
    return set(Reminder.objects.filter(session=session, **filters).values_list("id", flat=True))


def test_catching_up_after_downtime_sends_what_is_still_useful_and_skips_the_rest():
    edition = edition_around()
    started = session_in(edition, 20 * MIN)  # its 15-minute reminders come due in 5 minutes
    ahead = session_in(edition, 40 * MIN)  # due in 25 minutes
    called_off = session_in(edition, 35 * MIN)  # due in 20 minutes
    for session in (started, ahead, called_off):
        follower(session)
    Session.objects.filter(pk=called_off.pk).update(status="cancelled")  # even behind the services' back
    queued: list[int] = []

    # Beat was down for half an hour: the first run after it looks at everything overdue.
    result = services.dispatch_due(queued.append, now=timezone.now() + 30 * MIN)

    assert set(queued) == ids(ahead) and len(queued) == 2
    assert (result.claimed, result.skipped) == (2, 4)
    assert set(Reminder.objects.filter(session__in=[started, called_off]).values_list("status", flat=True)) == {
        "skipped"}
    assert set(Reminder.objects.filter(session=ahead).values_list("status", flat=True)) == {"queued"}


def test_nothing_is_claimed_before_it_is_due_or_twice():
    edition = edition_around()
    session = session_in(edition, 30 * MIN)
    follower(session)
    first: list[int] = []
    second: list[int] = []

    services.dispatch_due(first.append, now=timezone.now())
    assert first == []  # due in 15 minutes
    services.dispatch_due(first.append, now=session.starts_at - 14 * MIN)
    services.dispatch_due(second.append, now=session.starts_at - 14 * MIN)
    assert set(first) == ids(session) and second == []


def test_a_row_whose_worker_was_lost_is_handed_out_again_after_its_lease(settings):
    settings.REMINDERS_LEASE_SECONDS = 60
    edition = edition_around()
    session = session_in(edition, 30 * MIN)
    follower(session)
    due = session.starts_at - 15 * MIN
    lost: list[int] = []
    again: list[int] = []

    services.dispatch_due(lost.append, now=due)  # the messages never reach a worker
    services.dispatch_due(again.append, now=due + dt.timedelta(seconds=59))
    assert again == []  # still within the lease: a worker may be on it
    result = services.dispatch_due(again.append, now=due + dt.timedelta(seconds=61))
    assert result.recovered == 2 and sorted(again) == sorted(lost)

    outcomes = [services.send_reminder(i, now=due + 2 * MIN) for i in again]
    late = [services.send_reminder(i, now=due + 2 * MIN) for i in lost]  # the lost messages turn up after all
    assert outcomes == ["sent", "sent"] and late == ["not_queued", "not_queued"]
    assert len(outbox.outbox) == 1 and Notification.objects.count() == 1


def test_sending_twice_delivers_once_and_a_started_session_gets_nothing():
    edition = edition_around()
    session = session_in(edition, 30 * MIN)
    user = follower(session)
    queued: list[int] = []
    services.dispatch_due(queued.append, now=session.starts_at - 14 * MIN)
    in_app = Reminder.objects.get(user=user, channel="in_app")
    email = Reminder.objects.get(user=user, channel="email")

    assert services.send_reminder(in_app.pk) == "sent"
    assert services.send_reminder(in_app.pk) == "not_queued"
    assert Notification.objects.filter(user=user).count() == 1
    # The worker picks the email up only when the session has begun (a long queue):
    assert services.send_reminder(email.pk, now=session.starts_at + MIN) == "skipped"
    email.refresh_from_db()
    assert email.status == "skipped" and "already started" in email.last_error
    assert outbox.outbox == []


def test_an_in_app_reminder_says_what_starts_when_in_the_persons_zone():
    edition = edition_around()
    session = session_in(edition, 30 * MIN, title="Clusters and the twin transition")
    user = follower(session, time_zone="America/New_York")
    services.dispatch_due(services.send_reminder, now=session.starts_at - 14 * MIN)

    notification = Notification.objects.get(user=user)
    there = session.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert notification.kind == "reminder"
    assert notification.title.startswith("“Clusters and the twin transition” starts in 15 minutes")
    assert f"{there:%H:%M} {there.tzname()}" in notification.title  # EST or EDT, as on that day
    assert notification.url == f"/e/{edition.slug}/s/{session.slug}/"
    assert notification.read_at is None


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_keeps_its_claim_however_slow_its_mail_server(settings, smtp_settings, mailbox):
    """The lease is short, but the sending worker renews it: a dispatcher run after the first
    lease ran out does not hand the row out again while the email is still on its way."""
    settings.REMINDERS_LEASE_SECONDS = 3
    mailbox.delay = 5  # the SMTP server takes longer than a whole lease to accept the message
    edition = edition_around()
    session = session_in(edition, 30 * MIN)
    user = follower(session)
    queued: list[int] = []
    services.dispatch_due(queued.append, now=session.starts_at - 14 * MIN)
    reminder_id = Reminder.objects.get(user=user, channel="email").pk
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(services.send_reminder(reminder_id)))
    worker.start()
    try:
        wait_for(lambda: Reminder.objects.get(pk=reminder_id).status == "sending", "the worker's claim")
        first_lease_end = Reminder.objects.get(pk=reminder_id).locked_until
        wait_for(lambda: timezone.now() > first_lease_end + dt.timedelta(seconds=0.5), "the first lease to run out")
        assert services.dispatch_due(queued.append).recovered == 0  # still held: the heartbeat renewed it
        assert Reminder.objects.get(pk=reminder_id).locked_until > first_lease_end
    finally:
        worker.join()
    assert outcome == ["sent"] and len(mailbox.messages()) == 1
    assert Reminder.objects.get(pk=reminder_id).attempts == 1


def test_the_settings_are_checked_against_the_shortest_lead_time(settings):
    from reminders.checks import lease_shorter_than_the_lead_time

    assert lease_shorter_than_the_lead_time(None) == []  # the defaults
    settings.REMINDERS_LEASE_SECONDS = 600
    [warning] = lease_shorter_than_the_lead_time(None)
    assert warning.id == "reminders.W001" and "after its session began" in warning.msg
