"""The API as a whole: its OpenAPI document, offline docs, authentication, CSRF and 404s."""

import json
import re

import pytest
from django.test import Client

from attendance.models import Registration
from programme.models import Edition, Session
from tests.fixtures.factories import make_edition, make_session, make_user

from .conftest import JsonClient

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    ("/api/editions", "get"),
    ("/api/editions/{slug}", "get"),
    ("/api/editions/{slug}/sessions", "get"),
    ("/api/editions/{slug}/sessions", "post"),
    ("/api/sessions/{session_id}", "get"),
    ("/api/sessions/{session_id}", "patch"),
    ("/api/editions/{slug}/registration", "get"),
    ("/api/editions/{slug}/registration", "post"),
    ("/api/editions/{slug}/registration", "patch"),
    ("/api/editions/{slug}/registration", "delete"),
    ("/api/sessions/{session_id}/enrolment", "post"),
    ("/api/sessions/{session_id}/enrolment", "delete"),
    ("/api/agenda", "get"),
    ("/api/agenda/{session_id}", "put"),
    ("/api/agenda/{session_id}", "delete"),
}


def test_openapi_document_is_json_listing_every_operation(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Conference platform API"
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations >= EXPECTED_OPERATIONS
    # The docs' own asset route is an implementation detail, not part of the API.
    assert not any("assets" in path for path in document["paths"])


def test_openapi_marks_writes_as_cookie_authenticated_and_documents_error_shape(client):
    document = client.get("/api/openapi.json").json()

    create = document["paths"]["/api/editions/{slug}/sessions"]["post"]
    listing = document["paths"]["/api/editions/{slug}/sessions"]["get"]
    # Writes need the session cookie AND the CSRF header (a generated client sends both).
    assert create["security"] == [{"LoggedInSession": [], "CSRFToken": []}]
    # Public reads declare that they need nothing at all.
    assert listing["security"] == []
    schemes = document["components"]["securitySchemes"]
    assert schemes["LoggedInSession"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert {k: schemes["CSRFToken"][k] for k in ("type", "in", "name")} == {
        "type": "apiKey", "in": "header", "name": "X-CSRFToken"}
    # Reading one's own data needs the cookie only (safe methods are not CSRF-checked).
    assert document["paths"]["/api/agenda"]["get"]["security"] == [{"LoggedInSession": []}]
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):  # a cookie needs the header; a bearer token does not
                assert all("CSRFToken" in r for r in operation["security"] if "LoggedInSession" in r), operation
    captions = document["paths"]["/api/sessions/{session_id}/captions"]["post"]["security"]
    assert {"LoggedInSession": [], "CSRFToken": []} in captions and {"DeviceTokenAuth": []} in captions
    assert document["servers"] == [{"url": "http://testserver", "description": "This platform"}]
    error = document["components"]["schemas"]["ErrorOut"]
    assert {"code", "message", "field"} <= set(error["properties"])
    assert "400" in create["responses"] and "403" in create["responses"]


def test_openapi_document_passes_the_validator(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/openapi.json").json())  # raises with the first problem found


def test_a_client_following_the_document_gets_through_csrf(client, db):
    """What the document declares is what the server wants: the cookie and the CSRF header."""
    from django.test import Client

    from tests.fixtures.factories import make_edition, make_user

    edition = make_edition(slug="csrf-edition")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    strict.get("/agenda/")  # a page with a form sets the csrftoken cookie
    token = strict.cookies["csrftoken"].value
    url = f"/api/editions/{edition.slug}/registration"
    refused = strict.post(url, '{"mode": "online"}', content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    accepted = strict.post(url, '{"mode": "online"}', content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_docs_page_loads_only_local_assets(client):
    """The interactive docs must work on a closed network: every script and stylesheet
    comes from this server, and each of them is actually served."""
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        assert url.startswith("/static/ninja/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(b"".join(asset.streaming_content)) > 100, url
    assert '"url": "/api/openapi.json"' in html


def test_cookie_authenticated_post_without_csrf_token_is_refused():
    edition = make_edition()
    user = make_user("Carla Cookie")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    refused = browser.post(
        f"/api/editions/{edition.slug}/registration", {"mode": "online"}, content_type="application/json"
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert "X-CSRFToken" in refused.json()["message"]
    assert not Registration.objects.filter(user=user).exists()

    # The same request with the token from the csrftoken cookie goes through.
    browser.get("/accounts/profile/")  # any page with a form sets the cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        f"/api/editions/{edition.slug}/registration", {"mode": "online"},
        content_type="application/json", headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201
    assert Registration.objects.filter(user=user, edition=edition).exists()


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/editions/{slug}/sessions", {"title": "X", "starts_at": "2030-09-26T09:00:00+02:00",
                                                   "ends_at": "2030-09-26T10:00:00+02:00"}),
        ("patch", "/api/sessions/{session}", {"title": "Hijacked"}),
        ("post", "/api/editions/{slug}/registration", {"mode": "online"}),
        ("patch", "/api/editions/{slug}/registration", {"mode": "online"}),
        ("delete", "/api/editions/{slug}/registration", None),
        ("get", "/api/editions/{slug}/registration", None),
        ("post", "/api/sessions/{session}/enrolment", None),
        ("delete", "/api/sessions/{session}/enrolment", None),
        ("get", "/api/agenda", None),
        ("put", "/api/agenda/{session}", None),
        ("delete", "/api/agenda/{session}", None),
    ],
)
def test_anonymous_writes_and_own_data_need_a_login(client, method, url, body):
    edition = make_edition()
    session = make_session(edition, title="Opening")
    api = JsonClient(client)

    call = getattr(api, method)
    target = url.format(slug=edition.slug, session=session.pk)
    response = call(target, body) if method in ("post", "patch", "put") else call(target)

    assert response.status_code == 401
    assert response.json()["code"] == "login_required"
    assert "log in" in response.json()["message"].lower()
    assert Session.objects.filter(edition=edition).count() == 1
    assert Session.objects.get(pk=session.pk).title == "Opening"
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/editions/no-such-edition"),
        ("get", "/api/editions/no-such-edition/sessions"),
        ("post", "/api/editions/no-such-edition/registration"),
        ("get", "/api/sessions/999999"),
        ("patch", "/api/sessions/999999"),
        ("post", "/api/sessions/999999/enrolment"),
        ("delete", "/api/sessions/999999/enrolment"),
        ("put", "/api/agenda/999999"),
        ("delete", "/api/agenda/999999"),
    ],
)
def test_unknown_ids_are_404_with_a_message(client, method, url):
    make_edition()
    api = JsonClient(client).login(make_user())
    body = {"mode": "online"} if url.endswith("registration") else ({"title": "X"} if method == "patch" else None)

    call = getattr(api, method)
    response = call(url, body) if method in ("post", "patch", "put") and body else call(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert ("999999" in response.json()["message"]) or ("no-such-edition" in response.json()["message"])


def test_draft_editions_are_invisible_to_the_public(client):
    public = make_edition(title="ECC 2030")
    draft = make_edition(title="ECC 2032 (draft)", status=Edition.Status.DRAFT)
    hidden_session = make_session(draft)

    titles = [e["title"] for e in client.get("/api/editions").json()]

    assert public.title in titles and draft.title not in titles
    assert client.get(f"/api/editions/{draft.slug}").status_code == 404
    assert client.get(f"/api/sessions/{hidden_session.pk}").status_code == 404
