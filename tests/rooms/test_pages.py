"""The live room pages' access rules and what they say when someone may not enter
(Django test client; the live parts are tested in tests/e2e/test_live_room.py)."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from chat.models import Question
from programme.models import Session
from rooms.models import Room
from tests.fixtures.factories import make_edition, make_session, make_user
from tests.rooms.conftest import World


@pytest.fixture
def world(db):
    return World()


def url(world, page: str = "") -> str:
    return f"/rooms/{world.room.pk}/{page + '/' if page else ''}"


def config_of(response) -> dict:
    match = re.search(r'<script id="room-config" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    assert match, "the page carries its configuration for the JavaScript client"
    return json.loads(match.group(1))


def test_registered_attendee_gets_the_room_page(client, world):
    client.force_login(world.online)
    response = client.get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opening plenary" in html
    assert "The stream appears here." in html
    assert 'src="/static/rooms/room.js"' in html and 'type="module"' in html
    config = config_of(response)
    assert config["room"] == world.room.pk
    assert config["you"]["name"] == "Olivia Online" and config["you"]["is_moderator"] is False
    assert [r["emoji"] for r in config["reactions"]] == ["👏", "❤️", "😂", "😮", "👍", "🎉"]
    # Attendees get no link to the moderator console.
    assert url(world, "moderate") not in html


def test_a_person_without_a_confirmed_address_is_told_how_to_take_part(client, world):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=world.online).update(verified=False)
    client.force_login(world.online)
    html = client.get(url(world)).content.decode()
    assert "To ask questions, vote and chat, <a href=\"/accounts/verify/?next=" in html
    assert "data-chat-form" not in html and "data-ask-form" not in html


def test_anonymous_visitor_is_asked_to_log_in(client, world):
    response = client.get(url(world))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Log in to join this room." in html
    assert f'href="/accounts/login/?next=/rooms/{world.room.pk}/"' in html


def test_person_not_registered_is_asked_to_register_first(client, world):
    client.force_login(world.outsider)
    response = client.get(url(world))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Register first" in html
    assert f'href="/e/{world.edition.slug}/register/?next=' in html
    assert "Register for Live edition" in html


def test_closed_room_turns_attendees_away_but_not_moderators(client, world):
    Room.objects.filter(pk=world.room.pk).update(state=Room.State.CLOSED)
    client.force_login(world.online)
    response = client.get(url(world))
    assert response.status_code == 409
    assert "This room is closed at the moment." in response.content.decode()
    client.force_login(world.moderator)
    assert client.get(url(world)).status_code == 200
    assert client.get(url(world, "moderate")).status_code == 200


def test_moderator_console_is_for_moderators_only(client, world):
    response = client.get(url(world, "moderate"))
    assert response.status_code == 403
    assert "Log in to open the moderator console" in response.content.decode()
    client.force_login(world.online)
    response = client.get(url(world, "moderate"))
    assert response.status_code == 403
    assert "Only the moderators of this room can open the moderator console." in response.content.decode()
    client.force_login(world.speaker)
    assert client.get(url(world, "moderate")).status_code == 403
    client.force_login(world.moderator)
    response = client.get(url(world, "moderate"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waiting for approval" in html and "Create draft" in html and "Slow mode" in html
    assert config_of(response)["you"]["is_moderator"] is True


def test_speaker_view_is_for_speakers_and_moderators(client, world):
    client.force_login(world.online)
    response = client.get(url(world, "speaker"))
    assert response.status_code == 403
    assert "Only the speakers and moderators of this room can open the speaker view." in response.content.decode()
    for person in (world.speaker, world.moderator):
        client.force_login(person)
        response = client.get(url(world, "speaker"))
        assert response.status_code == 200
        assert "Questions by votes" in response.content.decode()


def test_projector_shows_the_highlighted_question_and_a_qr_code_to_join(client, world, settings):
    settings.SITE_URL = "https://conference.example.org"
    Question.objects.create(room=world.room, author=world.online, text="Is <b>this</b> on screen?",
                            status="visible", highlighted=True, votes=3)
    Question.objects.create(room=world.room, author=world.onsite, text="Still waiting", status="pending")
    client.force_login(world.moderator)
    response = client.get(url(world, "projector"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is &lt;b&gt;this&lt;/b&gt; on screen?" in html  # text, never markup
    assert "Still waiting" not in html
    join = f"conference.example.org/e/{world.edition.slug}/s/{world.session.slug}/"
    assert f'<p class="join-url">{join}</p>' in html
    assert re.search(r'<svg [^>]*role="img"[^>]*><title id="qr-title">QR code to join this session</title>', html)
    assert "<path" in html


def test_projector_is_refused_to_people_who_may_not_be_in_the_room(client, world):
    client.force_login(world.outsider)
    assert client.get(url(world, "projector")).status_code == 403


def test_unknown_room_is_not_found(client, world):
    client.force_login(world.moderator)
    for page in ("", "moderate", "speaker", "projector"):
        response = client.get(f"/rooms/999999/{page + '/' if page else ''}")
        assert response.status_code == 404
        assert "No room with id 999999." in response.content.decode()


def test_open_session_room_lets_visitors_in_to_read(client, db):
    edition = make_edition(slug="open-edition")
    session = make_session(edition, title="Public keynote", access=Session.Access.OPEN)
    response = client.get(f"/rooms/{session.room.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "to chat." in html and "to ask and vote." in html
    assert config_of(response)["loggedIn"] is False


def test_session_page_offers_the_live_room_to_those_who_may_join(client, world):
    page = f"/e/{world.edition.slug}/s/{world.session.slug}/"
    html = client.get(page).content.decode()
    assert "to join the live room" in html and f"next=/rooms/{world.room.pk}/" in html
    client.force_login(world.online)
    html = client.get(page).content.decode()
    assert f'<a class="button" href="/rooms/{world.room.pk}/">Join the live room</a>' in html
    assert "Moderator console" not in html
    client.force_login(world.moderator)
    html = client.get(page).content.decode()
    assert f'href="/rooms/{world.room.pk}/moderate/">Moderator console</a>' in html
    client.force_login(world.outsider)
    html = client.get(page).content.decode()
    assert "Join the live room" not in html
    assert "Live room: This room is for registered or invited participants." in html


def test_edition_home_has_a_join_button_for_sessions_happening_now(client, db):
    edition = make_edition(slug="now-edition")
    now = timezone.now()
    live = make_session(edition, title="Live right now", starts_at=now - dt.timedelta(minutes=10),
                        ends_at=now + dt.timedelta(minutes=50))
    make_session(edition, title="In the hall only", starts_at=now - dt.timedelta(minutes=5),
                 ends_at=now + dt.timedelta(minutes=30), attendance_format=Session.AttendanceFormat.IN_PERSON,
                 location="Hall C")
    client.force_login(make_user("Nina Now"))
    html = client.get(f"/e/{edition.slug}/").content.decode()
    assert "Happening now" in html
    assert f'href="/rooms/{live.room.pk}/" aria-label="Join now: Live right now">Join now</a>' in html
    assert html.count("Join now</a>") == 1  # the in-person-only session has no live room
