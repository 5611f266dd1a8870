"""Calendar files: one session (.ics download) and the personal agenda subscription."""

import datetime as dt

import pytest
from icalendar import Calendar

from attendance.models import Bookmark
from people.services import profile_of
from programme import services
from programme.models import Session
from tests.fixtures.factories import at, make_edition, make_organiser, make_session, make_user, register

pytestmark = pytest.mark.django_db


def events_in(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def session_ics(client, session):
    [event] = events_in(client.get(f"/e/{session.edition.slug}/s/{session.slug}.ics"))
    return event


def feed_url(user) -> str:
    return f"/agenda/{profile_of(user).feed_token}.ics"


@pytest.fixture
def session(edition):
    return make_session(edition, title="Opening plenary", slug="opening", location="Forum Hall",
                        starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10, 30))


def test_session_ics_has_a_stable_uid_and_utc_times(client, session):
    response = client.get(f"/e/{session.edition.slug}/s/opening.ics")
    [event] = events_in(response)

    assert str(event["UID"]) == f"session-{session.guid}"
    assert str(event["SUMMARY"]) == "Opening plenary"
    # 09:00 in Prague (CEST) is 07:00 UTC; written in UTC so every calendar app agrees.
    assert b"DTSTART:20300926T070000Z" in response.content
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert str(event["STATUS"]) == "CONFIRMED"


def test_moving_a_session_keeps_its_uid_so_calendars_update_in_place(client, edition, session):
    before = session_ics(client, session)
    services.update_session(make_organiser(edition), session, starts_at=at(edition, 1, 14), ends_at=at(edition, 1, 15))

    after = session_ics(client, session)

    assert after["UID"] == before["UID"]
    assert after.decoded("DTSTART") == at(edition, 1, 14)
    assert after.decoded("DTSTART") != before.decoded("DTSTART")


def test_in_person_registrants_get_the_room_at_the_venue(client, edition, session):
    user = make_user()
    register(user, edition, mode="in_person")
    client.force_login(user)

    event = session_ics(client, session)

    assert str(event["LOCATION"]) == "Forum Hall, Prague Congress Centre, Prague"


def test_online_registrants_get_the_join_link(client, edition, session):
    user = make_user()
    register(user, edition, mode="online")
    client.force_login(user)

    event = session_ics(client, session)

    join_url = f"http://testserver/e/{edition.slug}/s/opening/"
    assert str(event["LOCATION"]) == join_url
    assert join_url in str(event["DESCRIPTION"])


def test_cancelled_session_is_marked_cancelled(client, edition):
    cancelled = make_session(edition, title="Called off", location="Room 2", status=Session.Status.CANCELLED)

    assert str(session_ics(client, cancelled)["STATUS"]) == "CANCELLED"


def test_agenda_feed_lists_bookmarked_sessions(client, edition, session):
    user = make_user()
    register(user, edition, mode="online")
    other_edition = make_edition()
    elsewhere = make_session(other_edition, title="Side event", location="Terrace")
    make_session(edition, title="Not bookmarked", location="Room 9")
    Bookmark.objects.create(user=user, session=session)
    Bookmark.objects.create(user=user, session=elsewhere)

    events = events_in(client.get(feed_url(user)))  # no login: the token is the credential

    assert {str(e["UID"]) for e in events} == {f"session-{session.guid}", f"session-{elsewhere.guid}"}
    by_title = {str(e["SUMMARY"]): e for e in events}
    # Online in this edition, not registered for the other: venue there.
    assert str(by_title["Opening plenary"]["LOCATION"]) == f"http://testserver/e/{edition.slug}/s/opening/"
    assert str(by_title["Side event"]["LOCATION"]).startswith("Terrace")
    assert by_title["Opening plenary"].decoded("DTSTART") == session.starts_at


def test_agenda_feed_shows_a_bookmarked_session_as_cancelled(client, edition, session):
    user = make_user()
    Bookmark.objects.create(user=user, session=session)
    services.update_session(make_organiser(edition), session, status=Session.Status.CANCELLED)

    [event] = events_in(client.get(feed_url(user)))

    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("token", ["bad%20token", "tok%C3%A9n", "abc.def", "x" * 65])
def test_malformed_token_is_rejected_with_a_message(client, db, token):
    response = client.get(f"/agenda/{token}.ics")

    assert response.status_code == 400
    assert b"Malformed calendar token" in response.content


def test_unknown_token_is_404(client, db):
    response = client.get("/agenda/wellformedButUnknown_token-123.ics")

    assert response.status_code == 404
    assert b"Unknown or revoked" in response.content


def test_renewing_the_link_revokes_the_old_one(client, session):
    user = make_user()
    Bookmark.objects.create(user=user, session=session)
    old_url = feed_url(user)
    assert client.get(old_url).status_code == 200

    client.force_login(user)
    response = client.post("/agenda/renew-link")
    assert response.status_code == 302
    client.logout()

    assert client.get(old_url).status_code == 404
    new_url = feed_url(user)
    assert new_url != old_url
    assert [str(e["UID"]) for e in events_in(client.get(new_url))] == [f"session-{session.guid}"]


def test_sequence_is_a_small_counter_of_calendar_changes(client, edition, session):
    organiser = make_organiser(edition)
    assert int(session_ics(client, session)["SEQUENCE"]) == 0
    services.update_session(organiser, session, starts_at=at(edition, 1, 14), ends_at=at(edition, 1, 15))
    assert int(session_ics(client, session)["SEQUENCE"]) == 1
    services.update_session(organiser, session, track="Policy")  # not shown by calendars
    assert int(session_ics(client, session)["SEQUENCE"]) == 1
    services.update_session(organiser, session, title="Opening plenary (moved)")
    assert int(session_ics(client, session)["SEQUENCE"]) == 2


def test_feeds_answer_304_to_readers_that_have_them_and_say_how_often_to_refresh(client, edition, session):
    user = make_user()
    Bookmark.objects.create(user=user, session=session)
    for url in (feed_url(user), f"/e/{edition.slug}/s/opening.ics", f"/e/{edition.slug}/schedule.xml",
                f"/e/{edition.slug}/schedule.json"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT"), url
        assert "no-cache" in first["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304 and again.content == b"", url
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    body = client.get(feed_url(user)).content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body and b"X-PUBLISHED-TTL:PT1H" in body
    # Leaving the agenda changes the feed's ETag although no session changed.
    etag = client.get(feed_url(user))["ETag"]
    Bookmark.objects.all().delete()
    assert client.get(feed_url(user), headers={"If-None-Match": etag}).status_code == 200
