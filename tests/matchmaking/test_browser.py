"""Two on-site participants, one in Prague and one whose profile says Lisbon: one requests a
meeting in the marketplace, the other accepts, and both see it with its table number in their
agendas, each in their own time."""

import pytest

from matchmaking import services
from matchmaking.models import MeetingRequest
from tests.fixtures.factories import PASSWORD, make_edition, make_organiser

from .conftest import join, make_event

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def two_participants(transactional_db):
    edition = make_edition(title="Cluster Conference 2030", slug="ecc-2030")
    event = make_event(edition, make_organiser(edition), tables=5)
    anna = join(event, "Anna Seller", organisation="Seller Sensors", sector="health", time_zone="Europe/Prague")
    ben = join(event, "Ben Buyer", organisation="Buyer Hospitals", sector="health", time_zone="Europe/Lisbon")
    services.add_listing(anna.user, event, direction="offer", category="product", title="Wearable sensors")
    return event, anna, ben


def log_in(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_request_accept_and_both_see_the_table_in_their_agendas(two_participants, live_server_url, page_in):
    event, anna, ben = two_participants
    base_path = "/e/ecc-2030/matchmaking/b2b"

    seller = page_in("Europe/Prague")
    log_in(seller, live_server_url, anna.user.email, f"{base_path}/marketplace/")
    seller.get_by_role("link", name="Request a meeting with Buyer Hospitals").click()
    seller.get_by_label("A note for Ben Buyer").fill("Our sensors for your wards?")
    seller.get_by_label("When").select_option(label="Thu 26 Sep, 14:30–15:00")
    seller.get_by_role("button", name="Request a meeting").click()
    seller.get_by_text("Your meeting request is sent to Ben Buyer.").wait_for()

    buyer = page_in("Europe/Lisbon")
    log_in(buyer, live_server_url, ben.user.email, f"{base_path}/")
    buyer.get_by_role("link", name="My requests").click()
    request_card = buyer.locator("article.request", has_text="Seller Sensors")
    assert "Our sensors for your wards?" in request_card.inner_text()
    request_card.get_by_label("Note to Anna Seller when accepting").fill("Happy to meet")
    request_card.get_by_role("button", name="Accept the request from Anna Seller").click()
    buyer.get_by_text("Meeting accepted.").wait_for()

    buyer.get_by_role("link", name="My meetings").click()
    row = buyer.locator("table.agenda tbody tr", has_text="Anna Seller")
    assert "Table 1" in row.inner_text()
    assert "13:30–14:00" in row.inner_text() and "At the venue: 14:30" in row.inner_text()  # Lisbon is an hour behind

    seller.get_by_role("link", name="My meetings").click()
    row = seller.locator("table.agenda tbody tr", has_text="Ben Buyer")
    assert "Table 1" in row.inner_text() and "14:30–15:00" in row.inner_text()

    meeting = MeetingRequest.objects.get()
    assert (meeting.status, meeting.table, meeting.reply_note) == (MeetingRequest.Status.SCHEDULED, 1, "Happy to meet")
