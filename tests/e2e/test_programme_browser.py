"""The programme in a real browser: a day's timetable narrowed by a search, a speaker page reached
from it, and a side event's refusal explained on the page (never a bare 405)."""

import pytest
from playwright.sync_api import expect

from programme.models import Session
from tests.e2e.test_live_room import browser_of
from tests.fixtures.factories import at, make_edition, make_session, make_user, register

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def edition(transactional_db):
    edition = make_edition(title="Cluster Conference 2030", slug="ecc-2030")
    jana = make_user("Jana Nováková", organisation="Moravian Cluster", bio="Runs a cluster of 120 companies.")
    hydrogen = make_session(edition, title="Hydrogen valleys workshop", slug="hydrogen", location="Room 2",
                            kind=Session.Kind.WORKSHOP, track="Green transition",
                            starts_at=at(edition, 1, 9, 30), ends_at=at(edition, 1, 11))
    hydrogen.speakers.add(jana)
    make_session(edition, title="Digital skills panel", slug="skills", location="Forum Hall",
                 starts_at=at(edition, 1, 9), ends_at=at(edition, 1, 10))
    make_session(edition, title="Opening plenary", slug="opening", location="Forum Hall",
                 starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    make_session(edition, title="Cluster managers' breakfast", slug="breakfast", kind=Session.Kind.SIDE_EVENT,
                 capacity=20, attendance_format="in_person", location="Meeting room A",
                 starts_at=at(edition, 1, 8), ends_at=at(edition, 1, 9))
    return edition


def test_timetable_of_a_day_with_a_search_then_a_speaker_page(edition, live_server_url, page_in):
    page = page_in("Europe/Prague")
    page.goto(f"{live_server_url}/e/ecc-2030/programme/")
    page.get_by_role("link", name="Timetable by room").click()
    page.get_by_role("navigation", name="Days").get_by_role("link", name="Fri 27 Sep").click()
    grid = page.get_by_role("table")
    expect(grid).to_contain_text("Hydrogen valleys workshop")
    expect(grid).to_contain_text("Digital skills panel")
    expect(grid.get_by_role("columnheader", name="Room 2")).to_be_visible()
    expect(grid).not_to_contain_text("Opening plenary")  # another day

    page.get_by_label("Search titles, abstracts and speakers").fill("Nováková")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="matches")).to_have_text("1 session matches.")
    grid = page.get_by_role("table")
    expect(grid).to_contain_text("Hydrogen valleys workshop")
    expect(grid).not_to_contain_text("Digital skills panel")
    assert "view=grid" in page.url and "day=2030-09-27" in page.url  # the day and view stay

    grid.get_by_role("link", name="Hydrogen valleys workshop").click()
    page.get_by_role("link", name="Jana Nováková").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jana Nováková")
    expect(page.locator("main")).to_contain_text("Moravian Cluster")
    expect(page.locator("main")).to_contain_text("Runs a cluster of 120 companies.")
    expect(page.locator("main")).to_contain_text("Hydrogen valleys workshop")


def test_an_online_attendee_is_told_why_the_in_person_side_event_is_not_for_them(edition, live_server_url, page_in):
    online = make_user("Olivia Online")
    register(online, edition, "online")
    page = browser_of(page_in, live_server_url, online)
    page.goto(f"{live_server_url}/e/ecc-2030/s/breakfast/")
    refusal = page.locator("[data-refusal='mode_mismatch']")
    expect(refusal).to_contain_text("takes place in person only and you registered to attend online")
    expect(page.get_by_role("button", name="Enrol")).to_have_count(0)
    refusal.get_by_role("link", name="Change my registration").click()
    page.get_by_label("In person").check()
    page.get_by_role("button", name="Change attendance mode").click()
    # Back on the side event, the Enrol button is there now and works.
    page.wait_for_url("**/s/breakfast/")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You have a place in “Cluster managers' breakfast”.")).to_be_visible()
    assert page.title().startswith("Cluster managers' breakfast")
