"""Automatic scheduling: a generated event of 200 participants and 600 accepted requests, the
reasons given for requests that cannot be placed, and shorter idle gaps."""

import random
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from matchmaking import availability, scheduler, services
from matchmaking import organiser as organising
from matchmaking.models import MeetingRequest, MeetingSeat, Participant, Unavailability
from people.models import Profile
from programme.models import Session
from reminders.models import Notification
from tests.fixtures.factories import at, make_session

from .conftest import join, make_event

pytestmark = pytest.mark.django_db
Status = MeetingRequest.Status
PEOPLE, REQUESTS, TABLES = 200, 600, 25


def generate(event, rng: random.Random) -> set[tuple[int, int]]:
    """200 participants (60% on site) and 600 accepted requests built from a hidden timetable
    that respects availability, plenaries and tables, so every request can be placed.
    Returns the (participant, slot) pairs marked unavailable. Rows are bulk-created for speed."""
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"gen{n}@example.org", email=f"gen{n}@example.org") for n in range(PEOPLE)])
    Profile.objects.bulk_create([Profile(user=u, name=f"Generated {n}", feed_token=f"gen-{n}")
                                 for n, u in enumerate(users)])
    people = Participant.objects.bulk_create([
        Participant(event=event, user=u, mode="in_person" if n % 5 < 3 else "online", organisation=f"Org {n}")
        for n, u in enumerate(users)])
    slots = [s.pk for s in availability.bookable_slots(event)]
    pairs: dict[tuple[int, int], int] = {}  # hidden timetable: pair → slot
    per_slot = -(-REQUESTS // len(slots))
    for slot in slots:
        order = rng.sample(people, len(people))
        on_site = 0
        for a, b in zip(order[0::2], order[1::2], strict=True):
            key = (min(a.pk, b.pk), max(a.pk, b.pk))
            both_on_site = a.mode == b.mode == "in_person"
            if key in pairs or (both_on_site and on_site == TABLES):
                continue
            pairs[key] = slot
            on_site += both_on_site
            if sum(1 for s in pairs.values() if s == slot) == per_slot or len(pairs) == REQUESTS:
                break
    busy = {(p, s) for (a, b), s in pairs.items() for p in (a, b)}
    away = {(p.pk, s) for p in people[::3] for s in rng.sample(slots, 3) if (p.pk, s) not in busy}
    Unavailability.objects.bulk_create([Unavailability(participant_id=p, slot_id=s) for p, s in away])
    MeetingRequest.objects.bulk_create([
        MeetingRequest(event=event, requester_id=a, recipient_id=b, status=Status.ACCEPTED, note="generated")
        for a, b in (rng.sample(pair, 2) for pair in pairs)])
    return away


def test_200_participants_and_600_accepted_requests_all_placed_without_double_booking(edition, organiser):
    event = make_event(edition, organiser, start=9, end=13, tables=TABLES)
    make_session(edition, title="Plenary", kind=Session.Kind.PLENARY, starts_at=at(edition, 0, 11),
                 ends_at=at(edition, 0, 11, 30))  # blocks the 11:00 slot
    away = generate(event, random.Random(7))
    assert MeetingRequest.objects.filter(status=Status.ACCEPTED).count() == REQUESTS

    started = time.perf_counter()
    report = organising.schedule_accepted(organiser, event)
    total = time.perf_counter() - started
    print(f"\nscheduler: placed {report.placed_count} of {REQUESTS} possible; plan {report.seconds:.3f} s, "
          f"with database reads and writes {total:.3f} s")

    assert report.unplaced == [] and report.placed_count == REQUESTS
    meetings = list(MeetingRequest.objects.filter(event=event).select_related("requester", "recipient", "slot"))
    assert {m.status for m in meetings} == {Status.SCHEDULED}
    seats = Counter((p, m.slot_id) for m in meetings for p in (m.requester_id, m.recipient_id))
    assert max(seats.values()) == 1  # nobody in two meetings at once
    assert MeetingSeat.objects.count() == 2 * REQUESTS
    assert not set(seats) & away  # availability respected
    assert all(m.slot.starts_at != at(edition, 0, 11) for m in meetings)  # not during the plenary
    tables = Counter((m.slot_id, m.table) for m in meetings if m.table)
    assert max(tables.values()) == 1 and all(1 <= t <= TABLES for _, t in tables)
    assert all(bool(m.table) == m.in_person and bool(m.video_link) != m.in_person for m in meetings)
    print(f"idle slots between a participant's first and last meeting, on average: {idle_per_person(meetings):.2f}")


def idle_per_person(meetings) -> float:
    order = {s: i for i, s in enumerate(sorted({m.slot.starts_at for m in meetings}))}
    days: dict[int, list[int]] = {}
    for m in meetings:
        for p in (m.requester_id, m.recipient_id):
            days.setdefault(p, []).append(order[m.slot.starts_at])
    return sum(max(d) - min(d) + 1 - len(d) for d in days.values()) / len(days)


def test_unplaced_requests_say_why(edition, organiser):
    event = make_event(edition, organiser, tables=0)  # four slots, no tables
    anna, ben, cleo = join(event, "Anna"), join(event, "Ben"), join(event, "Cleo", mode="online")
    online = [join(event, f"Online {n}", mode="online") for n in range(5)]
    slots = list(event.slots.all())
    services.set_availability(online[0].user, event, [s.pk for s in slots[:2]])
    services.set_availability(online[1].user, event, [s.pk for s in slots[2:]])

    def accepted(a, b):
        return MeetingRequest.objects.create(event=event, requester=a, recipient=b, status=Status.ACCEPTED)

    no_table = accepted(anna, ben)  # both on site, and the room has no tables
    no_common_time = accepted(online[0], online[1])
    cleo_requests = [accepted(cleo, p) for p in online[2:]] + [accepted(cleo, anna), accepted(cleo, ben)]

    report = organising.schedule_accepted(organiser, event)
    reasons = {u.request_id: u.reason for u in report.unplaced}
    assert reasons[no_table.pk] == "no_table"
    assert reasons[no_common_time.pk] == "no_common_time"
    assert report.placed_count == 4  # Cleo has four slots for five meetings
    assert [reasons.get(r.pk) for r in cleo_requests].count("fully_booked") == 1
    assert MeetingRequest.objects.filter(status=Status.SCHEDULED).count() == 4


def test_scheduler_fills_the_gap_between_meetings_before_the_earliest_slot(event, organiser, anna, ben):
    cleo, dan = join(event, "Cleo"), join(event, "Dan")
    first, second, third, fourth = event.slots.all()
    services.accept(cleo.user, event, services.request_meeting(anna.user, event, cleo.pk, slot_id=second.pk).pk)
    services.accept(dan.user, event, services.request_meeting(anna.user, event, dan.pk, slot_id=fourth.pk).pk)
    request = MeetingRequest.objects.create(event=event, requester=anna, recipient=ben, status=Status.ACCEPTED)

    organising.schedule_accepted(organiser, event)
    request.refresh_from_db()
    assert request.slot == third  # between Anna's two meetings, not at 14:00 with an idle 14:30
    told = Notification.objects.get(user=ben.user, kind="matchmaking.meeting_scheduled")
    assert told.title == "The organisers scheduled 1 meeting for you at B2B matchmaking."
    assert first.pk not in {s.slot_id for s in MeetingSeat.objects.filter(participant=anna)}


def test_repair_moves_a_meeting_placed_in_the_run_to_make_room():
    # Greedy alone places 11–13 at slot 2 and then finds no common slot for 10–11;
    # moving 11–13 to slot 3 makes room, and all three meetings take place.
    grid = scheduler.Grid(slots=[1, 2, 3], available={10: {1, 2, 3}, 11: {2, 3}, 12: {3}, 13: {1, 2, 3}},
                          busy={}, free_tables={1: [], 2: [], 3: []})
    pairs = [scheduler.Pair(1, 12, 10, False), scheduler.Pair(2, 11, 13, False), scheduler.Pair(3, 10, 11, False)]
    report = scheduler.plan(pairs, grid)
    assert report.unplaced == []
    assert {(p.request_id, p.slot_id) for p in report.placed} == {(1, 3), (2, 3), (3, 2)}
