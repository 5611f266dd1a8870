"""The Content-Security-Policy in real Chromium: every main page, as the people who use it,
loads and works with no violation reported by the browser, and carries a nonce.

The demo data gives every page something to show (a live room, a matchmaking event, an agenda
with a feed link). Violations are caught two ways: the `securitypolicyviolation` event in the
page, and Chromium's console errors ("Refused to …")."""

from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from demo.builder import DEMO_SLUG
from matchmaking.models import MatchmakingEvent
from people.models import DeviceToken
from programme.models import Session
from rooms.models import Room
from tests.fixtures.ws import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.live]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    live = Session.objects.get(edition__slug=DEMO_SLUG, slug="live-plenary")
    event = MatchmakingEvent.objects.select_related("session").filter(session__edition__slug=DEMO_SLUG).first()
    return {"room": Room.objects.get(session=live).pk, "session": live, "event": event}


def user(email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


class Visitor:
    def __init__(self, page_in, base_url: str, email: str | None):
        self.base_url = base_url
        self.page = page_in("Europe/Lisbon")
        self.errors: list[str] = []
        self.page.context.add_init_script(WATCH)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        if email:
            name, value = session_cookie(user(email)).split("=", 1)
            self.page.context.add_cookies([{"name": name, "value": value, "url": base_url},
                                           {"name": "tz", "value": quote("Europe/Lisbon", safe=""), "url": base_url}])

    def visit(self, path: str, *, ready=None, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, (path, response and response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, (path, policy)
        if ready is not None:  # the page's scripts ran: e.g. a room joined over the websocket
            ready(self.page)
        violations = self.page.evaluate("window.__csp")
        refused = [e for e in self.errors if "Content Security Policy" in e or "Refused to" in e]
        assert not violations and not refused, (path, violations, refused)


def room_ready(page) -> None:
    expect(page.locator("body")).to_have_attribute("data-room-ready", "true")


def test_main_pages_work_under_the_policy(demo, live_server_url, page_in):
    edition_pages = [f"/e/{DEMO_SLUG}/", f"/e/{DEMO_SLUG}/programme/",
                     reverse("session", args=[DEMO_SLUG, demo["session"].slug])]

    anonymous = Visitor(page_in, live_server_url, None)
    for path in ["/", "/archive/", *edition_pages, "/accounts/login/", "/accounts/signup/", "/api/docs"]:
        anonymous.visit(path)
    expect(anonymous.page.locator(".swagger-ui")).to_be_visible()  # /api/docs drew itself
    anonymous.visit(f"/e/{DEMO_SLUG}/programme/?kind=%00", status=400)

    attendee = Visitor(page_in, live_server_url, "attendee@demo.example")
    for path in [*edition_pages, "/agenda/", "/notifications/", "/reminders/", "/accounts/profile/",
                 "/accounts/devices/"]:
        attendee.visit(path)
    attendee.visit(f"/rooms/{demo['room']}/", ready=room_ready)
    # Selecting the calendar link on click (page-actions.js, not an inline handler) still works.
    attendee.visit("/agenda/")
    field = attendee.page.locator("[data-select-on-click]")
    field.click()
    assert attendee.page.evaluate("() => document.activeElement.selectionEnd") == len(field.input_value())
    if demo["event"] is not None:
        event = demo["event"]
        for name in ["matchmaking-event", "matchmaking-marketplace", "matchmaking-agenda"]:
            attendee.visit(reverse(name, args=[DEMO_SLUG, event.session.slug]))

    moderator = Visitor(page_in, live_server_url, "moderator@demo.example")
    for view in ["moderate/", "projector/", "speaker/"]:
        moderator.visit(f"/rooms/{demo['room']}/{view}", ready=room_ready)

    speaker = Visitor(page_in, live_server_url, "speaker@demo.example")
    speaker.visit(f"/rooms/{demo['room']}/backstage/")

    organiser = Visitor(page_in, live_server_url, "organiser@demo.example")
    for path in ["/admin/", "/admin/programme/session/", f"/admin/programme/session/{demo['session'].pk}/change/"]:
        organiser.visit(path)
    assert not DeviceToken.objects.exists()  # the visits changed nothing

