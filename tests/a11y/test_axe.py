"""WCAG 2.1 AA with axe-core (vendored from npm in tests/fixtures/vendor/axe-core): every page of
the demo data, as each role sees it, has no serious or critical violation. The live room pages are
checked once their websocket has drawn them (questions, badges, reactions included).

The URL lists name every page of the product; a new page belongs in one of them."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from chat import qa as questions
from chat.services import actor_for
from demo.builder import load_demo
from programme.models import Edition, Session
from tests.fixtures.ws import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.live]

AXE = Path(__file__).resolve().parents[1] / "fixtures" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1 A and AA, and the rule that caught reaction buttons named unlike their text.
RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    rules: {"label-content-name-mismatch": {enabled: true}},
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200)),
  }));
}"""


MATCHMAKING = "/e/demo/matchmaking/b2b-matchmaking/"


@dataclass
class Demo:
    live_room: int
    next_room: int
    past_session: str
    speaker_id: int


@pytest.fixture
def demo(transactional_db, settings, redis_url):
    settings.REDIS_URL = redis_url
    load_demo()
    demo = Edition.objects.get(slug="demo")
    live = Session.objects.get(edition=demo, slug="live-plenary")
    soon = Session.objects.get(edition=demo, slug="cross-border-panel")
    # Questions in the live room: the meta line, the "Your question" badge, votes.
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    attendee, speaker = users.get(username="attendee@demo.example"), users.get(username="speaker@demo.example")
    questions.ask(actor_for(attendee, live.room.pk), "How do clusters reach SMEs outside the capitals?")
    return Demo(live_room=live.room.pk, next_room=soon.room.pk, past_session="opening-plenary",
                speaker_id=speaker.pk)


def pages(demo: Demo) -> dict[str, list[str]]:
    live, soon = f"/rooms/{demo.live_room}/", f"/rooms/{demo.next_room}/"
    public = ["/e/demo/", "/e/demo/programme/", "/e/demo/programme/?view=grid", "/e/demo/programme/?q=cluster",
              "/e/demo/speakers/", f"/e/demo/speakers/{demo.speaker_id}/", "/e/demo/s/live-plenary/",
              "/e/demo/s/managers-breakfast/", f"/e/ecc-2022/s/{demo.past_session}/",
              "/e/ecc-2022/programme/?view=grid", "/archive/", "/accounts/login/", "/accounts/signup/",
              "/e/no-such-edition/"]
    return {
        "anonymous": public,
        "attendee@demo.example": [
            "/e/demo/", "/e/demo/programme/", "/e/demo/programme/?view=grid", "/e/demo/s/live-plenary/",
            "/e/demo/s/managers-breakfast/", "/e/demo/register/", "/agenda/", "/notifications/", "/reminders/",
            "/accounts/profile/", "/accounts/devices/", live, soon, "/e/demo/s/b2b-matchmaking/",
            MATCHMAKING, MATCHMAKING + "marketplace/", MATCHMAKING + "requests/", MATCHMAKING + "agenda/",
            MATCHMAKING + "profile/",
        ],
        "onsite@demo.example": ["/e/demo/s/managers-breakfast/", "/agenda/", "/e/demo/register/", live],
        "speaker@demo.example": [f"/e/demo/speakers/{demo.speaker_id}/", live + "speaker/", live + "backstage/"],
        "moderator@demo.example": [live + "moderate/", live + "projector/", live + "captions/", live],
        "organiser@demo.example": ["/e/demo/", "/e/demo/s/live-plenary/",
                                   MATCHMAKING + "organise/", "/e/demo/programme/?view=grid"],
    }


def open_as(browser, base_url: str, login: str):
    from django.contrib.auth import get_user_model

    # bypass_csp: axe is injected as an inline script, which the pages' policy refuses (rightly).
    context = browser.new_context(timezone_id="Europe/Lisbon", locale="en-GB", viewport={"width": 1366, "height": 900},
                                  bypass_csp=True)
    context.set_default_timeout(15000)
    cookies = [{"name": "tz", "value": quote("Europe/Lisbon", safe=""), "url": base_url}]
    if login != "anonymous":
        name, value = session_cookie(get_user_model().objects.get(username=login)).split("=", 1)
        cookies.append({"name": name, "value": value, "url": base_url})
    context.add_cookies(cookies)
    return context


def test_every_page_for_every_role_has_no_serious_or_critical_violation(demo, live_server_url, browser):
    failures, checked = [], 0
    for role, urls in pages(demo).items():
        context = open_as(browser, live_server_url, role)
        page = context.new_page()
        for url in urls:
            response = page.goto(live_server_url + url)
            assert response is not None and response.status < 500, (role, url)
            if "/rooms/" in url and not url.endswith(("backstage/", "captions/")) and response.status == 200:
                page.wait_for_selector("body[data-room-ready='true']")
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(RUN):
                failures.append(f"{role} {url}: {violation['id']} ({violation['impact']}): {violation['help']}\n    "
                                + "\n    ".join(violation["nodes"]))
            checked += 1
        context.close()
    assert checked >= 40
    assert not failures, "\n".join(failures)
