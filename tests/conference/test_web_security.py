"""HTTP hardening as a browser meets it: the Content-Security-Policy header with a fresh nonce
per page, HTTPS redirection that spares the internal callers, HSTS on HTTPS responses.
(The browser test tests/e2e/test_content_security_policy.py proves the pages work under it;
tests/ops checks `check --deploy` with the documented production settings.)"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_fresh_nonce_that_its_own_scripts_use(client, edition):
    response = client.get(f"/e/{edition.slug}/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert client.get(f"/e/{edition.slug}/").headers["Content-Security-Policy"] != policy


def test_plain_http_is_redirected_except_the_health_check_and_media_hooks(settings, edition):
    settings.SECURE_SSL_REDIRECT = True
    browser = Client()
    page = browser.get(f"/e/{edition.slug}/")
    assert page.status_code == 301 and page.headers["Location"] == f"https://testserver/e/{edition.slug}/"
    assert browser.get("/healthz").status_code in (200, 503)  # answered, not redirected
    hook = browser.post("/streaming/hooks/nginx-rtmp/publish", {"call": "publish", "name": "x"})
    assert hook.status_code == 403  # the hook view answered (no secret), over plain HTTP


def test_https_responses_tell_browsers_to_stay_on_https(settings, edition):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(f"/e/{edition.slug}/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in Client().get(f"/e/{edition.slug}/").headers  # never over HTTP
