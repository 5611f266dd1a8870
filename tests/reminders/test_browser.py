"""An in-app notification reaches every open tab of the person, live: Chromium pages on a
real Daphne, the websocket hub on the private Redis, and the header's unread badge."""

import pytest

from reminders.services import notify
from tests.fixtures.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, email: str, then: str) -> None:
    page.goto(f"{base}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{then}")


def test_a_notification_appears_in_every_open_tab_without_reloading(live_server_url, page_in, redis_url, settings):
    settings.REDIS_URL = redis_url  # this process publishes through the same Redis as Daphne's hub
    user = make_user("Tabitha Tabs", email="tabs@example.org")
    notify(user, "reminder", "An older one, still unread")
    tabs = [page_in("Europe/Prague"), page_in("Europe/Prague")]
    log_in(tabs[0], live_server_url, "tabs@example.org", "/notifications/")
    log_in(tabs[1], live_server_url, "tabs@example.org", "/archive/")
    for tab in tabs:
        tab.locator("[data-unread-count][data-live='1']").wait_for(state="attached")  # its socket is subscribed
        assert tab.locator("[data-unread-count]").inner_text() == "1"

    notify(user, "announcement", "Coffee is served in the foyer", "Until 10:30.", "/archive/")

    for tab in tabs:
        badge = tab.get_by_role("link", name="Notifications")
        badge.locator("[data-unread-count]:text-is('2')").wait_for()
    listed = tabs[0].locator("[data-notifications] li").first
    assert "Coffee is served in the foyer" in listed.inner_text() and "Until 10:30." in listed.inner_text()
    assert tabs[0].locator("#notification-live").inner_text() == "New notification: Coffee is served in the foyer"
