"""The reminder settings page, and the organiser area: monitoring, edition defaults,
announcements."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission

from reminders.models import Announcement, EditionReminderSettings, Reminder
from tests.fixtures.factories import PASSWORD, make_organiser, make_user, register

from .scenario import edition_around, follower, session_in

pytestmark = pytest.mark.django_db


def test_people_choose_their_reminders_and_see_clear_errors(client):
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2), title="Skills panel")
    user = follower(session, "online")
    client.login(username=user.username, password=PASSWORD)

    page = client.get("/reminders/").content.decode()
    assert re.search(r'<input [^>]*value="default"[^>]* checked>', page)  # the organisers' defaults apply
    assert "Skills panel" in page  # the coming reminders

    bad = client.post("/reminders/", {"mode": "custom", "offsets": "tomorrow", "channels": ["email"]})
    assert bad.status_code == 400 and "“tomorrow” is not a reminder time" in bad.content.decode()
    unknown = client.post("/reminders/", {"mode": "custom", "offsets": "1h", "channels": ["email", "sms"]})
    assert unknown.status_code == 400 and "Unknown channel “sms”" in unknown.content.decode()
    assert Reminder.objects.filter(user=user).count() == 3  # nothing changed

    saved = client.post("/reminders/", {"mode": "custom", "offsets": "1h, 10m", "channels": ["in_app"]}, follow=True)
    assert "Your reminder settings are saved." in saved.content.decode()
    assert set(Reminder.objects.filter(user=user).values_list("minutes_before", "channel")) == {
        (60, "in_app"), (10, "in_app")}
    assert client.post("/reminders/", {"mode": "off"}).status_code == 302
    assert not Reminder.objects.filter(user=user).exists()


def _staff_organiser(edition):
    organiser = make_organiser(edition)
    organiser.is_staff = True
    organiser.save()
    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="reminders"))
    return organiser


def test_organisers_monitor_reminders_by_status(client):
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2), title="Monitored session")
    follower(session, "online")
    Reminder.objects.filter(channel="in_app").update(status="failed", last_error="550 no such user")
    client.login(username=_staff_organiser(edition).username, password=PASSWORD)

    listing = client.get("/admin/reminders/reminder/").content.decode()
    assert "pending 2" in listing and "failed 1" in listing and "sent 0" in listing
    failed = client.get("/admin/reminders/reminder/?status__exact=failed").content.decode()
    assert "550 no such user" in failed and "1 reminder" in failed


def test_organisers_change_edition_defaults_in_the_admin(client):
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session, "in_person")
    client.login(username=_staff_organiser(edition).username, password=PASSWORD)

    bad = client.post("/admin/reminders/editionremindersettings/add/",
                      {"edition": edition.pk, "rules_text": "1d email\n2h carrier-pigeon"})
    assert bad.status_code == 200 and "Line 2: Unknown channel “carrier-pigeon”" in bad.content.decode()
    client.post("/admin/reminders/editionremindersettings/add/",
                {"edition": edition.pk, "rules_text": "2h email,in_app"})
    assert EditionReminderSettings.objects.get(edition=edition).rules == [
        {"minutes": 120, "channels": ["email", "in_app"], "online_only": False}]
    assert set(Reminder.objects.filter(user=user).values_list("minutes_before", "channel")) == {
        (120, "email"), (120, "in_app")}


def test_announcements_from_the_admin_check_who_sends(client, monkeypatch, django_capture_on_commit_callbacks):
    queued: list[int] = []
    monkeypatch.setattr("reminders.announcements.enqueue", queued.append)  # the job itself: test_live
    edition = edition_around()
    for mode in ("online", "online", "in_person"):
        register(make_user(), edition, mode)
    client.login(username=_staff_organiser(edition).username, password=PASSWORD)

    with_ = {"edition": edition.pk, "audience": "online", "subject": "Stream link changed", "body": "New link."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/reminders/announcement/add/", with_, follow=True)
    assert "Sending to 2 registrant(s) in the background" in response.content.decode()
    announcement = Announcement.objects.get()
    assert (announcement.total, announcement.status, queued) == (2, "queued", [announcement.pk])
    assert "0 of 2 (0 %)" in client.get("/admin/reminders/announcement/").content.decode()

    stranger = make_user()
    stranger.is_staff = True
    stranger.save()
    stranger.user_permissions.add(*Permission.objects.filter(content_type__app_label="reminders"))
    client.login(username=stranger.username, password=PASSWORD)
    refused = client.post("/admin/reminders/announcement/add/", with_)
    assert "Only organisers of this edition can send announcements." in refused.content.decode()
    assert Announcement.objects.count() == 1


def test_moving_a_session_in_the_admin_reschedules_and_notifies(client):
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2), title="Moved in the admin", location="Room 7")
    user = follower(session, "in_person")
    organiser = _staff_organiser(edition)
    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="programme"))
    client.login(username=organiser.username, password=PASSWORD)
    form = client.get(f"/admin/programme/session/{session.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name not in {
        "speakers", "moderators", "invitees", "starts_at", "ends_at", "edition"}}
    new_start = session.starts_at + dt.timedelta(hours=2)  # shown and typed in UTC (no zone in the profile)
    new_end = new_start + dt.timedelta(hours=1)
    data.update(edition=edition.pk, starts_at_0=f"{new_start:%Y-%m-%d}", starts_at_1=f"{new_start:%H:%M:%S}",
                ends_at_0=f"{new_end:%Y-%m-%d}", ends_at_1=f"{new_end:%H:%M:%S}")

    response = client.post(f"/admin/programme/session/{session.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Reminder.objects.get(user=user, kind="reminder").due_at == new_start - dt.timedelta(days=1)
    assert set(Reminder.objects.filter(user=user, kind="time_changed").values_list("channel", flat=True)) == {
        "email", "in_app"}
