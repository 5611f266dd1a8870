"""One text rule everywhere text comes in (conference.text): the API, the organiser admin,
pages' forms, addresses, the services, and a last check before the database. Runs on
SQLite and on PostgreSQL (where a NUL would otherwise fail in the database)."""

import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.test import Client

from chat import polls
from chat.services import actor_for
from conference import text
from conference.errors import InvalidInput
from people.models import Profile
from programme.models import Session
from rooms.models import Room
from tests.fixtures.factories import PASSWORD, at, make_organiser, make_session, make_user

pytestmark = pytest.mark.django_db

BAD = {"NUL": "Opening\x00plenary", "escape": "Opening\x1b[31m", "DEL": "Open\x7fing", "C1": "Open\x85ing",
       "lone surrogate": "Open\ud800ing", "noncharacter": "Open\uffffing"}


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_the_rule_refuses_control_characters_surrogates_and_noncharacters(value):
    assert text.problem(value) and text.problem(value, multiline=True)
    with pytest.raises(InvalidInput) as refused:
        text.clean_text(value, max_length=100, what="title")
    assert refused.value.code == "invalid" and refused.value.field == "title"
    assert "U+" in refused.value.message


def test_line_breaks_and_tabs_only_in_multi_line_text_and_lengths_are_limited():
    assert text.problem("two\nlines") and text.problem("a\ttab") and text.problem("a\u2028b")
    assert text.clean_text(" two\r\nlines\rand\ttabs ", max_length=50, multiline=True) == "two\nlines\nand\ttabs"
    assert text.clean_text("Zürich 👏 — “quotes”", max_length=50) == "Zürich 👏 — “quotes”"
    with pytest.raises(InvalidInput) as too_long:
        text.clean_text("x" * 11, max_length=10)
    assert too_long.value.code == "too_long"
    with pytest.raises(InvalidInput):
        text.clean_text("   ", max_length=10)
    assert text.clean_text("", max_length=10, required=False) == ""


@pytest.mark.parametrize("field", ["title", "abstract", "location", "track"])
def test_a_nul_in_a_session_never_gets_through_the_api(client, edition, organiser, field):
    client.force_login(organiser)
    body = {"title": "Opening", "starts_at": "2030-09-26T09:00:00+02:00", "ends_at": "2030-09-26T10:00:00+02:00",
            field: "Hall\x00A"}
    response = client.post(f"/api/editions/{edition.slug}/sessions", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and "U+0000" in response.json()["message"]
    assert not Session.objects.filter(edition=edition).exists()

    session = make_session(edition, title="Clean title")
    response = client.patch(f"/api/sessions/{session.pk}", {field: "a\x00"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == field
    session.refresh_from_db()
    track = session.track.name if session.track else ""  # a Track (programme.models) since tracks have colours
    assert session.title == "Clean title" and "\x00" not in session.abstract + session.location + track


def test_the_api_refuses_a_line_break_in_a_title_but_keeps_one_in_an_abstract(client, edition, organiser):
    client.force_login(organiser)
    body = {"title": "Opening\nplenary", "starts_at": "2030-09-26T09:00:00+02:00",
            "ends_at": "2030-09-26T10:00:00+02:00"}
    refused = client.post(f"/api/editions/{edition.slug}/sessions", body, content_type="application/json")
    assert refused.status_code == 422 and "single line" in refused.json()["message"]
    body = {**body, "title": "Opening plenary", "abstract": "First line.\nSecond line."}
    created = client.post(f"/api/editions/{edition.slug}/sessions", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["abstract"] == "First line.\nSecond line."


def test_api_ids_beyond_the_database_range_and_strings_as_counts_are_refused(client, edition, organiser):
    client.force_login(organiser)
    for path in ["/api/sessions/9223372036854775808", "/api/sessions/0", "/api/sessions/99999999999999999999999"]:
        response = client.get(path)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["field"] == "session_id"
    assert client.get("/api/sessions/9223372036854775807").status_code == 404
    session = make_session(edition)
    for capacity in ["12", True, 2**40]:
        response = client.patch(f"/api/sessions/{session.pk}", {"capacity": capacity},
                                content_type="application/json")
        assert response.status_code == 422 and response.json()["field"] == "capacity", capacity


def test_anonymous_unsafe_api_calls_get_401_even_without_a_csrf_token(edition):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/api/editions/{edition.slug}/registration", {"mode": "online"},
                            content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "login_required"


def test_addresses_and_query_strings_with_control_characters_get_a_clear_400(client, edition):
    page = client.get(f"/e/{edition.slug}/programme/", {"kind": "panel\x00"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "control character (U+0000)" in html and "kind" in html and 'class="site"' in html  # the site's layout
    api = client.get(f"/api/editions/{edition.slug}%00/sessions")
    assert api.status_code == 400
    assert api.json() == {"code": "invalid", "message": api.json()["message"], "field": "path"}
    assert client.get("/api/agenda", {"edition": "x\x01"}).status_code == 400


def test_the_admin_refuses_a_control_character_in_a_session_title(client, edition):
    admin = make_user("Ada Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    form = {"edition": edition.pk, "slug": "opening", "title": "Opening\x01plenary", "abstract": "Line one\r\nLine two",
            "kind": "plenary", "track": "", "language": "en", "starts_at_0": "2030-09-26", "starts_at_1": "09:00:00",
            "ends_at_0": "2030-09-26", "ends_at_1": "10:00:00", "attendance_format": "hybrid", "location": "",
            "access": "open", "status": "scheduled"}
    page = client.post("/admin/programme/session/add/", form)
    assert page.status_code == 200  # the form again, with the error
    assert "This text contains a control character (U+0001)" in page.content.decode()
    assert not Session.objects.filter(edition=edition).exists()

    client.post("/admin/programme/session/add/", {**form, "title": "Opening plenary"})
    session = Session.objects.get(edition=edition)
    assert session.title == "Opening plenary" and session.abstract == "Line one\r\nLine two"


def test_sign_up_and_profile_forms_refuse_control_characters(client):
    page = client.post("/accounts/signup/", {"name": "Eve\x07", "email": "eve@example.org", "password": PASSWORD})
    assert page.status_code == 400 and "control character (U+0007)" in page.content.decode()
    assert not Profile.objects.filter(user__email="eve@example.org").exists()
    user = make_user("Eve Example")
    client.force_login(user)
    page = client.post("/accounts/profile/", {"name": "Eve\u2028Example", "bio": "Hello\x00"})
    assert "must be a single line" in page.content.decode()
    assert Profile.objects.get(user=user).name == "Eve Example"


def test_services_refuse_what_a_socket_or_page_could_send(edition):
    organiser = make_organiser(edition)
    session = make_session(edition, title="Panel", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    session.moderators.add(organiser)
    member = actor_for(organiser, Room.objects.get(session=session).pk)
    for options in (["Yes", "No\x00"], ["Yes", "\ud800"], ["Yes", "No\nway"]):
        with pytest.raises(InvalidInput) as refused:
            polls.create_poll(member, "Which one?", options)
        assert refused.value.field == "options"
    with pytest.raises(InvalidInput):
        polls.create_poll(member, "Which\x00one?", ["Yes", "No"])


@pytest.mark.parametrize("value", ["Hall\x00A", "Hall\ud800A"], ids=["NUL", "lone surrogate"])
def test_the_last_check_refuses_such_text_before_the_database(edition, value):
    session = make_session(edition, title="Panel")
    session.location = value
    with pytest.raises(InvalidInput) as refused:
        session.save()  # a service that forgot to check: still no database error, no stored text
    assert refused.value.field == "location"
    assert Session.objects.get(pk=session.pk).location == ""
    with pytest.raises(InvalidInput):
        Session.objects.create(edition=edition, slug="x", title="Title\x00", starts_at=session.starts_at,
                               ends_at=session.ends_at)


def test_exports_stay_well_formed_with_text_stored_before_the_rule(client, edition):
    session = make_session(edition, title="Opening plenary")
    # Text from before the rule existed (update() writes past every check, as old rows were written).
    Session.objects.filter(pk=session.pk).update(title="Opening\x01plenary", location="Hall\x1aA",
                                                 abstract="About\x0bclusters")
    xml = client.get(f"/e/{edition.slug}/schedule.xml")
    root = ET.fromstring(xml.content)  # well-formed
    assert root.find(".//event/title").text == "Opening\ufffdplenary"
    ics = client.get(f"/e/{edition.slug}/s/{session.slug}.ics")
    assert ics.status_code == 200 and b"\x01" not in ics.content and b"\x0b" not in ics.content
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Opening\ufffdplenary"


def test_mangled_ids_posted_by_forms_get_a_message_not_a_server_error(client):
    user = make_user("Dora Device")
    client.force_login(user)
    for token in ["abc", "", "99999999999999999999999", "-1"]:
        page = client.post("/accounts/devices/", {"action": "revoke", "token": token}, follow=True)
        assert page.status_code == 200
        assert "does not exist; reload the page" in page.content.decode()
