"""Own registration, enrolment with a waiting list, and the personal agenda through the API."""

import pytest
from django.test import Client

from attendance.models import Bookmark, Enrolment, Registration
from programme.models import Edition
from tests.fixtures.factories import at, make_edition, make_session, make_user, register

from .conftest import JsonClient

pytestmark = pytest.mark.django_db


def person(name: str = "") -> tuple:
    user = make_user(name)
    return user, JsonClient(Client()).login(user)


# --- registration -------------------------------------------------------------------------


def test_registration_lifecycle(client):
    edition = make_edition(format=Edition.Format.HYBRID)
    user = make_user("Anna Attendee")
    api = JsonClient(client).login(user)
    url = f"/api/editions/{edition.slug}/registration"

    before = api.get(url)
    created = api.post(url, {"mode": "online"})
    shown = api.get(url)
    changed = api.patch(url, {"mode": "in_person"})
    cancelled = api.delete(url)
    after = api.get(url)

    assert before.status_code == 404 and before.json()["code"] == "not_registered"
    assert created.status_code == 201
    assert created.json()["mode"] == "online" and created.json()["status"] == "confirmed"
    assert created.json()["edition"] == edition.slug
    assert created.json()["created_at"].endswith("Z")
    assert shown.status_code == 200 and shown.json()["mode"] == "online"
    assert changed.status_code == 200 and changed.json()["mode"] == "in_person"
    assert cancelled.status_code == 204
    assert after.status_code == 404
    assert Registration.objects.get(user=user, edition=edition).status == "cancelled"


def test_registering_needs_a_confirmed_email_address(client):
    edition = make_edition()
    api = JsonClient(client).login(make_user(verified=False))
    response = api.post(f"/api/editions/{edition.slug}/registration", {"mode": "online"})
    assert response.status_code == 403 and response.json()["code"] == "email_unverified"
    assert "Confirm your email address first" in response.json()["message"]
    assert not Registration.objects.exists()


def test_registering_twice_is_409_and_keeps_the_first_registration(client):
    edition = make_edition()
    user = make_user()
    api = JsonClient(client).login(user)
    url = f"/api/editions/{edition.slug}/registration"

    first = api.post(url, {"mode": "in_person"})
    second = api.post(url, {"mode": "online"})

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "already_registered"
    assert "already registered" in second.json()["message"]
    assert Registration.objects.get(user=user, edition=edition).mode == "in_person"


@pytest.mark.parametrize("body", [{}, {"mode": "telepathy"}, {"mode": 3}, {"mode": None}])
def test_registration_with_missing_or_wrong_mode_is_422_naming_mode(client, body):
    edition = make_edition()
    api = JsonClient(client).login(make_user())

    response = api.post(f"/api/editions/{edition.slug}/registration", body)

    assert response.status_code == 422
    assert response.json()["field"] == "mode"
    assert not Registration.objects.filter(edition=edition).exists()


def test_in_person_registration_for_a_virtual_edition_is_400_on_mode(client):
    edition = make_edition(format=Edition.Format.VIRTUAL)
    api = JsonClient(client).login(make_user())

    response = api.post(f"/api/editions/{edition.slug}/registration", {"mode": "in_person"})

    assert response.status_code == 400
    assert response.json()["field"] == "mode"
    assert "online" in response.json()["message"]
    assert not Registration.objects.filter(edition=edition).exists()


def test_registration_when_closed_is_409(client):
    edition = make_edition(status=Edition.Status.PUBLISHED)
    api = JsonClient(client).login(make_user())

    response = api.post(f"/api/editions/{edition.slug}/registration", {"mode": "online"})

    assert response.status_code == 409 and response.json()["code"] == "registration_closed"
    assert not Registration.objects.exists()


def test_changing_or_cancelling_without_registration_is_409(client):
    edition = make_edition()
    api = JsonClient(client).login(make_user())
    url = f"/api/editions/{edition.slug}/registration"

    assert api.patch(url, {"mode": "online"}).json()["code"] == "not_registered"
    assert api.delete(url).status_code == 409


# --- enrolment and the waiting list ----------------------------------------------------------


def test_side_event_over_capacity_goes_to_waiting_list_and_leaving_promotes_the_next():
    edition = make_edition()
    meeting = make_session(edition, title="Closed meeting", kind="side_event", capacity=1,
                           attendance_format="in_person", location="Room B")
    (anna, anna_api), (ben, ben_api), (cleo, cleo_api) = person("Anna"), person("Ben"), person("Cleo")
    for user in (anna, ben, cleo):
        register(user, edition, mode="in_person")
    url = f"/api/sessions/{meeting.pk}/enrolment"

    first = anna_api.post(url)
    second = ben_api.post(url)
    third = cleo_api.post(url)

    assert first.status_code == 201
    assert first.json() | {"requested_at": None} == {
        "session_id": meeting.pk, "status": "enrolled", "mode": "in_person", "waiting_position": None,
        "seats_left": 0, "requested_at": None,
    }
    assert second.status_code == 201
    assert second.json()["status"] == "waitlisted" and second.json()["waiting_position"] == 1
    assert third.json()["status"] == "waitlisted" and third.json()["waiting_position"] == 2

    left = anna_api.delete(url)

    assert left.status_code == 204
    assert ben_api.get(url).json()["status"] == "enrolled"
    assert ben_api.get(url).json()["waiting_position"] is None
    assert cleo_api.get(url).json()["waiting_position"] == 1
    assert anna_api.get(url).status_code == 404
    assert anna_api.get(f"/api/sessions/{meeting.pk}").json()["seats_left"] == 0


def test_enrolling_twice_or_without_registration_is_409():
    edition = make_edition()
    side = make_session(edition, kind="side_event", capacity=10, attendance_format="in_person")
    registered, registered_api = person()
    register(registered, edition, mode="in_person")
    _, stranger_api = person()
    url = f"/api/sessions/{side.pk}/enrolment"

    assert registered_api.post(url).status_code == 201
    again = registered_api.post(url)
    stranger = stranger_api.post(url)

    assert again.status_code == 409 and again.json()["code"] == "already_enrolled"
    assert stranger.status_code == 409 and stranger.json()["code"] == "not_registered"
    assert Enrolment.objects.filter(session=side).count() == 1


def test_online_attendee_cannot_take_a_seat_in_an_in_person_only_session():
    edition = make_edition()
    side = make_session(edition, kind="side_event", capacity=10, attendance_format="in_person")
    user, api = person()
    register(user, edition, mode="online")

    response = api.post(f"/api/sessions/{side.pk}/enrolment")

    assert response.status_code == 400 and response.json()["code"] == "mode_mismatch"
    assert not Enrolment.objects.filter(session=side).exists()


def test_leaving_without_a_place_is_409():
    edition = make_edition()
    side = make_session(edition, kind="side_event", capacity=10)
    user, api = person()
    register(user, edition)

    response = api.delete(f"/api/sessions/{side.pk}/enrolment")

    assert response.status_code == 409 and response.json()["code"] == "not_enrolled"


# --- personal agenda -----------------------------------------------------------------------


def test_agenda_bookmarks_add_list_and_remove(client):
    edition = make_edition(time_zone="Europe/Prague")
    late = make_session(edition, title="Closing", starts_at=at(edition, 1, 16), ends_at=at(edition, 1, 17))
    early = make_session(edition, title="Opening", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    make_session(edition, title="Not for me", starts_at=at(edition, 0, 11), ends_at=at(edition, 0, 12))
    user = make_user()
    api = JsonClient(client).login(user)

    added = api.put(f"/api/agenda/{late.pk}")
    api.put(f"/api/agenda/{early.pk}")
    again = api.put(f"/api/agenda/{early.pk}")  # PUT is idempotent
    agenda = api.get("/api/agenda")

    assert added.status_code == 200 and added.json()["title"] == "Closing"
    assert again.status_code == 200
    assert [s["title"] for s in agenda.json()] == ["Opening", "Closing"]  # in time order
    assert agenda.json()[0]["time_zone"] == "Europe/Prague"
    assert agenda.json()[0]["starts_at"] == "2030-09-26T07:00:00Z"

    removed = api.delete(f"/api/agenda/{early.pk}")
    removed_again = api.delete(f"/api/agenda/{early.pk}")

    assert removed.status_code == 204
    assert removed_again.status_code == 409 and removed_again.json()["code"] == "not_bookmarked"
    assert [s["title"] for s in api.get("/api/agenda").json()] == ["Closing"]
    assert list(Bookmark.objects.filter(user=user).values_list("session_id", flat=True)) == [late.pk]


def test_agenda_is_personal_and_includes_enrolled_side_events():
    edition = make_edition()
    plenary = make_session(edition, title="Opening", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    side = make_session(edition, title="B2B matchmaking", kind="side_event", capacity=200,
                        starts_at=at(edition, 0, 14), ends_at=at(edition, 0, 17))
    anna, anna_api = person()
    register(anna, edition)
    _, ben_api = person()

    ben_api.put(f"/api/agenda/{plenary.pk}")
    anna_api.post(f"/api/sessions/{side.pk}/enrolment")

    assert [s["title"] for s in anna_api.get("/api/agenda").json()] == ["B2B matchmaking"]
    assert [s["title"] for s in ben_api.get("/api/agenda").json()] == ["Opening"]


def test_agenda_can_be_narrowed_to_one_edition():
    this, other = make_edition(), make_edition()
    mine = make_session(this, title="Here")
    elsewhere = make_session(other, title="There")
    _, api = person()
    api.put(f"/api/agenda/{mine.pk}")
    api.put(f"/api/agenda/{elsewhere.pk}")

    narrowed = api.get(f"/api/agenda?edition={this.slug}")
    unknown = api.get("/api/agenda?edition=nope")

    assert [s["title"] for s in narrowed.json()] == ["Here"]
    assert unknown.status_code == 404
