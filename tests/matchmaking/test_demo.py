"""`make run`'s demo data holds a matchmaking event people can try at once."""

import pytest
from django.contrib.auth import get_user_model

from demo.builder import load_demo
from matchmaking import queries
from matchmaking.models import MatchmakingEvent, MeetingRequest

pytestmark = pytest.mark.django_db


def test_demo_edition_has_a_matchmaking_event_in_booking_with_meetings_of_each_kind(client):
    load_demo()
    event = MatchmakingEvent.objects.get(session__edition__slug="demo")
    users = {u.username.split("@")[0]: u for u in get_user_model().objects.filter(username__endswith="@demo.example")}

    assert event.phase == MatchmakingEvent.Phase.BOOKING_OPEN
    assert event.participants.count() == 22 and event.slots.filter(kind="break").count() == 1
    statuses = set(event.requests.values_list("status", flat=True))
    assert {MeetingRequest.Status.SCHEDULED, MeetingRequest.Status.PENDING, MeetingRequest.Status.DECLINED} <= statuses
    _, onsite_meetings = queries.agenda(users["onsite"], event)
    _, online_meetings = queries.agenda(users["attendee"], event)
    assert any(item.request.table for item in onsite_meetings)  # on-site pairs sit at tables
    assert online_meetings and all(item.request.video_link for item in online_meetings if not item.held)

    client.login(username="organiser@demo.example", password="demo-organiser")
    assert client.get("/e/demo/matchmaking/b2b-matchmaking/organise/").status_code == 200
    assert client.get("/admin/matchmaking/meetingrequest/").status_code == 200
