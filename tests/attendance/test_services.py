import pytest

from attendance import services
from attendance.models import Enrolment, Registration
from conference.errors import Conflict, Forbidden, InvalidInput
from programme.models import Edition, Session
from tests.fixtures.factories import make_edition, make_session, make_user, register

pytestmark = pytest.mark.django_db


def test_register_online_and_not_twice(edition, attendee):
    registration = services.register(attendee, edition, "online")
    assert registration.mode == "online"
    with pytest.raises(Conflict) as error:
        services.register(attendee, edition, "in_person")
    assert error.value.code == "already_registered"
    assert Registration.objects.get(user=attendee, edition=edition).mode == "online"


def test_register_rejects_unknown_and_impossible_modes(attendee):
    virtual = make_edition(format=Edition.Format.VIRTUAL)
    with pytest.raises(InvalidInput, match="fully virtual"):
        services.register(attendee, virtual, "in_person")
    with pytest.raises(InvalidInput, match="Unknown attendance mode"):
        services.register(attendee, virtual, "telepathy")
    assert not Registration.objects.exists()


def test_registration_closed(attendee):
    closed = make_edition(status=Edition.Status.PUBLISHED)
    with pytest.raises(Conflict) as error:
        services.register(attendee, closed, "online")
    assert error.value.code == "registration_closed"


def test_cancel_and_come_back(edition, attendee):
    services.register(attendee, edition, "online")
    services.cancel_registration(attendee, edition)
    assert services.registration_of(attendee, edition) is None
    again = services.register(attendee, edition, "in_person")
    assert again.mode == "in_person" and Registration.objects.count() == 1


def _side_event(edition, capacity=2, **fields):
    return make_session(edition, kind=Session.Kind.SIDE_EVENT, capacity=capacity,
                        attendance_format=fields.pop("attendance_format", "in_person"), **fields)


def test_side_event_fills_up_then_waiting_list_in_order(edition):
    event = _side_event(edition, capacity=2)
    people = [make_user(f"P{i}") for i in range(4)]
    for person in people:
        register(person, edition, "in_person")
    statuses = [services.enrol(p, event).status for p in people]
    assert statuses == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert services.seats_left(event) == 0
    assert services.waiting_position(services.enrolment_of(people[3], event)) == 2
    promoted = services.leave(people[0], event)
    assert [e.user for e in promoted] == [people[2]]
    assert services.enrolment_of(people[2], event).status == "enrolled"
    assert services.waiting_position(services.enrolment_of(people[3], event)) == 1
    assert Enrolment.objects.filter(session=event, status="enrolled").count() == 2


def test_online_participants_of_a_hybrid_side_event_take_no_seat(edition):
    event = _side_event(edition, capacity=1, attendance_format="hybrid")
    seated, remote, late = make_user(), make_user(), make_user()
    register(seated, edition, "in_person")
    register(remote, edition, "online")
    register(late, edition, "in_person")
    assert services.enrol(seated, event).status == "enrolled"
    assert services.enrol(remote, event).status == "enrolled"
    assert services.enrol(late, event).status == "waitlisted"


def test_enrolment_bad_cases(edition, attendee):
    event = _side_event(edition, capacity=5)
    with pytest.raises(Conflict, match="Register for"):
        services.enrol(attendee, event)
    register(attendee, edition, "online")
    with pytest.raises(InvalidInput, match="in person only"):
        services.enrol(attendee, event)
    plenary = make_session(edition)
    with pytest.raises(InvalidInput, match="needs no enrolment"):
        services.enrol(attendee, plenary)
    invited = _side_event(edition, attendance_format="online", access=Session.Access.INVITED)
    with pytest.raises(Forbidden, match="invitation"):
        services.enrol(attendee, invited)
    online_event = _side_event(edition, attendance_format="online")
    services.enrol(attendee, online_event)
    with pytest.raises(Conflict, match="already enrolled"):
        services.enrol(attendee, online_event)
    assert Enrolment.objects.filter(user=attendee).count() == 1


def test_cancelling_registration_frees_places(edition):
    event = _side_event(edition, capacity=1)
    first, second = make_user(), make_user()
    register(first, edition, "in_person")
    register(second, edition, "in_person")
    services.enrol(first, event)
    services.enrol(second, event)
    services.cancel_registration(first, edition)
    assert services.enrolment_of(second, event).status == "enrolled"
    assert services.enrolment_of(first, event) is None


def test_agenda_contains_bookmarks_and_places_in_time_order(edition, attendee):
    register(attendee, edition, "in_person")
    later = make_session(edition, title="Later", starts_at=make_session(edition).ends_at.replace(hour=15),
                         ends_at=make_session(edition).ends_at.replace(hour=16))
    earlier = _side_event(edition, title="Earlier")
    services.bookmark(attendee, later)
    services.enrol(attendee, earlier)
    assert [s.title for s in services.agenda(attendee, edition)] == ["Earlier", "Later"]
    services.remove_bookmark(attendee, later)
    with pytest.raises(Conflict):
        services.remove_bookmark(attendee, later)
    assert [s.title for s in services.agenda(attendee)] == ["Earlier"]
