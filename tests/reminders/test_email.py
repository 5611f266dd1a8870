"""Reminder emails through a real SMTP server (aiosmtpd), parsed back with the `email`
module and icalendar: what the recipient reads, in their time zone, with the .ics; what
happens when the server refuses; the one-click unsubscribe link."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from attendance import services as attendance
from reminders import services
from reminders.mail import unsubscribe_token
from reminders.models import Reminder
from tests.fixtures.factories import make_edition, make_session

from .scenario import PRAGUE, edition_around, follower, session_in

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)


def send_due(session, *, at: dt.datetime | None = None, **filters) -> list[str]:
    """Run the dispatcher as of `at` (default: when the 15-minute reminders are due) and send
    what it claims right here, through the SMTP server."""
    outcomes: list[str] = []
    services.dispatch_due(lambda i: outcomes.append(services.send_reminder(i)),
                          now=at or session.starts_at - 14 * MIN)
    return outcomes


def parts(message) -> tuple[str, str, bytes]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    ics = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return text, html, ics.get_payload(decode=True)


def test_online_attendee_gets_text_html_and_ics_in_their_own_zone(smtp_settings, mailbox):
    edition = edition_around()
    session = session_in(edition, 30 * MIN, title="Panel: cross-border cooperation", location="Room 2")
    user = follower(session, "online", time_zone="America/New_York", name="Nora Newyork", email="nora@example.org")

    assert send_due(session) == ["sent", "sent"]  # email and in-app
    [received] = mailbox.wait(1)
    message = received.message
    text, html, ics = parts(message)
    there = session.starts_at.astimezone(ZoneInfo("America/New_York"))
    at_venue = session.starts_at.astimezone(PRAGUE)
    local = f"{there:%A} {there.day} {there:%B %Y, %H:%M} {there.tzname()}"

    assert received.rcpt == ["nora@example.org"]
    assert message["Subject"].strip() == f"“Panel: cross-border cooperation” starts in 15 minutes, {local}"
    assert "Hello Nora Newyork," in text
    assert f"When:    {local} – {session.ends_at.astimezone(ZoneInfo('America/New_York')):%H:%M} " in text
    assert "(your time zone, America/New_York)" in text
    assert f"{at_venue:%H:%M} {at_venue.tzname()} at the venue (Europe/Prague)" in text
    url = f"http://testserver/e/{edition.slug}/s/{session.slug}/"
    assert f"Join online: {url}" in text and "Room 2" not in text
    assert f'<a href="{url}">{url}</a>' in html and local in html
    reminder = Reminder.objects.get(user=user, channel="email")
    assert message["Message-ID"] == f"<{reminder.idempotency_key}@testserver>"

    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["uid"]) == f"session-{session.guid}"
    assert event.decoded("dtstart") == session.starts_at
    assert str(event["location"]) == url

    assert reminder.status == "sent" and reminder.attempts == 1 and reminder.sent_at is not None


def test_in_person_attendee_is_told_the_room(smtp_settings, mailbox):
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=1, minutes=10), location="Main hall")
    follower(session, "in_person", time_zone="", email="otto@example.org")  # no zone: the venue's

    assert send_due(session, at=session.starts_at - dt.timedelta(hours=23, minutes=59)) == ["sent"]
    text, html, ics = parts(mailbox.wait(1)[0].message)
    local = session.starts_at.astimezone(PRAGUE)
    assert f"{local:%H:%M} {local.tzname()} – " in text and "(your time zone, Europe/Prague)" in text
    assert "at the venue" not in text  # same zone: said once
    assert f"Where:   Main hall, {edition.venue_name}, {edition.city}" in text and "Join online" not in text
    assert str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["location"]).startswith("Main hall")


def _next_dst_change(after: dt.date) -> dt.date:
    day = after
    while True:
        day += dt.timedelta(days=1)
        if (dt.datetime.combine(day, dt.time(12), PRAGUE).utcoffset()
                != dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), PRAGUE).utcoffset()):
            return day


def test_daylight_saving_change_between_registration_and_session(smtp_settings, mailbox):
    """Registered today; the session is on the day Prague's clocks next change (e.g. the last
    Sunday of October), at 10:00 local time. The email shows 10:00 with that day's offset,
    not today's, and New York (which changes on another date) gets its own right time."""
    today = timezone.now().astimezone(PRAGUE).date()
    change = _next_dst_change(today)
    edition = make_edition(start_date=change - dt.timedelta(days=1), end_date=change, time_zone="Europe/Prague")
    starts = dt.datetime.combine(change, dt.time(10), PRAGUE)
    session = make_session(edition, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    in_prague = follower(session, "in_person", time_zone="Europe/Prague", email="petra@example.org")
    follower(session, "in_person", time_zone="America/New_York", email="ned@example.org")
    assert timezone.now().astimezone(PRAGUE).utcoffset() != starts.utcoffset()  # the premise of the test

    day_before = Reminder.objects.get(user=in_prague)
    assert day_before.due_at == starts - dt.timedelta(hours=24)  # a duration, not a wall-clock time
    # The day before comes (the row is made due now rather than waiting months):
    Reminder.objects.update(due_at=timezone.now(), next_attempt_at=timezone.now())
    assert send_due(session, at=timezone.now()) == ["sent", "sent"]

    prague_text = parts(mailbox.wait(1, to="petra@example.org")[0].message)[0]
    zone = starts.tzname()  # CET after the autumn change, CEST after the spring one
    assert f"{change.day} {change:%B %Y}, 10:00 {zone} – 11:00 {zone}" in prague_text
    new_york = starts.astimezone(ZoneInfo("America/New_York"))
    ny_text = parts(mailbox.wait(1, to="ned@example.org")[0].message)[0]
    assert f"{new_york:%H:%M} {new_york.tzname()} – " in ny_text
    assert f"10:00 {zone} at the venue (Europe/Prague)" in ny_text


def test_rejected_address_is_recorded_and_not_retried(smtp_settings, mailbox):
    edition = edition_around()
    session = session_in(edition, 30 * MIN)
    follower(session, "online", email="gone@example.org")
    mailbox.reject.add("gone@example.org")

    assert sorted(send_due(session)) == ["failed", "sent"]  # the in-app one still arrives
    failed = Reminder.objects.get(channel="email")
    assert failed.status == "failed" and failed.attempts == 1
    assert "550" in failed.last_error and "gone@example.org" in failed.last_error
    assert send_due(session, at=session.starts_at - 10 * MIN) == []  # never picked up again
    assert mailbox.messages() == []


def test_transient_failures_are_retried_with_backoff_then_given_up(smtp_settings, mailbox, settings):
    settings.REMINDERS_RETRY_BASE_SECONDS, settings.REMINDERS_MAX_ATTEMPTS = 30, 3
    edition = edition_around()
    session = session_in(edition, 60 * MIN)
    user = follower(session, "in_person", email="busy@example.org")
    services.set_preferences(user, mode="custom", offsets="30m", channels=["email"])
    mailbox.defer["busy@example.org"] = 2
    due = session.starts_at - 30 * MIN

    assert send_due(session, at=due) == ["retry"]
    row = Reminder.objects.get()
    assert (row.status, row.attempts) == ("pending", 1) and "451" in row.last_error
    first_retry = row.next_attempt_at
    assert first_retry - timezone.now() > dt.timedelta(seconds=25)  # 30 s backoff, not at once
    assert send_due(session, at=timezone.now()) == []  # not before its retry time
    assert send_due(session, at=first_retry + dt.timedelta(seconds=1)) == ["retry"]
    row.refresh_from_db()
    assert row.next_attempt_at - timezone.now() > dt.timedelta(seconds=55)  # doubled: 60 s
    assert send_due(session, at=row.next_attempt_at + dt.timedelta(seconds=1)) == ["sent"]
    assert len(mailbox.wait(1)) == 1 and Reminder.objects.get().attempts == 3

    mailbox.defer["busy@example.org"] = 10  # now the server never recovers
    Reminder.objects.update(status="pending", attempts=0, next_attempt_at=due)
    outcomes = [send_due(session, at=due) for _ in range(5)]
    assert outcomes[:3] == [["retry"], ["retry"], ["failed"]] and outcomes[3:] == [[], []]
    assert "Gave up after 3 attempts" in Reminder.objects.get().last_error


def test_one_click_unsubscribe_and_a_tampered_link(client, smtp_settings, mailbox):
    edition = edition_around()
    session = session_in(edition, 30 * MIN)
    user = follower(session, "online", email="una@example.org")
    send_due(session)
    text = parts(mailbox.wait(1)[0].message)[0]
    link = re.search(r"Unsubscribe from reminder emails: (\S+)", text).group(1)
    assert mailbox.wait(1)[0].message["List-Unsubscribe"].strip() == f"<{link}>"
    path = link.removeprefix("http://testserver")
    later = session_in(edition, dt.timedelta(days=2))
    attendance.bookmark(user, later)
    assert Reminder.objects.filter(session=later, channel="email").count() == 2

    page = client.get(path)  # what a link scanner does: nothing changes
    assert page.status_code == 200 and b"una@example.org" in page.content
    assert services.preferences_of(user).emails

    done = client.post(path)
    assert done.status_code == 200 and b"receives no more reminder emails" in done.content
    assert not services.preferences_of(user).emails
    assert set(Reminder.objects.filter(session=later, status="pending").values_list("channel", flat=True)) == {
        "in_app"}
    one_click = client.post(path, {"List-Unsubscribe": "One-Click"})  # RFC 8058, from the mail client
    assert one_click.status_code == 200

    token = unsubscribe_token(user)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for response in (client.get(f"/reminders/unsubscribe/{tampered}/"),
                     client.post(f"/reminders/unsubscribe/{tampered}/"),
                     client.post("/reminders/unsubscribe/not-a-token/")):
        assert response.status_code == 400
        assert "This unsubscribe link is damaged or incomplete" in response.content.decode()
