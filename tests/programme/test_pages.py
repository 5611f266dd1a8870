"""The server-rendered pages, as a person using them sees them."""

import pytest

from attendance.models import Bookmark, Enrolment, Registration
from programme.models import Edition, Session
from tests.fixtures.factories import (
    PASSWORD,
    at,
    link_in,
    make_edition,
    make_session,
    make_user,
    register,
    sign_up_data,
)

pytestmark = pytest.mark.django_db


def test_edition_home_shows_theme_dates_venue_and_format(client, edition):
    page = client.get(f"/e/{edition.slug}/").content.decode()
    assert edition.theme in page
    assert "26 September–27 September 2030" in page
    assert "Prague Congress Centre, Prague" in page
    assert "Physical plus online" in page
    assert "Register for" in page


def test_programme_shows_venue_time_and_viewer_time(client, edition):
    make_session(edition, title="Opening", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10, 30))
    client.cookies["tz"] = "Asia%2FTokyo"  # as timezone.js stores it
    page = client.get(f"/e/{edition.slug}/programme/").content.decode()
    assert "Thursday 26 September 2030" in page
    assert "09:00–10:30" in page  # venue (Prague, CEST)
    assert "Your time: 16:00–17:30" in page  # Tokyo is 7 hours ahead of CEST
    # Without a known browser zone, UTC is used; an invalid cookie changes nothing.
    client.cookies["tz"] = "Not/AZone"
    assert "Your time: 07:00–08:30" in client.get(f"/e/{edition.slug}/programme/").content.decode()


def test_profile_time_zone_wins_over_browser_zone(client, edition):
    make_session(edition, starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    user = make_user(time_zone="America/New_York")
    client.force_login(user)
    client.cookies["tz"] = "Asia/Tokyo"
    assert "Your time: 03:00–04:00" in client.get(f"/e/{edition.slug}/programme/").content.decode()


def test_archive_lists_past_editions_only(client):
    import datetime as dt

    past = make_edition(title="Edition of 2020", start_date=dt.date(2020, 12, 1), end_date=dt.date(2020, 12, 2),
                        status=Edition.Status.ARCHIVED, format=Edition.Format.VIRTUAL)
    future = make_edition(title="Future edition")
    page = client.get("/archive/").content.decode()
    assert past.title in page and future.title not in page


def test_unknown_edition_and_session_are_404_with_a_message(client, edition):
    response = client.get("/e/nope/")
    assert response.status_code == 404 and "No edition “nope”" in response.content.decode()
    response = client.get(f"/e/{edition.slug}/s/nope/")
    assert response.status_code == 404 and "No session “nope”" in response.content.decode()


def test_sign_up_then_register_online(client, edition, mailoutbox):
    response = client.post("/accounts/signup/", sign_up_data("Ines Remote", "ines@example.org",
                                                             time_zone="Europe/Lisbon"))
    assert response.status_code == 302
    # Registering waits for the confirmed address: the link from the sign-up email.
    assert client.get(f"/e/{edition.slug}/register/").status_code == 403
    confirm = link_in(mailoutbox[0].body, "/accounts/confirm-email/")
    client.post(confirm)
    response = client.post(f"/e/{edition.slug}/register/", {"mode": "online"}, follow=True)
    assert "You are registered for" in response.content.decode()
    assert Registration.objects.get(user__email="ines@example.org").mode == "online"
    # Registering twice is refused with a message and changes nothing.
    response = client.post(f"/e/{edition.slug}/register/", {"mode": "bogus"}, follow=True)
    assert "Unknown attendance mode" in response.content.decode()
    assert Registration.objects.get(user__email="ines@example.org").mode == "online"


def test_sign_up_errors_are_shown(client):
    make_user(email="taken@example.org")
    response = client.post("/accounts/signup/", sign_up_data("X", "taken@example.org"))
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    response = client.post("/accounts/signup/", sign_up_data("Y", "y@example.org", time_zone="Mars/Base"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post("/accounts/signup/", sign_up_data("Z", "z@example.org", password="123"))
    assert "too short" in response.content.decode()


def test_login_page_logs_in_with_email(client):
    make_user("Lena", email="lena@example.org")
    response = client.post("/accounts/login/", {"login": "lena@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "Lena" in client.get("/archive/").content.decode()


def test_side_event_page_waiting_list_flow(client, edition):
    event = make_session(edition, title="Cluster networks meeting", kind=Session.Kind.SIDE_EVENT, capacity=1,
                         attendance_format="in_person")
    first, second = make_user(), make_user()
    register(first, edition, "in_person")
    register(second, edition, "in_person")
    url = f"/e/{edition.slug}/s/{event.slug}/"
    client.force_login(first)
    assert "You have a place" in client.post(url + "enrol", follow=True).content.decode()
    client.force_login(second)
    page = client.post(url + "enrol", follow=True).content.decode()
    assert "you are number 1 on the waiting list" in page
    assert "0 left" in page
    client.force_login(first)
    client.post(url + "enrol", {"action": "leave"})
    assert Enrolment.objects.get(user=second, session=event).status == "enrolled"


def test_bookmark_from_programme_and_see_it_in_agenda(client, edition, attendee):
    session = make_session(edition, title="Cluster policy panel", starts_at=at(edition, 1, 14),
                           ends_at=at(edition, 1, 15))
    client.force_login(attendee)
    client.post(f"/e/{edition.slug}/s/{session.slug}/bookmark", {"next": f"/e/{edition.slug}/programme/"})
    assert Bookmark.objects.filter(user=attendee, session=session).exists()
    page = client.get("/agenda/").content.decode()
    assert "Cluster policy panel" in page
    assert "08:00–09:00" in page  # attendee's profile zone is New York: 14:00 CEST = 08:00 EDT
    assert "/agenda/" in page and ".ics" in page


def test_pages_need_login_for_personal_actions(client, edition):
    session = make_session(edition)
    response = client.post(f"/e/{edition.slug}/s/{session.slug}/bookmark")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Bookmark.objects.exists()


def test_admin_lists_sessions_with_search_and_filters(admin_client, edition):
    make_session(edition, title="Industrial symbiosis workshop", kind=Session.Kind.WORKSHOP)
    make_session(edition, title="Plenary on AI")
    page = admin_client.get("/admin/programme/session/?q=symbiosis").content.decode()
    assert "Industrial symbiosis workshop" in page and "Plenary on AI" not in page
    page = admin_client.get("/admin/programme/session/?kind__exact=workshop").content.decode()
    assert "Industrial symbiosis workshop" in page and "Plenary on AI" not in page
    for model in ["programme/edition", "attendance/registration", "programme/editionrole", "people/profile"]:
        assert admin_client.get(f"/admin/{model}/").status_code == 200


def test_edition_home_lists_sessions_live_now_and_starting_soon(client):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    edition = make_edition(start_date=(now - dt.timedelta(days=1)).date(), end_date=(now + dt.timedelta(days=1)).date(),
                           time_zone="UTC")
    make_session(edition, title="Running plenary", starts_at=now - dt.timedelta(minutes=10),
                 ends_at=now + dt.timedelta(minutes=50))
    make_session(edition, title="Panel in a bit", starts_at=now + dt.timedelta(minutes=20),
                 ends_at=now + dt.timedelta(minutes=80))
    make_session(edition, title="Tomorrow's talk", starts_at=now + dt.timedelta(hours=20),
                 ends_at=now + dt.timedelta(hours=21))
    page = client.get(f"/e/{edition.slug}/").content.decode()
    section = page[page.index("Happening now and next"):page.index("Registration")]
    assert "Running plenary" in section and "Live now" in section
    assert "Panel in a bit" in section and "Starting soon" in section
    assert "Tomorrow's talk" not in section
