"""Keyboard paths through the main flows, reduced motion honoured, and form controls next to their
labels (radio buttons once sat 270 px away from theirs)."""

import pytest
from playwright.sync_api import expect

from attendance.models import Bookmark, Registration
from tests.e2e.test_live_room import browser_of, open_room
from tests.fixtures.factories import at, make_edition, make_session, make_user
from tests.rooms.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.live]


def tab_to(page, description: str, matches: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies `matches` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({matches})(document.activeElement)"):
            # Focus is visible: the focused control has an outline.
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", description
            return
    raise AssertionError(f"Tab never reached {description}")


def text_is(text: str) -> str:
    return f"(el) => el && (el.innerText || el.value || '').trim().startsWith({text!r})"


def test_register_and_build_an_agenda_with_the_keyboard_only(transactional_db, live_server_url, page_in):
    edition = make_edition(title="Keyboard Conference 2030", slug="kb-2030")
    make_session(edition, title="Accessible events panel", slug="panel", starts_at=at(edition, 0, 10),
                 ends_at=at(edition, 0, 11))
    person = make_user("Kim Keyboard")
    page = browser_of(page_in, live_server_url, person)
    page.goto(f"{live_server_url}/e/kb-2030/")

    tab_to(page, "the skip link", "(el) => el.classList.contains('skip')")
    tab_to(page, "the register link", text_is("Register for Keyboard Conference 2030"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/")
    tab_to(page, "the first attendance mode", "(el) => el.type === 'radio'")
    page.keyboard.press("ArrowDown")  # radio groups move with the arrow keys
    assert page.evaluate("document.activeElement.value") == "online"
    tab_to(page, "the Register button", text_is("Register"))
    page.keyboard.press("Enter")
    page.get_by_text("You are registered for Keyboard Conference 2030.").wait_for()
    assert Registration.objects.get(user=person).mode == "online"

    page.goto(f"{live_server_url}/e/kb-2030/programme/")
    tab_to(page, "the agenda button", "(el) => el.tagName === 'BUTTON' && el.innerText.includes('Add to agenda')")
    page.keyboard.press("Enter")
    page.get_by_text("Added “Accessible events panel” to your agenda.").wait_for()
    assert Bookmark.objects.filter(user=person, session__slug="panel").exists()


def test_ask_a_question_in_a_live_room_with_the_keyboard(transactional_db, live_server_url, page_in):
    world = World()
    page = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    tab_to(page, "the question box", "(el) => el.id === 'ask-text'")
    page.keyboard.type("Can the slides be shared afterwards?")
    tab_to(page, "the Ask button", "(el) => el.tagName === 'BUTTON' && el.innerText.trim() === 'Ask'")
    page.keyboard.press("Enter")
    expect(page.locator("[data-mine-list]")).to_contain_text("Can the slides be shared afterwards?")


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_reactions_float_only_for_people_who_accept_motion(transactional_db, live_server_url, browser, motion):
    from urllib.parse import quote

    from tests.fixtures.ws import session_cookie

    world = World()
    context = browser.new_context(reduced_motion=motion, timezone_id="Europe/Prague")
    name, value = session_cookie(world.online).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": live_server_url},
                         {"name": "tz", "value": quote("Europe/Prague", safe=""), "url": live_server_url}])
    page = open_room(context.new_page(), live_server_url, world.room.pk)
    page.locator(".reaction").first.click()
    expect(page.locator(".reaction [data-count]").first).to_have_text("1")
    if motion == "reduce":
        assert page.locator(".floater").count() == 0 or not page.locator(".floater").first.is_visible()
        # Site-wide: transitions and animations are cut to nothing.
        duration = page.evaluate("getComputedStyle(document.querySelector('.button')).transitionDuration")
        assert duration in ("1e-06s", "0s")
    else:
        expect(page.locator(".floater").first).to_be_attached()
    context.close()


def test_radio_buttons_sit_next_to_their_labels(transactional_db, live_server_url, page_in):
    edition = make_edition(slug="radio-2030")
    person = make_user("Rita Radio")
    page = browser_of(page_in, live_server_url, person)
    for url in (f"/e/{edition.slug}/register/", "/reminders/"):
        page.goto(live_server_url + url)
        for radio in page.locator("input[type=radio]").all():
            label = radio.locator("xpath=ancestor::label[1]")
            box = radio.bounding_box()
            # Where the label's text starts: on the radio's line, just after it.
            text = page.evaluate(
                "(label) => { const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);"
                " let node; while ((node = walker.nextNode()) && !node.textContent.trim()) {}"
                " const r = document.createRange(); r.selectNodeContents(node); const b = r.getBoundingClientRect();"
                " return {left: b.left, top: b.top, bottom: b.bottom}; }", label.element_handle())
            # The browser draws the circle in the middle of the input's box, however wide CSS makes it.
            gap = text["left"] - (box["x"] + box["width"] / 2 + 7)
            middle = box["y"] + box["height"] / 2
            assert 0 <= gap < 24 and text["top"] <= middle <= text["bottom"], (url, radio.get_attribute("value"), gap)
