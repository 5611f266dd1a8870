"""Organiser tools: settings, slots with breaks, phases with expiry at booking close (also by the
Celery task), locking and final agendas, the dashboard's counts and no-show statistics."""

import datetime as dt

import pytest
from celery import Celery
from django.utils import timezone

from conference.errors import Conflict, Forbidden, InvalidInput
from matchmaking import organiser as organising
from matchmaking import queries, services, tasks
from matchmaking.availability import parse_breaks
from matchmaking.models import MatchmakingEvent, MeetingRequest
from programme.models import Session
from reminders.models import Notification
from tests.fixtures.factories import at, make_edition, make_organiser, make_session
from tests.fixtures.servers import wait_for

from .conftest import join, make_event

Status = MeetingRequest.Status
Phase = MatchmakingEvent.Phase


@pytest.mark.django_db
def test_slots_around_a_coffee_break_in_venue_time(edition, organiser):
    event = make_event(edition, organiser, start=9, end=12,
                       breaks=parse_breaks("10:30-11:00 Coffee break\n"))
    local = [(s.starts_at.astimezone(edition.tz).strftime("%H:%M"), s.kind, s.label) for s in event.slots.all()]
    assert local == [("09:00", "meeting", ""), ("09:30", "meeting", ""), ("10:00", "meeting", ""),
                     ("10:30", "break", "Coffee break"), ("11:00", "meeting", ""), ("11:30", "meeting", "")]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["coffee at ten", "11:00-10:30 Backwards", "25:00-26:00 Never"])
def test_unreadable_breaks_are_refused(text):
    with pytest.raises(InvalidInput) as error:
        parse_breaks(text)
    assert error.value.field == "breaks"


@pytest.mark.django_db
def test_slots_in_use_cannot_be_replaced(event, organiser, anna, ben):
    services.request_meeting(anna.user, event, ben.pk)
    with pytest.raises(Conflict) as error:
        organising.generate_slots(organiser, event)
    assert error.value.code == "slots_in_use"
    assert event.slots.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "field"), [
    ("https://meet.jit.si/{event}", "video_link_template"),  # no {meeting}: everyone in one room
    ("http://meet.example/{meeting}", "video_link_template"),
    ("https://meet.jit.si/{meeting}/{secret}", "video_link_template"),
])
def test_video_link_template_is_checked(event, organiser, template, field):
    with pytest.raises(InvalidInput) as error:
        organising.configure_event(organiser, event.session, video_link_template=template)
    assert error.value.field == field


@pytest.mark.django_db
def test_only_organisers_set_up_matchmaking_and_only_on_matchmaking_sessions(edition, organiser, attendee):
    session = make_session(edition, kind=Session.Kind.MATCHMAKING)
    with pytest.raises(Forbidden):
        organising.configure_event(attendee, session, tables=10)
    panel = make_session(edition, kind=Session.Kind.PANEL, starts_at=at(edition, 1, 9), ends_at=at(edition, 1, 10))
    with pytest.raises(InvalidInput):
        organising.configure_event(organiser, panel)
    assert not MatchmakingEvent.objects.exists()


@pytest.mark.django_db
def test_closing_booking_expires_pending_requests_and_frees_their_slots(event, organiser, anna, ben):
    cleo = join(event, "Cleo")
    pending = services.request_meeting(anna.user, event, ben.pk)
    meeting = services.accept(anna.user, event, services.request_meeting(cleo.user, event, anna.pk).pk)

    organising.set_phase(organiser, event, Phase.BOOKING_CLOSED)
    pending.refresh_from_db()
    meeting.refresh_from_db()
    assert pending.status == Status.EXPIRED and not pending.seats.exists()
    assert meeting.status == Status.SCHEDULED and meeting.seats.count() == 2


@pytest.mark.django_db
def test_deadline_passing_expires_requests_once(event, organiser, anna, ben):
    request = services.request_meeting(anna.user, event, ben.pk)
    MatchmakingEvent.objects.filter(pk=event.pk).update(booking_closes_at=timezone.now() - dt.timedelta(minutes=1))

    assert tasks.expire_requests(event.pk) == 1
    assert tasks.expire_requests(event.pk) == 0  # idempotent
    request.refresh_from_db()
    assert request.status == Status.EXPIRED
    for person in (anna, ben):  # told once each
        assert Notification.objects.filter(user=person.user, kind="matchmaking.request_expired").count() == 1
    assert MatchmakingEvent.objects.get(pk=event.pk).phase == Phase.BOOKING_CLOSED


@pytest.mark.django_db
def test_expiry_task_changes_nothing_before_the_deadline(event, anna, ben):
    MatchmakingEvent.objects.filter(pk=event.pk).update(booking_closes_at=timezone.now() + dt.timedelta(days=1))
    request = services.request_meeting(anna.user, event, ben.pk)
    assert tasks.expire_requests(event.pk) == 0
    request.refresh_from_db()
    assert request.status == Status.PENDING


@pytest.mark.live
def test_beat_job_on_a_real_worker_closes_booking_at_the_deadline(transactional_db, celery_worker, redis_url):
    edition = make_edition()
    event = make_event(edition, make_organiser(edition))
    anna, ben = join(event, "Anna"), join(event, "Ben")
    request = services.request_meeting(anna.user, event, ben.pk)
    MatchmakingEvent.objects.filter(pk=event.pk).update(booking_closes_at=timezone.now() - dt.timedelta(seconds=1))
    app = Celery(broker=redis_url, backend=redis_url)

    assert app.send_task("matchmaking.close_due_bookings").get(timeout=30) == [event.pk]
    wait_for(lambda: MeetingRequest.objects.get(pk=request.pk).status == Status.EXPIRED, "expiry on the worker")
    assert app.send_task("matchmaking.expire_requests", args=[event.pk]).get(timeout=30) == 0
    assert MatchmakingEvent.objects.get(pk=event.pk).phase == Phase.BOOKING_CLOSED


@pytest.mark.django_db
def test_phases_go_in_order_and_booking_needs_slots(edition, organiser):
    session = make_session(edition, kind=Session.Kind.MATCHMAKING)
    event = organising.configure_event(organiser, session)
    with pytest.raises(Conflict) as error:
        organising.set_phase(organiser, event, Phase.BOOKING_OPEN)
    assert error.value.code == "no_slots"
    with pytest.raises(Conflict) as error:
        organising.set_phase(organiser, event, Phase.FINAL)
    assert error.value.code == "bad_phase"
    organising.generate_slots(organiser, event)
    assert organising.set_phase(organiser, event, Phase.BOOKING_OPEN).phase == Phase.BOOKING_OPEN


@pytest.mark.django_db
def test_publishing_final_agendas_locks_meetings(event, organiser, anna, ben):
    meeting = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    event = organising.publish_agendas(organiser, event)

    meeting.refresh_from_db()
    assert event.phase == Phase.FINAL and meeting.locked
    with pytest.raises(Forbidden):
        services.cancel(anna.user, event, meeting.pk)
    with pytest.raises(Conflict):
        organising.schedule_accepted(organiser, event)
    with pytest.raises(Forbidden):
        organising.set_phase(anna.user, event, Phase.BOOKING_CLOSED)


@pytest.mark.django_db
def test_dashboard_counts_on_site_and_online(event, organiser, anna, ben, otto):
    cleo, dan = join(event, "Cleo"), join(event, "Dan", mode="online")
    services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)  # on site
    services.accept(anna.user, event, services.request_meeting(otto.user, event, anna.pk).pk)  # mixed: online
    services.decline(cleo.user, event, services.request_meeting(dan.user, event, cleo.pk).pk)  # mixed
    services.cancel(cleo.user, event, services.request_meeting(cleo.user, event, ben.pk).pk)  # on site
    services.request_meeting(dan.user, event, otto.pk)  # online, pending

    counts = queries.dashboard(organiser, event)
    rows = {row.label: (row.on_site, row.online) for row in counts.requests}
    assert (counts.participants.on_site, counts.participants.online) == (3, 2)
    assert rows["Requested (all)"] == (2, 3)
    assert rows["Scheduled"] == (1, 1)
    assert rows["Declined"] == (0, 1)
    assert rows["Cancelled"] == (1, 0)
    assert rows["Waiting for an answer"] == (0, 1)
    with pytest.raises(Forbidden):
        queries.dashboard(anna.user, event)


@pytest.mark.django_db
def test_did_this_meeting_happen_gives_no_show_statistics():
    past = make_edition(start_date=dt.date(2022, 9, 26), end_date=dt.date(2022, 9, 27))
    event = make_event(past, make_organiser(past))
    anna, ben, cleo = join(event, "Anna"), join(event, "Ben"), join(event, "Cleo")
    held = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    missed = services.accept(cleo.user, event, services.request_meeting(anna.user, event, cleo.pk).pk)

    services.record_feedback(anna.user, event, held.pk, True)
    services.record_feedback(ben.user, event, held.pk, True)
    services.record_feedback(anna.user, event, missed.pk, False)  # Cleo did not come
    assert queries.no_shows(event) == {"answered": 2, "happened": 1, "no_show": 1}


@pytest.mark.django_db
def test_feedback_waits_until_the_meeting_is_over(event, anna, ben):
    meeting = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    with pytest.raises(Conflict) as error:
        services.record_feedback(anna.user, event, meeting.pk, True)
    assert error.value.code == "not_over"
