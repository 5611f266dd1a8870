"""The matchmaking pages: joining, the marketplace and its filters, requesting and accepting,
the printable agenda and the calendar feed, who may see what, and the organisers' dashboard."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from matchmaking import organiser as organising
from matchmaking import services
from matchmaking.models import MeetingRequest, Participant
from people.services import profile_of
from programme.models import Session
from tests.fixtures.factories import at, make_user, register

from .conftest import join

pytestmark = pytest.mark.django_db


def url(event, name, *args):
    return reverse(name, args=[event.session.edition.slug, event.session.slug, *args])


def as_user(client, participant_or_user):
    user = getattr(participant_or_user, "user", participant_or_user)
    client.force_login(user)
    return client


def test_registered_attendee_joins_from_the_event_page(client, event, attendee):
    register(attendee, event.session.edition, "online")
    page = as_user(client, attendee).get(url(event, "matchmaking-event"))
    assert "Join the matchmaking" in page.content.decode()

    response = client.post(url(event, "matchmaking-event"), {
        "organisation": "Attendee Robotics", "sector": "digital", "country": "US", "cluster": "", "description": ""})
    assert response.status_code == 302 and response.url == url(event, "matchmaking-profile")
    participant = Participant.objects.get(user=attendee)
    assert (participant.organisation, participant.mode, participant.country.code) == (
        "Attendee Robotics", "online", "US")


def test_someone_not_registered_is_sent_to_register_first(client, event, attendee):
    page = as_user(client, attendee).get(url(event, "matchmaking-event")).content.decode()
    assert "Register for" in page and "Join the matchmaking" not in page


def test_non_participants_cannot_see_profiles_of_a_closed_event(client, event, anna):
    outsider = make_user("Outsider")
    for page in (url(event, "matchmaking-marketplace"), url(event, "matchmaking-participant", anna.pk)):
        response = as_user(client, outsider).get(page)
        assert response.status_code == 403
        assert "Only participants of this matchmaking event can see its profiles." in response.content.decode()
        assert "Anna Ltd" not in response.content.decode()
    Session.objects.filter(pk=event.session_id).update(access=Session.Access.OPEN)
    assert "Anna Ltd" in client.get(url(event, "matchmaking-marketplace")).content.decode()


def test_anonymous_visitors_are_asked_to_log_in(client, event):
    response = client.get(url(event, "matchmaking-marketplace"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_marketplace_search_and_filters(client, event, anna, ben, otto):
    services.add_listing(anna.user, event, direction="offer", category="expertise",
                         title="Hydrogen testing lab", tags="Hydrogen, testing")
    services.add_listing(ben.user, event, direction="request", category="investment", title="Seed investors")
    services.add_listing(otto.user, event, direction="offer", category="investment", title="Venture fund")
    viewer = as_user(client, join(event, "Viewer"))

    def found(**query):
        page = viewer.get(url(event, "matchmaking-marketplace"), query).content.decode()
        return {name for name in ("Anna Ltd", "Ben Ltd", "Otto Online Ltd") if name in page}

    assert found() == {"Anna Ltd", "Ben Ltd", "Otto Online Ltd"}
    assert found(q="hydrogen") == {"Anna Ltd"}
    assert found(sector="digital") == {"Ben Ltd", "Otto Online Ltd"}
    assert found(country="DE") == {"Ben Ltd"}
    assert found(category="investment") == {"Ben Ltd", "Otto Online Ltd"}
    assert found(category="investment", direction="offer") == {"Otto Online Ltd"}
    assert found(mode="online") == {"Otto Online Ltd"}


def test_request_and_accept_through_the_pages(client, event, anna, ben):
    slot = event.slots.all()[1]
    as_user(client, anna).post(url(event, "matchmaking-participant", ben.pk),
                               {"note": "Sensors for hospitals?", "slot": slot.pk})
    request = MeetingRequest.objects.get()
    assert (request.note, request.slot) == ("Sensors for hospitals?", slot)

    inbox = as_user(client, ben).get(url(event, "matchmaking-requests")).content.decode()
    assert "Sensors for hospitals?" in inbox and "Anna Ltd" in inbox
    client.post(url(event, "matchmaking-request-action", request.pk, "accept"), {"note": "See you"})
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.SCHEDULED

    # Asking again shows the reason on the page instead of failing.
    response = client.post(url(event, "matchmaking-participant", anna.pk), {"note": "again"}, follow=True)
    assert "There is already a meeting request between you and Anna" in response.content.decode()


def test_printable_agenda_with_table_and_in_the_calendar_feed(client, event, anna, ben):
    request = services.accept(ben.user, event, services.request_meeting(anna.user, event, ben.pk).pk)
    page = as_user(client, anna).get(url(event, "matchmaking-agenda")).content.decode()
    assert "Ben" in page and "Table 1" in page
    assert "matchmaking/matchmaking.css" in page and 'data-print' in page

    feed = client.get(reverse("agenda-feed", args=[profile_of(anna.user).feed_token]))
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT") if str(c["uid"]).startswith("meeting-")]
    assert len(events) == 1
    assert str(events[0]["uid"]) == f"meeting-{request.guid}"
    assert str(events[0]["location"]).startswith("Table 1, Matchmaking area")
    assert events[0].decoded("dtstart") == request.slot.starts_at


def test_dashboard_is_for_organisers_and_runs_the_scheduler(client, event, organiser, anna, ben):
    MeetingRequest.objects.create(event=event, requester=anna, recipient=ben, status=MeetingRequest.Status.ACCEPTED)
    assert as_user(client, anna).get(url(event, "matchmaking-dashboard")).status_code == 403

    as_user(client, organiser)
    page = client.get(url(event, "matchmaking-dashboard")).content.decode()
    assert "1 accepted request waits for a slot" in page
    response = client.post(url(event, "matchmaking-change", "schedule"), follow=True)
    assert "The scheduler placed 1 meetings; 0 could not be placed." in response.content.decode()
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.SCHEDULED

    response = client.post(url(event, "matchmaking-change", "phase"), {"phase": "final"}, follow=True)
    assert "Agendas final" in response.content.decode()
    assert MeetingRequest.objects.get().locked


def test_organiser_creates_slots_with_a_break_from_the_dashboard(client, edition, organiser):
    session = Session.objects.create(edition=edition, slug="mm", title="Matchmaking", kind="matchmaking",
                                     starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 11))
    event = organising.configure_event(organiser, session, meeting_minutes=30)
    as_user(client, organiser).post(url(event, "matchmaking-change", "slots"), {"breaks": "10:00-10:30 Coffee"})
    assert [s.kind for s in event.slots.all()] == ["meeting", "meeting", "break", "meeting"]
    response = client.post(url(event, "matchmaking-change", "slots"), {"breaks": "ten o'clock"}, follow=True)
    assert "is not a break like" in response.content.decode()
