"""Meeting requests: request → accept/decline → scheduled, holds, cancel, reschedule, and the
bad input of the issue: nothing ends up double-booked."""

import datetime as dt

import pytest

from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from matchmaking import organiser as organiser_services
from matchmaking import queries, services
from matchmaking.availability import Break
from matchmaking.models import MeetingRequest, MeetingSeat
from programme.models import Session
from reminders.models import Notification
from tests.fixtures.factories import at, make_session

from .conftest import join, make_event

pytestmark = pytest.mark.django_db
Status = MeetingRequest.Status


def slots(event):
    return list(event.slots.filter(kind="meeting"))


def seats_of(participant):
    return sorted(MeetingSeat.objects.filter(participant=participant).values_list("slot__starts_at", flat=True))


def test_request_holds_earliest_slot_and_accepting_schedules_it_at_a_table(event, anna, ben):
    request = services.request_meeting(anna.user, event, ben.pk, note="Let's talk about sensors")
    first = slots(event)[0]

    assert (request.status, request.slot, request.table) == (Status.PENDING, first, 1)
    assert seats_of(anna) == seats_of(ben) == [first.starts_at]  # held for both while pending

    told = Notification.objects.get(user=ben.user)
    assert (told.kind, told.body) == ("matchmaking.request_received", "Let's talk about sensors")
    assert told.title.startswith("Anna (Anna Ltd) asks to meet you at ")

    accepted = services.accept(ben.user, event, request.pk, note="Gladly")
    assert (accepted.status, accepted.slot, accepted.table, accepted.reply_note) == (
        Status.SCHEDULED, first, 1, "Gladly")
    assert accepted.video_link == ""  # both are on site
    for person, partner in ((anna, ben), (ben, anna)):
        _, items = queries.agenda(person.user, event)
        assert [(i.partner, i.slot, i.request.table, i.held) for i in items] == [(partner, first, 1, False)]
    told = Notification.objects.get(user=anna.user)
    assert told.kind == "matchmaking.request_accepted" and told.body == "Gladly"
    assert told.url == f"/e/{event.session.edition.slug}/matchmaking/b2b/agenda/"


def test_online_or_mixed_pair_gets_a_video_link_not_a_table(event, anna, otto):
    request = services.request_meeting(otto.user, event, anna.pk)
    request = services.accept(anna.user, event, request.pk)

    assert request.status == Status.SCHEDULED and request.table is None
    assert request.video_link == f"https://meet.jit.si/{event.session.edition.slug}-b2b-{request.guid.hex[:16]}"


def test_requester_picks_a_slot_and_recipient_may_choose_another(event, anna, ben):
    second, fourth = slots(event)[1], slots(event)[3]
    request = services.request_meeting(anna.user, event, ben.pk, slot_id=second.pk)
    assert seats_of(ben) == [second.starts_at]

    services.accept(ben.user, event, request.pk, slot_id=fourth.pk)
    request.refresh_from_db()
    assert request.slot == fourth and seats_of(anna) == seats_of(ben) == [fourth.starts_at]


def test_requesting_oneself_is_refused(event, anna):
    with pytest.raises(InvalidInput) as error:
        services.request_meeting(anna.user, event, anna.pk)
    assert error.value.code == "self_request"
    assert not MeetingRequest.objects.exists()


def test_duplicate_request_either_way_is_refused(event, anna, ben):
    services.request_meeting(anna.user, event, ben.pk)
    for user, other in ((anna.user, ben), (ben.user, anna)):
        with pytest.raises(Conflict) as error:
            services.request_meeting(user, event, other.pk)
        assert error.value.code == "duplicate_request"
    assert MeetingRequest.objects.count() == 1


def test_asking_again_after_a_decline_is_possible(event, anna, ben):
    first = services.request_meeting(anna.user, event, ben.pk)
    services.decline(ben.user, event, first.pk, note="Not now")
    first.refresh_from_db()
    assert (first.status, first.reply_note) == (Status.DECLINED, "Not now")
    assert seats_of(anna) == seats_of(ben) == []  # the held slot is free again

    again = services.request_meeting(anna.user, event, ben.pk)
    assert again.status == Status.PENDING


def test_booking_outside_the_slots_is_refused(edition, organiser, event, anna, ben):
    other_event = make_event(edition, organiser, start=9, end=10, slug="other-b2b")
    foreign = other_event.slots.first()

    for slot_id in (foreign.pk, 999999, "fourteen o'clock"):
        with pytest.raises(InvalidInput) as error:
            services.request_meeting(anna.user, event, ben.pk, slot_id=slot_id)
        assert error.value.code == "not_a_slot"
    assert not MeetingRequest.objects.exists()


def test_booking_a_break_or_during_a_plenary_is_refused(edition, organiser):
    event = make_event(edition, organiser, breaks=[Break(dt.time(15), dt.time(15, 30), "Coffee break")])
    make_session(edition, title="Plenary: clusters and resilience", kind=Session.Kind.PLENARY,
                 starts_at=at(edition, 0, 14, 30), ends_at=at(edition, 0, 15))
    anna, ben = join(event, "Anna"), join(event, "Ben")
    coffee = event.slots.get(kind="break")
    plenary_slot = event.slots.get(starts_at=at(edition, 0, 14, 30))

    with pytest.raises(InvalidInput) as error:
        services.request_meeting(anna.user, event, ben.pk, slot_id=coffee.pk)
    assert (error.value.code, coffee.label) == ("break", "Coffee break")
    with pytest.raises(InvalidInput) as error:
        services.request_meeting(anna.user, event, ben.pk, slot_id=plenary_slot.pk)
    assert error.value.code == "plenary" and "Plenary: clusters and resilience" in error.value.message

    # Without a pick, Anna (busy at 14:00) gets 15:30: not 14:30 (plenary) nor 15:00 (break).
    services.request_meeting(join(event, "Cleo").user, event, anna.pk)
    held = services.request_meeting(anna.user, event, ben.pk)
    assert held.slot.starts_at == at(edition, 0, 15, 30)


def test_a_pending_request_holds_the_slot_for_both(event, anna, ben):
    cleo = join(event, "Cleo")
    first = slots(event)[0]
    services.request_meeting(anna.user, event, ben.pk, slot_id=first.pk)

    for asker, asked in ((cleo, ben), (cleo, anna)):
        with pytest.raises(Conflict) as error:
            services.request_meeting(asker.user, event, asked.pk, slot_id=first.pk)
        assert error.value.code == "slot_taken"
    assert MeetingSeat.objects.filter(slot=first).count() == 2


def test_two_pairs_and_the_last_table(edition, organiser):
    event = make_event(edition, organiser, tables=1)
    anna, ben, cleo, dan, olga = (join(event, n) for n in ("Anna", "Ben", "Cleo", "Dan", "Olga"))
    olga.mode = "online"
    olga.save()
    first = slots(event)[0]
    services.request_meeting(anna.user, event, ben.pk, slot_id=first.pk)

    with pytest.raises(Conflict) as error:
        services.request_meeting(cleo.user, event, dan.pk, slot_id=first.pk)
    assert error.value.code == "no_table"
    # A mixed pair needs no table: it meets by video in the same slot.
    mixed = services.request_meeting(cleo.user, event, olga.pk, slot_id=first.pk)
    assert mixed.slot == first and mixed.table is None


def test_accepting_an_expired_request_is_refused(event, organiser, anna, ben):
    request = services.request_meeting(anna.user, event, ben.pk)
    event = organiser_services.set_phase(organiser, event, "booking_closed")
    request.refresh_from_db()
    assert request.status == Status.EXPIRED and seats_of(ben) == []

    with pytest.raises(Conflict) as error:
        services.accept(ben.user, event, request.pk)
    assert error.value.code == "request_expired"
    with pytest.raises(Conflict) as error:
        services.request_meeting(ben.user, event, anna.pk)
    assert error.value.code == "booking_closed"


def test_only_the_recipient_answers_and_strangers_cannot_touch_a_meeting(event, anna, ben):
    cleo = join(event, "Cleo")
    request = services.request_meeting(anna.user, event, ben.pk)
    with pytest.raises(Forbidden):
        services.accept(anna.user, event, request.pk)
    with pytest.raises(Forbidden):
        services.decline(cleo.user, event, request.pk)
    with pytest.raises(Forbidden):
        services.cancel(cleo.user, event, request.pk)
    with pytest.raises(NotFound):
        services.accept(ben.user, event, 424242)
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_cancel_frees_seats_and_table_for_someone_else(edition, organiser):
    event = make_event(edition, organiser, tables=1)
    anna, ben, cleo, dan = (join(event, n) for n in ("Anna", "Ben", "Cleo", "Dan"))
    first = slots(event)[0]
    meeting = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    assert meeting.table == 1

    services.cancel(ben.user, event, meeting.pk, note="Flight cancelled")
    meeting.refresh_from_db()
    assert meeting.status == Status.CANCELLED and seats_of(anna) == []
    other = services.request_meeting(cleo.user, event, dan.pk, slot_id=first.pk)
    assert (other.slot, other.table) == (first, 1)


def test_reschedule_moves_both_and_refuses_a_busy_slot(event, anna, ben):
    cleo = join(event, "Cleo")
    first, second, third = slots(event)[:3]
    meeting = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    services.request_meeting(cleo.user, event, ben.pk, slot_id=second.pk)

    with pytest.raises(Conflict) as error:
        services.reschedule(anna.user, event, meeting.pk, second.pk)
    assert error.value.code == "slot_taken" and "Ben" in error.value.message
    services.reschedule(anna.user, event, meeting.pk, third.pk)
    assert seats_of(anna) == [third.starts_at] and seats_of(ben) == [second.starts_at, third.starts_at]


def test_locked_meetings_are_moved_only_by_organisers(event, organiser, anna, ben):
    meeting = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    assert organiser_services.set_locked(organiser, event, [meeting.pk]) == 1
    last = slots(event)[-1]

    with pytest.raises(Forbidden) as error:
        services.cancel(anna.user, event, meeting.pk)
    assert error.value.code == "locked"
    with pytest.raises(Forbidden):
        services.reschedule(ben.user, event, meeting.pk, last.pk)
    services.reschedule(organiser, event, meeting.pk, last.pk)
    assert seats_of(anna) == [last.starts_at]


def test_unavailable_slots_are_respected(event, anna, ben):
    first, second = slots(event)[:2]
    services.set_availability(ben.user, event, [first.pk])

    with pytest.raises(Conflict) as error:
        services.request_meeting(anna.user, event, ben.pk, slot_id=first.pk)
    assert error.value.code == "unavailable"
    held = services.request_meeting(anna.user, event, ben.pk)
    assert held.slot == second
    with pytest.raises(Conflict):  # cannot mark away a slot with a meeting in it
        services.set_availability(anna.user, event, [second.pk])


def test_no_common_slot_leaves_an_accepted_request_for_the_organisers(event, anna, ben):
    services.set_availability(ben.user, event, [s.pk for s in slots(event)])
    request = services.request_meeting(anna.user, event, ben.pk)
    assert request.slot is None

    request = services.accept(ben.user, event, request.pk)
    assert request.status == Status.ACCEPTED and request.slot is None


def test_earliest_slot_setting_refuses_picks(edition, organiser):
    event = make_event(edition, organiser, slot_choice="earliest")
    anna, ben = join(event, "Anna"), join(event, "Ben")
    with pytest.raises(InvalidInput):
        services.request_meeting(anna.user, event, ben.pk, slot_id=slots(event)[2].pk)
    request = services.request_meeting(anna.user, event, ben.pk)
    assert request.slot == slots(event)[0]


def test_requests_wait_for_booking_to_open(edition, organiser):
    event = make_event(edition, organiser, phase="registration")
    anna, ben = join(event, "Anna"), join(event, "Ben")
    with pytest.raises(Conflict) as error:
        services.request_meeting(anna.user, event, ben.pk)
    assert error.value.code == "booking_not_open"
