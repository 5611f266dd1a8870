"""The database itself refuses double bookings, whatever code writes the rows."""

import pytest
from django.db import IntegrityError, transaction

from matchmaking.models import MeetingRequest, MeetingSeat

from .conftest import join

pytestmark = pytest.mark.django_db
Status = MeetingRequest.Status


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def meeting(event, a, b, slot, table=None, status=Status.SCHEDULED):
    return MeetingRequest.objects.create(event=event, requester=a, recipient=b, status=status, slot=slot, table=table)


def test_a_participant_never_sits_in_two_meetings_of_one_slot(event, anna, ben):
    cleo = join(event, "Cleo")
    slot = event.slots.first()
    first = meeting(event, anna, ben, slot)
    second = meeting(event, anna, cleo, slot.get_next_by_starts_at())
    MeetingSeat.objects.create(request=first, participant=anna, slot=slot)

    # Anna as requester of a second meeting in the same slot: refused by the seat table.
    assert refused(lambda: MeetingSeat.objects.create(request=second, participant=anna, slot=slot))
    assert MeetingSeat.objects.filter(participant=anna, slot=slot).count() == 1


def test_a_table_never_holds_two_meetings_at_once(event, anna, ben):
    cleo, dan = join(event, "Cleo"), join(event, "Dan")
    slot = event.slots.first()
    meeting(event, anna, ben, slot, table=1)

    assert refused(lambda: meeting(event, cleo, dan, slot, table=1))
    assert refused(lambda: meeting(event, cleo, dan, slot, table=1, status=Status.PENDING))  # a hold counts too
    # A cancelled meeting no longer occupies its table.
    MeetingRequest.objects.filter(table=1).update(status=Status.CANCELLED)
    assert not refused(lambda: meeting(event, cleo, dan, slot, table=1))


def test_one_open_request_per_pair_whoever_asks(event, anna, ben):
    meeting(event, anna, ben, None, status=Status.PENDING)
    assert refused(lambda: meeting(event, ben, anna, None, status=Status.PENDING))
    assert refused(lambda: meeting(event, anna, ben, None, status=Status.ACCEPTED))
    MeetingRequest.objects.update(status=Status.DECLINED)
    assert not refused(lambda: meeting(event, ben, anna, None, status=Status.PENDING))


def test_no_meeting_with_oneself_and_no_scheduled_meeting_without_slot(event, anna, ben):
    assert refused(lambda: meeting(event, anna, anna, None, status=Status.PENDING))
    assert refused(lambda: meeting(event, anna, ben, None, status=Status.SCHEDULED))
    assert refused(lambda: meeting(event, anna, ben, None, table=3, status=Status.ACCEPTED))
    assert not MeetingRequest.objects.exists()
