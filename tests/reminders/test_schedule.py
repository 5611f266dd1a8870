"""Which reminders people get, and how they follow agendas, registrations, preferences and
changes to sessions (rows only: sending is tested in test_sending and test_live)."""

import datetime as dt

import pytest
from django.utils import timezone

from attendance import services as attendance
from conference.errors import Forbidden, InvalidInput
from programme import services as programme
from reminders import services
from reminders.mail import unsubscribe_token
from reminders.models import Reminder
from reminders.rules import Rule
from tests.fixtures.factories import make_organiser, make_user

from .scenario import attendee, edition_around, follower, session_in

pytestmark = pytest.mark.django_db
DAY, QUARTER = 1440, 15


def rows(user, session=None, **filters):
    query = Reminder.objects.filter(user=user, **filters)
    if session is not None:
        query = query.filter(session=session)
    return {(r.kind, r.minutes_before, r.channel, r.status) for r in query}


def test_online_attendees_get_a_day_and_a_quarter_before_in_person_only_the_day():
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    online, onsite = follower(session, "online"), follower(session, "in_person")

    assert rows(online, session) == {("reminder", DAY, "email", "pending"), ("reminder", QUARTER, "email", "pending"),
                                     ("reminder", QUARTER, "in_app", "pending")}
    assert rows(onsite, session) == {("reminder", DAY, "email", "pending")}
    day_before = Reminder.objects.get(user=online, minutes_before=DAY)
    assert day_before.due_at == session.starts_at - dt.timedelta(days=1)
    assert day_before.next_attempt_at == day_before.due_at


def test_bookmarking_late_creates_only_the_reminders_still_ahead():
    edition = edition_around()
    session = session_in(edition, dt.timedelta(hours=3))
    user = follower(session)
    assert rows(user, session) == {("reminder", QUARTER, "email", "pending"),
                                   ("reminder", QUARTER, "in_app", "pending")}

    soon = session_in(edition, dt.timedelta(minutes=10))
    attendance.bookmark(user, soon)
    assert rows(user, soon) == set()


def test_registering_after_bookmarking_brings_the_reminders():
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    user = make_user(time_zone="Europe/Lisbon")
    attendance.bookmark(user, session)  # not registered: a registered-only session reminds nobody yet
    assert rows(user) == set()

    attendance.register(user, edition, "in_person")
    assert rows(user, session) == {("reminder", DAY, "email", "pending")}
    attendance.change_mode(user, edition, "online")
    assert ("reminder", QUARTER, "in_app", "pending") in rows(user, session)
    attendance.cancel_registration(user, edition)
    assert rows(user) == set()


def test_removing_a_bookmark_removes_its_unsent_reminders_only():
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session)
    Reminder.objects.filter(user=user, minutes_before=DAY).update(status=Reminder.Status.SENT)

    attendance.remove_bookmark(user, session)
    assert rows(user, session) == {("reminder", DAY, "email", "sent")}


def test_side_event_places_bring_reminders():
    edition = edition_around()
    breakfast = session_in(edition, dt.timedelta(days=2), kind="side_event", capacity=10,
                           attendance_format="in_person")
    user = attendee(edition, "in_person")
    attendance.enrol(user, breakfast)
    assert rows(user, breakfast) == {("reminder", DAY, "email", "pending")}


def test_personal_preferences_replace_the_defaults_or_turn_reminders_off():
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session, "in_person")

    services.set_preferences(user, mode="custom", offsets="2h, 10m", channels=["in_app"])
    assert rows(user, session) == {("reminder", 120, "in_app", "pending"), ("reminder", 10, "in_app", "pending")}
    assert services.preferences_of(user).offsets == [120, 10]

    services.set_preferences(user, mode="off")
    assert rows(user, session) == set()
    services.set_preferences(user, mode="default")
    assert rows(user, session) == {("reminder", DAY, "email", "pending")}


@pytest.mark.parametrize(("offsets", "channels", "field", "message"), [
    ("in 5 minutes", ["email"], "offsets", "“in 5 minutes” is not a reminder time"),
    ("30d", ["email"], "offsets", "at most 14 days"),
    ("15m", ["sms"], "channels", "Unknown channel “sms”"),
    ("15m", [], "channels", "Choose at least one channel"),
])
def test_invalid_preferences_are_refused_and_change_nothing(offsets, channels, field, message):
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session)
    before = rows(user, session)

    with pytest.raises(InvalidInput) as refused:
        services.set_preferences(user, mode="custom", offsets=offsets, channels=channels)
    assert refused.value.field == field and message in refused.value.message
    assert rows(user, session) == before
    assert services.preferences_of(user).mode == "default"
    with pytest.raises(InvalidInput, match="Unknown choice “sometimes”"):
        services.set_preferences(user, mode="sometimes")


def test_organisers_change_edition_defaults_and_future_reminders_follow():
    edition = edition_around()
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session, "in_person")
    organiser = make_organiser(edition)

    with pytest.raises(Forbidden):
        services.set_edition_defaults(user, edition, [Rule(60, ("email",))])
    with pytest.raises(InvalidInput, match="Unknown channel “fax”"):
        services.set_edition_defaults(organiser, edition, [{"minutes": 60, "channels": ["fax"]}])

    services.set_edition_defaults(organiser, edition, [Rule(60, ("email", "in_app"))])
    assert rows(user, session) == {("reminder", 60, "email", "pending"), ("reminder", 60, "in_app", "pending")}
    assert services.edition_defaults(edition) == [Rule(60, ("email", "in_app"))]


def test_moving_a_session_reschedules_unsent_reminders_and_tells_people():
    edition = edition_around()
    organiser = make_organiser(edition)
    session = session_in(edition, dt.timedelta(days=1, hours=2))
    online = follower(session, "online")
    unsubscribed = follower(session, "online")
    services.unsubscribe(unsubscribe_token(unsubscribed))
    sent = Reminder.objects.get(user=online, minutes_before=DAY)
    Reminder.objects.filter(pk=sent.pk).update(status=Reminder.Status.SENT, sent_at=timezone.now())
    old_start = session.starts_at

    later = old_start + dt.timedelta(hours=3)
    programme.update_session(organiser, session, starts_at=later, ends_at=later + dt.timedelta(hours=1))

    quarter = Reminder.objects.get(user=online, minutes_before=QUARTER, channel="email")
    assert quarter.status == "pending" and quarter.due_at == later - dt.timedelta(minutes=15)
    resent = Reminder.objects.get(pk=sent.pk)  # its new time is still ahead: it is sent again, as a new delivery
    assert (resent.status, resent.due_at) == ("pending", later - dt.timedelta(days=1))
    assert resent.idempotency_key != sent.idempotency_key
    notices = Reminder.objects.filter(kind="time_changed")
    assert {(n.user_id, n.channel) for n in notices} == {
        (online.pk, "email"), (online.pk, "in_app"), (unsubscribed.pk, "in_app")}
    assert all(n.previous_starts_at == old_start and n.due_at <= timezone.now() for n in notices)


def test_moving_a_session_earlier_skips_reminders_whose_time_has_passed():
    edition = edition_around()
    organiser = make_organiser(edition)
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session, "in_person")
    sooner = timezone.now().replace(microsecond=0) + dt.timedelta(hours=5)

    programme.update_session(organiser, session, starts_at=sooner, ends_at=sooner + dt.timedelta(hours=1))
    day_before = Reminder.objects.get(user=user, kind="reminder")
    assert day_before.status == "skipped" and "time had passed" in day_before.last_error


def test_cancelling_cancels_reminders_and_notifies_and_restoring_brings_them_back():
    edition = edition_around()
    organiser = make_organiser(edition)
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session, "online")

    programme.update_session(organiser, session, status="cancelled")
    assert {r[3] for r in rows(user, session, kind="reminder")} == {"cancelled"}
    assert rows(user, session, kind="cancelled") == {("cancelled", None, "email", "pending"),
                                                     ("cancelled", None, "in_app", "pending")}

    programme.update_session(organiser, session, status="scheduled")
    assert {r[3] for r in rows(user, session, kind="reminder")} == {"pending"}
    assert rows(user, session, kind="time_changed") == {("time_changed", None, "email", "pending"),
                                                        ("time_changed", None, "in_app", "pending")}


def test_retitling_a_session_changes_no_reminder():
    edition = edition_around()
    organiser = make_organiser(edition)
    session = session_in(edition, dt.timedelta(days=2))
    user = follower(session)
    keys = set(Reminder.objects.values_list("idempotency_key", flat=True))

    programme.update_session(organiser, session, title="A better title")
    assert set(Reminder.objects.values_list("idempotency_key", flat=True)) == keys
    assert not Reminder.objects.exclude(kind="reminder").exists()
    assert rows(user)
