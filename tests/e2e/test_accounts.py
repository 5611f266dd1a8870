"""Accounts in a real browser against a real Daphne, with mail through a real SMTP server:
sign up, confirm by email and register; reset a forgotten password; download one's data;
delete the account; the message shown when logging in is throttled."""

import json
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from attendance.models import Registration
from chat.models import Message
from tests.fixtures.factories import PASSWORD, link_in, make_edition, make_session, make_user, register

from .accounts import log_in, screenshot, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]
User = get_user_model()


@pytest.fixture
def edition(transactional_db):
    edition = make_edition(title="Cluster Conference 2030", slug="ecc-2030")
    make_session(edition, title="Opening plenary")
    return edition


def test_sign_up_confirm_by_email_then_register(edition, live_server_url, page_in, mailbox):
    page = page_in("Europe/Lisbon")
    page.goto(f"{live_server_url}/e/ecc-2030/")
    page.get_by_role("link", name="Sign up").click()
    screenshot(page, "signup")
    assert page.get_by_role("link", name="privacy policy", exact=True).get_attribute("href") == "/privacy/"
    page.goto(f"{live_server_url}/privacy/")
    screenshot(page, "privacy")
    page.goto(f"{live_server_url}/e/ecc-2030/")
    sign_up(page, "Sara Signup", "sara@example.org")

    # Registering waits for the confirmed address: the page says what to do.
    page.goto(f"{live_server_url}/e/ecc-2030/register/")
    page.get_by_text("To register for Cluster Conference 2030, confirm your email address first.").wait_for()
    assert page.get_by_role("button", name="Send the link again").is_visible()
    screenshot(page, "verify-email")

    [received] = mailbox.wait(1, to="sara@example.org")
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    page.goto(link_in(text, "/accounts/confirm-email/"))
    screenshot(page, "confirm-email")
    page.get_by_role("button", name="Confirm my address").click()
    # Back where the person wanted to go.
    page.get_by_text("Your email address sara@example.org is confirmed").wait_for()
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered for Cluster Conference 2030.").wait_for()
    assert Registration.objects.get(user__email="sara@example.org").mode == "online"


def test_a_forgotten_password_is_reset_by_email(live_server_url, page_in, mailbox, transactional_db):
    make_user("Fred Forgetful", email="fred@example.org")
    page = page_in()
    page.goto(f"{live_server_url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("fred@example.org")
    page.get_by_role("button", name="Send me the link").click()
    page.get_by_text("We sent you an email with a link to choose a new password").wait_for()

    [received] = mailbox.wait(1, to="fred@example.org")
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    page.goto(link_in(text, "/accounts/password/reset/key/"))
    page.get_by_label(re.compile(r"^New password\W*$")).fill("a-brand-new-passphrase")
    page.get_by_label("New password (again)").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Save my new password").click()
    page.get_by_role("heading", name="Your password is changed").wait_for()

    log_in(page, live_server_url, "fred@example.org", "a-brand-new-passphrase", "/agenda/")
    page.wait_for_url(f"{live_server_url}/agenda/")


def test_my_data_downloads_as_json(edition, live_server_url, page_in, tmp_path):
    user = make_user("Dora Download", email="dora@example.org", organisation="Download Cluster")
    register(user, edition, "in_person")
    page = page_in()
    log_in(page, live_server_url, "dora@example.org", next_path="/accounts/profile/")
    screenshot(page, "profile")
    page.get_by_role("link", name="Your data").click()
    screenshot(page, "my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    path = tmp_path / "data.json"
    download.value.save_as(path)
    data = json.loads(Path(path).read_text())
    assert download.value.suggested_filename.startswith("my-data-")
    assert data["profile"]["name"] == "Dora Download" and data["profile"]["organisation"] == "Download Cluster"
    assert data["attendance"]["registrations"][0]["edition"] == "Cluster Conference 2030"
    assert data["account"]["email"] == "dora@example.org"


def test_deleting_the_account_removes_the_person_and_keeps_the_counts(edition, live_server_url, page_in):
    user = make_user("Dan Delete", email="dan@example.org", organisation="Delete Cluster")
    register(user, edition, "online")
    room = edition.sessions.get().room
    Message.objects.create(room=room, author=user, text="My words")
    page = page_in()
    log_in(page, live_server_url, "dan@example.org", next_path="/accounts/data/")
    page.get_by_label("Your password, to confirm").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("That is not your password; your account is not deleted.").wait_for()

    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account is deleted.").wait_for()
    assert page.get_by_role("link", name="Log in").is_visible()

    account = User.objects.get(pk=user.pk)
    assert (account.email, account.is_active, account.profile.name, account.profile.organisation) == (
        "", False, "Deleted account", "")
    assert not EmailAddress.objects.filter(user=account).exists()
    # Counted still: a registration of the edition (cancelled: it had not taken place) and the room's message.
    assert Registration.objects.filter(edition=edition, user=account).count() == 1
    message = Message.objects.get(room=room)
    assert message.text == "" and message.deleted_at is not None


def test_throttled_login_says_when_to_try_again(live_server_url, page_in, transactional_db):
    make_user("Tom Throttled", email="tom@example.org")
    page = page_in()
    for n in range(5):
        log_in(page, live_server_url, "tom@example.org", f"wrong-{n}")
        page.get_by_text("The email address or the password is not right.").wait_for()
    log_in(page, live_server_url, "tom@example.org")  # the right password, while paused
    page.get_by_text("Too many failed attempts to log in. For your safety, logging in is paused: try again in "
                     "5 minutes").wait_for()
    screenshot(page, "login-throttled")
    assert page.get_by_role("link", name="Forgot your password?").is_visible()
