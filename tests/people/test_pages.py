"""Account pages keep their addresses and say what they are."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.fixtures.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/privacy/",
                                  "/accounts/password/reset/"])
def test_public_account_pages_answer(client, path):
    assert client.get(path).status_code == 200


def test_profile_page_title_is_plain_text(client):
    client.force_login(make_user("Tia Title"))
    html = client.get("/accounts/profile/").content.decode()
    assert re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip() == "My profile"
    for path in ("/accounts/devices/", "/accounts/data/", "/accounts/password/change/", "/accounts/email/"):
        assert f'href="{path}"' in html


def test_deleting_is_throttled_like_any_password_confirmation(client):
    user = make_user()
    client.force_login(user)
    statuses = [client.post("/accounts/delete/", {"password": f"guess-{n}"}).status_code for n in range(12)]
    assert statuses[:10] == [403] * 10 and statuses[10:] == [429, 429]
    assert get_user_model().objects.get(pk=user.pk).is_active


def test_an_account_with_neither_password_nor_email_is_asked_to_set_a_password(client):
    user = get_user_model().objects.create_user("idp-only", email="")
    client.force_login(user)
    assert "set a password</a> first" in client.get("/accounts/data/").content.decode()
    assert client.post("/accounts/delete/", {"password": ""}).status_code == 403
    assert get_user_model().objects.get(pk=user.pk).is_active


def test_demo_logins_have_confirmed_addresses(db):
    from demo.builder import load_demo

    load_demo()
    for login in ("organiser", "moderator", "speaker", "attendee", "onsite"):
        assert EmailAddress.objects.filter(email=f"{login}@demo.example", verified=True).exists(), login


def test_changing_the_email_address_takes_effect_once_the_new_one_is_confirmed(client, mailoutbox):
    from tests.fixtures.factories import PASSWORD, link_in

    user = make_user("Cleo Change", email="cleo@example.org")
    client.force_login(user)
    page = client.get("/accounts/email/").content.decode()
    assert "Your address is <strong>cleo@example.org</strong>" in page
    client.post("/accounts/email/", {"email": "cleo@new.example.org", "action_add": ""})
    assert "Changing to <strong>cleo@new.example.org</strong>" in client.get("/accounts/email/").content.decode()
    client.post(link_in(mailoutbox[-1].body, "/accounts/confirm-email/"))
    user.refresh_from_db()
    assert (user.email, user.username) == ("cleo@new.example.org", "cleo@new.example.org")
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("cleo@new.example.org", True)]
    client.logout()
    response = client.post("/accounts/login/", {"login": "cleo@new.example.org", "password": PASSWORD})
    assert response.status_code == 302
