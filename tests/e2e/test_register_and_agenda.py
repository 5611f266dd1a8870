"""A remote attendee in New York signs up, registers for an edition online,
bookmarks a session and sees it in their agenda in their own time zone."""

import pytest

from attendance.models import Bookmark, Registration
from tests.fixtures.factories import at, make_edition, make_session

from .accounts import confirm_email, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def hybrid_edition(transactional_db):
    edition = make_edition(title="Cluster Conference 2030", slug="ecc-2030")
    make_session(edition, title="Opening plenary", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    make_session(edition, title="Euroclusters forum", starts_at=at(edition, 1, 14), ends_at=at(edition, 1, 17),
                 location="Hall B")
    return edition


def test_register_online_bookmark_and_see_agenda_in_my_time_zone(hybrid_edition, live_server_url, page_in, mailbox):
    page = page_in("America/New_York")
    page.goto(f"{live_server_url}/e/ecc-2030/")
    sign_up(page, "Nora Remote", "nora@example.org")
    confirm_email(page, mailbox, "nora@example.org")

    page.goto(f"{live_server_url}/e/ecc-2030/")
    page.get_by_role("link", name="Register for Cluster Conference 2030").click()
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered for Cluster Conference 2030.").wait_for()

    page.get_by_role("link", name="Programme", exact=True).first.click()
    forum = page.locator("article.slot", has_text="Euroclusters forum")
    # The programme shows the venue's time and, below, the viewer's (New York, EDT).
    assert "14:00–17:00" in forum.inner_text()
    assert "Your time: 08:00–11:00" in forum.inner_text()
    forum.get_by_role("button", name="Add to agenda: Euroclusters forum").click()
    page.get_by_text("Added “Euroclusters forum” to your agenda.").wait_for()

    page.get_by_role("link", name="My agenda").click()
    item = page.locator("article.slot", has_text="Euroclusters forum")
    assert "Fri 27 Sep, 08:00–11:00" in item.inner_text()
    assert "At the venue: 14:00" in item.inner_text()
    assert "Opening plenary" not in page.locator("main").inner_text()

    assert Registration.objects.get(user__email="nora@example.org").mode == "online"
    assert Bookmark.objects.filter(user__email="nora@example.org", session__title="Euroclusters forum").exists()
