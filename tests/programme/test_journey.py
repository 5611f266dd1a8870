"""The attendee's journey: Join now wherever a live session appears, the personal agenda
(conflicts, B2B meetings, the calendar link), and the bugs found by trying it as a newcomer."""

import datetime as dt

import pytest
from django.utils import timezone

from matchmaking import services as matchmaking
from programme.models import Session
from reminders.models import Notification
from tests.fixtures.factories import at, make_edition, make_session, make_user, register
from tests.matchmaking.conftest import join, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(db):
    now = timezone.now()
    edition = make_edition(slug="live-edition", start_date=(now - dt.timedelta(days=1)).date(),
                           end_date=(now + dt.timedelta(days=1)).date(), time_zone="UTC")
    session = make_session(edition, title="Live plenary", slug="live-plenary",
                           starts_at=now - dt.timedelta(minutes=10), ends_at=now + dt.timedelta(minutes=50))
    make_session(edition, title="In the hall only", slug="hall", attendance_format="in_person", location="Hall C",
                 starts_at=now - dt.timedelta(minutes=10), ends_at=now + dt.timedelta(minutes=30))
    person = make_user("Nina Now")
    register(person, edition, "online")
    return session, person


def test_join_now_on_programme_session_page_agenda_and_notifications(client, live):
    session, person = live
    room = f'href="/rooms/{session.room.pk}/"'
    client.force_login(person)
    edition = session.edition
    for url in (f"/e/{edition.slug}/programme/", f"/e/{edition.slug}/programme/?view=grid",
                f"/e/{edition.slug}/s/live-plenary/", f"/e/{edition.slug}/"):
        html = client.get(url).content.decode()
        assert room in html and "Join now" in html, url
    client.post(f"/e/{edition.slug}/s/live-plenary/bookmark")
    html = client.get("/agenda/").content.decode()
    assert f'class="button join" {room}' in html
    Notification.objects.create(user=person, kind="reminder", title="Live plenary starts in 15 minutes",
                                url=f"/e/{edition.slug}/s/live-plenary/", session=session)
    html = client.get("/notifications/").content.decode()
    assert f'class="button join" {room}' in html
    # The in-person-only session has no live room to join.
    assert html.count("Join now</a>") == 1


def test_online_attendee_sees_why_an_in_person_side_event_cannot_be_joined(client, edition):
    event = make_session(edition, title="Cluster managers' breakfast", slug="breakfast",
                         kind=Session.Kind.SIDE_EVENT, capacity=10, attendance_format="in_person")
    online = make_user("Olivia Online")
    register(online, edition, "online")
    client.force_login(online)
    page = client.get(f"/e/{edition.slug}/s/breakfast/").content.decode()
    assert "takes place in person only and you registered to attend online" in page
    assert "Change my registration" in page
    assert ">Enrol</button>" not in page
    # Posting anyway (an old tab): back on the session page with the reason, never a bare 405.
    response = client.post(f"/e/{edition.slug}/s/breakfast/enrol", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/e/{edition.slug}/s/breakfast/", 302)]
    assert "takes place in person only" in response.content.decode()
    assert not event.enrolments.exists()


def test_a_refused_bookmark_goes_back_to_the_session_page(client, edition):
    make_session(edition, slug="talk")
    client.force_login(make_user())
    response = client.post(f"/e/{edition.slug}/s/talk/bookmark", {"action": "remove"}, follow=True)
    assert response.redirect_chain == [(f"/e/{edition.slug}/s/talk/", 302)]
    assert "This session is not in your agenda." in response.content.decode()


def test_your_time_only_when_the_clock_differs(client, edition):
    make_session(edition, title="Opening", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    client.cookies["tz"] = "Europe/Berlin"  # another name, the same clock as Prague
    page = client.get(f"/e/{edition.slug}/programme/").content.decode()
    assert "Your time" not in page and "with your time" not in page
    client.cookies["tz"] = "Europe/London"
    page = client.get(f"/e/{edition.slug}/programme/").content.decode()
    assert "Your time: 08:00–09:00" in page


def test_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO
    assert 'rel="icon"' in client.get("/archive/").content.decode()


def test_brand_and_edition_navigation_stay_on_every_page(client, edition):
    client.force_login(make_user())
    nav = f'<a href="/e/{edition.slug}/programme/">Programme</a>'
    for url in ("/agenda/", "/notifications/", "/archive/", "/reminders/", f"/e/{edition.slug}/",
                f"/e/{edition.slug}/programme/", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert f'<a class="brand" href="/">{edition.series.name}</a>' in html, url
        assert nav in html, url


def test_agenda_flags_conflicts_and_lists_b2b_meetings(client, edition, organiser):
    event = make_event(edition, organiser)
    anna, ben = join(event, "Anna"), join(event, "Ben")
    meeting = matchmaking.accept(ben.user, event, matchmaking.request_meeting(anna.user, event, ben.pk).pk)
    clash_a = make_session(edition, title="Morning panel", starts_at=at(edition, 1, 9), ends_at=at(edition, 1, 10))
    clash_b = make_session(edition, title="Morning workshop", starts_at=at(edition, 1, 9, 30),
                           ends_at=at(edition, 1, 11))
    apart = make_session(edition, title="Afternoon talk", starts_at=at(edition, 1, 14), ends_at=at(edition, 1, 15))
    client.force_login(anna.user)
    for session in (clash_a, clash_b, apart):
        client.post(f"/e/{edition.slug}/s/{session.slug}/bookmark")
    client.post(f"/e/{edition.slug}/s/{event.session.slug}/bookmark")
    html = client.get("/agenda/").content.decode()
    assert "2 items of your agenda overlap with others" in html
    assert "at the same time as Morning workshop" in html and "at the same time as Morning panel" in html
    afternoon = html[html.index("Afternoon talk"):]
    assert "Overlaps" not in afternoon[:afternoon.index("</article>")]
    # The B2B meeting is on the agenda, inside its matchmaking session without clashing with it.
    assert "B2B meeting: Ben" in html
    meeting_item = html[html.index("B2B meeting: Ben"):]
    assert "Overlaps" not in meeting_item[:meeting_item.index("</article>")]
    assert meeting.slot is not None


def test_agenda_calendar_link_has_a_copy_button(client, edition):
    client.force_login(make_user())
    html = client.get("/agenda/").content.decode()
    assert '<input id="feed-url" readonly value="http://testserver/agenda/' in html
    assert 'data-copy="feed-url"' in html and "Copy link" in html
    assert '<label for="feed-url" class="visually-hidden">Calendar link</label>' in html
