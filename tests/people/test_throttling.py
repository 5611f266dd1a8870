"""Login and sign-up throttling (allauth's rate limits) with the limits kept in a real Redis,
as in production. What a person sees when throttled, and that the right password does not
get through a locked account."""

import pytest
from django.contrib.auth import get_user_model

from tests.fixtures.factories import PASSWORD, make_user, sign_up_data
from tests.fixtures.servers import wait_for

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def redis_cache(settings, redis_url):
    """Django's cache on the private Redis (a database of its own), emptied around the test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url.rsplit("/", 1)[0] + "/3"}}
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def log_in(client, email: str, password: str, address: str = "192.0.2.10"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def test_forty_wrong_passwords_at_speed_are_refused_and_so_is_the_right_one_while_locked(client, redis_cache):
    victim = make_user("Vera Victim", email="vera@example.org")
    responses = [log_in(client, "vera@example.org", f"guess-{n}") for n in range(40)]
    # Five tries are told the password is wrong; from then on, logging in is paused, and the page says until when.
    assert [r.status_code for r in responses[:5]] == [400] * 5
    assert {r.status_code for r in responses[5:]} == {429}
    paused = responses[5].content.decode()
    assert "Too many failed attempts to log in. For your safety, logging in is paused: try again in 5 minutes" in paused
    assert "reset your password" in paused
    response = log_in(client, "vera@example.org", PASSWORD)
    assert response.status_code == 429 and "try again in" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session
    victim.refresh_from_db()
    assert victim.last_login is None
    # The address is paused as a whole too: other accounts cannot be tried from it.
    make_user(email="other@example.org")
    assert log_in(client, "other@example.org", PASSWORD).status_code == 429
    # The account stays locked from another address; that address may still log into other accounts.
    assert log_in(client, "vera@example.org", PASSWORD, address="198.51.100.7").status_code == 429
    assert log_in(client, "other@example.org", PASSWORD, address="198.51.100.7").status_code == 302


def test_a_locked_account_opens_again_when_its_window_has_passed(client, redis_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip,3/2s/key"}
    make_user(email="pat@example.org")
    for n in range(3):
        assert log_in(client, "pat@example.org", f"wrong-{n}").status_code == 400
    response = log_in(client, "pat@example.org", PASSWORD)
    assert response.status_code == 429 and "try again in 2 seconds" in response.content.decode()
    wait_for(lambda: log_in(client, "pat@example.org", PASSWORD).status_code == 302, "the lock to lift", timeout=10)


def test_sign_ups_from_one_address_are_capped(client, redis_cache, mailoutbox):
    statuses = []
    for n in range(30):
        client.logout()
        statuses.append(client.post("/accounts/signup/", sign_up_data(f"Bot {n}", f"bot{n}@example.org"),
                                    REMOTE_ADDR="203.0.113.5").status_code)
    assert statuses[:10] == [302] * 10 and set(statuses[10:]) == {429}
    assert User.objects.count() == 10 and len(mailoutbox) == 10
    client.logout()
    refused = client.post("/accounts/signup/", sign_up_data("Bot 31", "bot31@example.org"), REMOTE_ADDR="203.0.113.5")
    html = refused.content.decode()
    assert "Too many accounts were created from your network in a short time." in html
    assert "Try again in" in html and refused["Retry-After"].isdigit()
    # Someone else, elsewhere, signs up as usual.
    assert client.post("/accounts/signup/", sign_up_data("Real Person", "real@example.org"),
                       REMOTE_ADDR="198.51.100.20").status_code == 302


def test_the_organiser_area_logs_in_through_the_throttled_login_page(client):
    response = client.get("/admin/login/?next=/admin/programme/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/admin/programme/"
    client.force_login(make_user())
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403 and "The organiser area is for the conference's organisers" in (
        response.content.decode())
