"""The interactive API docs render in a real browser with every outside request blocked,
and "Try it out" reaches the live server."""

import pytest

from tests.fixtures.factories import make_edition

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_swagger_ui_renders_and_calls_the_api_offline(transactional_db, live_server_url, page_in):
    make_edition(title="Cluster Conference 2030", slug="ecc-2030")
    page = page_in()
    outside = []

    def only_this_server(route):
        if route.request.url.startswith(live_server_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto(f"{live_server_url}/api/docs")

    page.locator(".opblock-summary-path", has_text="/api/editions/{slug}/registration").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/editions" in [p.strip() for p in paths]
    assert "/api/agenda/{session_id}" in [p.strip().replace("\u200b", "") for p in paths]
    assert page.get_by_text("Conference platform API").first.is_visible()

    # Try it out: list the public editions.
    listing = page.locator(".opblock-get", has=page.locator(".opblock-summary-path", has_text="/api/editions"))
    listing.first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    page.locator(".response-col_description .highlight-code", has_text="Cluster Conference 2030").first.wait_for()

    assert outside == []
