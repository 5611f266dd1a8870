"""Editions and the programme through the JSON API, including organisers' changes."""

import datetime as dt

import pytest
from django.test import Client

from attendance.models import Enrolment
from programme.models import Edition, Session
from tests.fixtures.factories import at, make_edition, make_organiser, make_session, make_user

from .conftest import JsonClient

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def parse(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment)


def new_session(**fields):
    body = {
        "title": "Cluster policy in practice",
        "kind": "panel",
        "starts_at": "2030-09-26T14:00:00+02:00",
        "ends_at": "2030-09-26T15:30:00+02:00",
        "location": "Hall A",
        "attendance_format": "hybrid",
    }
    body.update(fields)
    return body


# --- reading --------------------------------------------------------------------------


def test_editions_list_and_detail_give_dates_and_time_zone(client):
    edition = make_edition(title="ECC 2030 Prague", time_zone="Europe/Prague", format=Edition.Format.HYBRID)
    make_edition(title="ECC 2028 archive", status=Edition.Status.ARCHIVED, start_date=dt.date(2028, 9, 1),
                 end_date=dt.date(2028, 9, 2))

    listing = client.get("/api/editions")
    detail = client.get(f"/api/editions/{edition.slug}")

    assert listing.status_code == 200
    assert [e["title"] for e in listing.json()] == ["ECC 2030 Prague", "ECC 2028 archive"]
    assert detail.status_code == 200
    body = detail.json()
    assert body["slug"] == edition.slug
    assert body["time_zone"] == "Europe/Prague"
    assert body["start_date"] == "2030-09-26" and body["end_date"] == "2030-09-27"
    assert body["series"] == "European Cluster Conference"
    assert body["format"] == "hybrid" and body["registration_open"] is True


def test_programme_gives_utc_times_with_the_venue_time_zone(client):
    edition = make_edition(time_zone="Europe/Prague")
    make_session(edition, title="Opening plenary", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))

    response = client.get(f"/api/editions/{edition.slug}/sessions")

    assert response.status_code == 200
    [session] = response.json()
    # 09:00 in Prague in September (CEST, +02:00) is 07:00 UTC.
    assert session["starts_at"] == "2030-09-26T07:00:00Z"
    assert parse(session["ends_at"]) == dt.datetime(2030, 9, 26, 8, 0, tzinfo=UTC)
    assert session["time_zone"] == "Europe/Prague"
    assert session["edition"] == edition.slug


def test_programme_filters_by_kind_and_by_venue_local_day(client):
    edition = make_edition(time_zone="Europe/Prague")
    plenary = make_session(edition, title="Opening", kind="plenary", starts_at=at(edition, 0, 9),
                           ends_at=at(edition, 0, 10))
    side = make_session(edition, title="Closed meeting", kind="side_event", starts_at=at(edition, 0, 14),
                        ends_at=at(edition, 0, 16))
    # 00:30 on day 2 in Prague is still day 1 (22:30) in UTC: it belongs to day 2 at the venue.
    late = make_session(edition, title="Night networking", kind="side_event", starts_at=at(edition, 1, 0, 30),
                        ends_at=at(edition, 1, 1, 30))

    by_kind = client.get(f"/api/editions/{edition.slug}/sessions?kind=side_event").json()
    day_one = client.get(f"/api/editions/{edition.slug}/sessions?day=2030-09-26").json()
    day_two = client.get(f"/api/editions/{edition.slug}/sessions?day=2030-09-27").json()
    both = client.get(f"/api/editions/{edition.slug}/sessions?day=2030-09-26&kind=plenary").json()

    assert [s["title"] for s in by_kind] == [side.title, late.title]
    assert [s["title"] for s in day_one] == [plenary.title, side.title]
    assert [s["title"] for s in day_two] == [late.title]
    assert [s["title"] for s in both] == [plenary.title]


def test_programme_filters_with_bad_values_are_422_naming_the_parameter(client):
    edition = make_edition()

    bad_day = client.get(f"/api/editions/{edition.slug}/sessions?day=26.09.2030")
    bad_kind = client.get(f"/api/editions/{edition.slug}/sessions?kind=party")

    assert bad_day.status_code == 422 and bad_day.json()["field"] == "day"
    assert bad_kind.status_code == 422 and bad_kind.json()["field"] == "kind"
    assert "side_event" in bad_kind.json()["message"]  # tells the client what is allowed


def test_session_detail_has_speakers_location_and_seats(client):
    edition = make_edition()
    speaker = make_user("Sofia Speaker", organisation="Cluster Alliance")
    session = make_session(edition, title="Closed meeting of cluster managers", kind="side_event",
                           location="Room B", capacity=70, access="invited", attendance_format="in_person")
    session.speakers.add(speaker)
    Enrolment.objects.create(user=make_user(), session=session, mode="in_person", status="enrolled",
                             requested_at=at(edition, 0, 8))

    response = client.get(f"/api/sessions/{session.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["speakers"] == [{"name": "Sofia Speaker", "organisation": "Cluster Alliance"}]
    assert "person" not in str(body["speakers"]).lower()  # no e-mail addresses (usernames) leak
    assert body["location"] == "Room B"
    assert body["capacity"] == 70 and body["seats_left"] == 69
    assert body["access"] == "invited"
    assert body["status"] == "scheduled"
    assert body["attendance_format"] == "in_person"
    assert body["kind"] == "side_event"


def test_session_without_a_limit_reports_no_seat_count(client):
    session = make_session(make_edition())

    body = client.get(f"/api/sessions/{session.pk}").json()

    assert body["capacity"] is None and body["seats_left"] is None


# --- organisers' changes ------------------------------------------------------------------


def test_organiser_creates_a_session(client):
    edition = make_edition(time_zone="Europe/Prague")
    api = JsonClient(client).login(make_organiser(edition))

    response = api.post(f"/api/editions/{edition.slug}/sessions", new_session(capacity=100))

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Cluster policy in practice"
    assert body["slug"] == "cluster-policy-in-practice"
    assert body["starts_at"] == "2030-09-26T12:00:00Z"  # sent as 14:00+02:00
    assert body["seats_left"] == 100
    stored = Session.objects.get(pk=body["id"])
    assert stored.edition == edition and stored.location == "Hall A" and stored.kind == "panel"
    assert stored.starts_at == dt.datetime(2030, 9, 26, 12, 0, tzinfo=UTC)
    assert client.get(f"/api/sessions/{body['id']}").json()["title"] == "Cluster policy in practice"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"capacity": "lots"}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"starts_at": "tomorrow morning"}, "starts_at"),
        ({"starts_at": "2030-09-26T14:00:00"}, "starts_at"),  # no offset: ambiguous
        ({"kind": "party"}, "kind"),
        ({"access": "secret"}, "access"),
    ],
)
def test_creating_with_wrong_typed_fields_is_422_naming_the_field(client, change, field):
    edition = make_edition()
    api = JsonClient(client).login(make_organiser(edition))

    response = api.post(f"/api/editions/{edition.slug}/sessions", new_session(**change))

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["field"] == field
    assert field in response.json()["message"]
    assert not Session.objects.filter(edition=edition).exists()


def test_creating_with_missing_fields_is_422_naming_each_of_them(client):
    edition = make_edition()
    api = JsonClient(client).login(make_organiser(edition))

    response = api.post(f"/api/editions/{edition.slug}/sessions", {"location": "Hall A"})

    assert response.status_code == 422
    missing = {problem["field"] for problem in response.json()["detail"]}
    assert missing == {"title", "starts_at", "ends_at"}
    assert not Session.objects.filter(edition=edition).exists()


def test_creating_with_a_body_that_is_not_json_is_refused(client):
    edition = make_edition()
    client.force_login(make_organiser(edition))

    response = client.post(f"/api/editions/{edition.slug}/sessions", "title=Hi", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert not Session.objects.filter(edition=edition).exists()


def test_reversed_times_are_400_and_nothing_is_created(client):
    edition = make_edition()
    api = JsonClient(client).login(make_organiser(edition))

    response = api.post(f"/api/editions/{edition.slug}/sessions", new_session(
        starts_at="2030-09-26T15:00:00+02:00", ends_at="2030-09-26T14:00:00+02:00"))

    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "The session must end after it starts.",
                               "field": "ends_at"}
    assert not Session.objects.filter(edition=edition).exists()


def test_session_outside_the_edition_dates_is_400(client):
    edition = make_edition()
    api = JsonClient(client).login(make_organiser(edition))

    response = api.post(f"/api/editions/{edition.slug}/sessions", new_session(
        starts_at="2030-10-01T09:00:00+02:00", ends_at="2030-10-01T10:00:00+02:00"))

    assert response.status_code == 400
    assert response.json()["field"] == "starts_at"
    assert "2030-09-26" in response.json()["message"]
    assert not Session.objects.filter(edition=edition).exists()


def test_overlapping_sessions_in_the_same_location_are_400_and_nothing_is_created(client):
    edition = make_edition()
    existing = make_session(edition, title="Forum on skills", location="Hall A",
                            starts_at=at(edition, 0, 13), ends_at=at(edition, 0, 15))
    api = JsonClient(client).login(make_organiser(edition))

    clash = api.post(f"/api/editions/{edition.slug}/sessions", new_session(location="hall a"))
    elsewhere = api.post(f"/api/editions/{edition.slug}/sessions", new_session(location="Hall B"))

    assert clash.status_code == 400
    assert clash.json()["field"] == "starts_at"
    assert "Forum on skills" in clash.json()["message"]
    assert elsewhere.status_code == 201  # same time, other room: fine
    assert set(Session.objects.filter(edition=edition).values_list("location", flat=True)) == {"Hall A", "Hall B"}
    assert Session.objects.filter(edition=edition, location="Hall A").get() == existing


def test_non_organisers_cannot_create_sessions(client):
    edition = make_edition()
    other_edition = make_edition()
    organiser_elsewhere = make_organiser(other_edition)

    as_attendee = JsonClient(Client()).login(make_user()).post(f"/api/editions/{edition.slug}/sessions",
                                                                new_session())
    as_other_organiser = JsonClient(client).login(organiser_elsewhere).post(
        f"/api/editions/{edition.slug}/sessions", new_session())

    for response in (as_attendee, as_other_organiser):
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert "organisers" in response.json()["message"]
    assert not Session.objects.filter(edition=edition).exists()


def test_organiser_changes_a_session(client):
    edition = make_edition()
    session = make_session(edition, title="Old title", location="Hall A", capacity=50)
    api = JsonClient(client).login(make_organiser(edition))

    response = api.patch(f"/api/sessions/{session.pk}", {
        "title": "New title", "starts_at": "2030-09-26T11:00:00+02:00", "ends_at": "2030-09-26T12:00:00+02:00",
        "capacity": None,
    })

    assert response.status_code == 200
    assert response.json()["title"] == "New title"
    assert response.json()["starts_at"] == "2030-09-26T09:00:00Z"
    assert response.json()["capacity"] is None
    session.refresh_from_db()
    assert session.title == "New title" and session.location == "Hall A"  # fields not sent are kept
    assert session.capacity is None
    assert session.starts_at == dt.datetime(2030, 9, 26, 9, 0, tzinfo=UTC)


def test_patch_with_bad_input_changes_nothing(client):
    edition = make_edition()
    session = make_session(edition, title="Keep me", location="Hall A",
                           starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    make_session(edition, title="Workshop", location="Hall A", starts_at=at(edition, 0, 11),
                 ends_at=at(edition, 0, 12))
    api = JsonClient(client).login(make_organiser(edition))

    reversed_times = api.patch(f"/api/sessions/{session.pk}", {"ends_at": "2030-09-26T08:00:00+02:00"})
    overlap = api.patch(f"/api/sessions/{session.pk}", {"ends_at": "2030-09-26T11:30:00+02:00"})
    null_title = api.patch(f"/api/sessions/{session.pk}", {"title": None})
    wrong_type = api.patch(f"/api/sessions/{session.pk}", {"capacity": [1, 2]})

    assert reversed_times.status_code == 400 and reversed_times.json()["field"] == "ends_at"
    assert overlap.status_code == 400 and "Workshop" in overlap.json()["message"]
    assert null_title.status_code == 422 and null_title.json()["field"] == "title"
    assert wrong_type.status_code == 422 and wrong_type.json()["field"] == "capacity"
    session.refresh_from_db()
    assert session.title == "Keep me"
    assert session.ends_at == at(edition, 0, 10)
    assert session.capacity is None


def test_non_organiser_cannot_change_a_session(client):
    edition = make_edition()
    session = make_session(edition, title="Opening plenary")
    speaker = make_user("Sofia Speaker")
    session.speakers.add(speaker)  # even the session's own speaker is not an organiser

    response = JsonClient(client).login(speaker).patch(f"/api/sessions/{session.pk}", {"title": "Mine now"})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    session.refresh_from_db()
    assert session.title == "Opening plenary"
