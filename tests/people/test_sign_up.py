"""Sign-up (allauth with the platform's form), email confirmation, and what waits for it:
registering for an edition and writing in live rooms. Through the Django test client; the
browser flow with a real SMTP server is in tests/e2e/test_accounts.py."""

import datetime as dt
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone

from attendance import services as attendance
from attendance.models import Registration
from conference.errors import ServiceError
from people.models import Consent, PrivacyPolicy, Profile
from people.privacy import current_policy
from tests.fixtures.factories import PASSWORD, link_in, make_user, sign_up_data

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_sign_up_makes_account_profile_and_consent_and_sends_the_confirmation_link(client, mailoutbox):
    response = client.post("/accounts/signup/?next=/archive/", sign_up_data(
        "Kim Lee", " Kim@Example.ORG ", organisation="Cluster X", country="CZ", time_zone="Europe/Prague"))
    assert response.status_code == 302 and response.url == "/archive/"
    user = User.objects.get()
    assert (user.username, user.email) == ("kim@example.org", "kim@example.org")
    assert user.check_password(PASSWORD)
    profile = Profile.objects.get(user=user)
    assert (profile.name, profile.organisation, profile.country.code, profile.time_zone) == (
        "Kim Lee", "Cluster X", "CZ", "Europe/Prague")
    consent = Consent.objects.get(user=user)
    assert consent.policy == current_policy() and consent.given_at is not None
    # Logged in at once, not yet confirmed; the email says how to confirm.
    assert "Kim Lee" in client.get("/archive/").content.decode()
    assert not EmailAddress.objects.get(user=user).verified
    [mail] = mailoutbox
    assert mail.to == ["kim@example.org"] and mail.subject.startswith("Confirm your email address")
    assert "Hello Kim Lee," in mail.body
    link_in(mail.body, "/accounts/confirm-email/")


@pytest.mark.parametrize(("fields", "message"), [
    ({"email": "not-an-email"}, "Enter a valid email address"),
    ({"name": "   "}, "Enter your name"),
    ({"time_zone": "Europe/Atlantis"}, "Select a valid choice"),
    ({"password1": "12345678"}, "too common"),
    ({"privacy_consent": ""}, "Accept the privacy policy"),
    ({"policy_version": "an-older-version"}, "The privacy policy changed"),
])
def test_bad_sign_up_is_refused_with_a_message_and_stores_nothing(client, mailoutbox, fields, message):
    response = client.post("/accounts/signup/", {**sign_up_data("New Person", "new@example.org"), **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists() and not Profile.objects.exists() and not Consent.objects.exists()
    assert mailoutbox == []


def test_an_address_has_one_account_whatever_its_case(client):
    make_user(email="kim@example.org")
    response = client.post("/accounts/signup/", sign_up_data("Kim again", "KIM@example.org"))
    assert response.status_code == 400 and "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_registering_waits_for_the_confirmed_address(client, edition, mailoutbox):
    client.post("/accounts/signup/", sign_up_data("Una Verified", "una@example.org"))
    page = client.get(f"/e/{edition.slug}/register/")
    html = page.content.decode()
    assert page.status_code == 403
    assert f"To register for {edition.title}, confirm your email address first." in html
    assert "una@example.org" in html and "Send the link again" in html
    # A form posted anyway, and the service itself, refuse it too.
    client.post(f"/e/{edition.slug}/register/", {"mode": "online"})
    user = User.objects.get(email="una@example.org")
    with pytest.raises(ServiceError) as refused:
        attendance.register(user, edition, "online")
    assert refused.value.code == "email_unverified"
    assert not Registration.objects.exists()

    # The link from the email: a page with a button (mail scanners that open links confirm nothing) ...
    link = link_in(mailoutbox[0].body, "/accounts/confirm-email/")
    assert "Confirm my address" in client.get(link).content.decode()
    assert not EmailAddress.objects.get(user=user).verified
    # ... which confirms and brings the person back to the registration they wanted.
    response = client.post(link)
    assert response.status_code == 302 and response.url == f"/e/{edition.slug}/register/"
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(f"/e/{edition.slug}/register/", {"mode": "online"}, follow=True)
    assert "You are registered for" in response.content.decode()


def test_a_reused_link_says_it_was_used_and_changes_nothing(client, mailoutbox):
    client.post("/accounts/signup/", sign_up_data("Ria Reuse", "ria@example.org"))
    link = link_in(mailoutbox[0].body, "/accounts/confirm-email/")
    client.post(link)
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 400
        assert "This link was already used: <strong>ria@example.org</strong> is confirmed." in response.content.decode()
    assert EmailAddress.objects.filter(email="ria@example.org", verified=True).count() == 1


def test_an_expired_or_broken_link_is_explained_and_confirms_nothing(client, mailoutbox, settings):
    client.post("/accounts/signup/", sign_up_data("Eve Expired", "eve@example.org"))
    address = EmailAddress.objects.get(email="eve@example.org")
    from allauth.account import app_settings

    days_ago = dt.datetime.now().timestamp() - (settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=days_ago):
        old_key = signing.dumps(obj=address.pk, salt=app_settings.SALT)
    for method in (client.get, client.post):
        response = method(f"/accounts/confirm-email/{old_key}/")
        assert response.status_code == 400
        assert "This link has expired: confirmation links work for 3 days." in response.content.decode()
    response = client.post("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 400 and "This confirmation link is not valid" in response.content.decode()
    address.refresh_from_db()
    assert not address.verified


def test_a_new_link_at_most_every_few_minutes(client, mailoutbox):
    client.post("/accounts/signup/", sign_up_data("Rob Resend", "rob@example.org"))
    assert len(mailoutbox) == 1
    # Just after sign-up: the first link is still fresh, so no second mail yet, and the page says when.
    response = client.post("/accounts/verify/", follow=True)
    html = response.content.decode()
    assert "We sent a link to rob@example.org moments ago" in html and "You can ask for another one in" in html
    assert len(mailoutbox) == 1
    from django.core.cache import cache

    cache.clear()  # as if the three minutes had passed
    response = client.post("/accounts/verify/", follow=True)
    assert "We sent a new link to rob@example.org" in response.content.decode()
    assert len(mailoutbox) == 2
    assert link_in(mailoutbox[1].body, "/accounts/confirm-email/")


def test_accounts_made_without_sign_up_can_get_a_link_too(client, mailoutbox):
    """e.g. `createsuperuser`: no address row yet; the verification page makes one."""
    boss = User.objects.create_superuser("boss@example.org", "boss@example.org", PASSWORD)
    client.force_login(boss)
    assert "boss@example.org" in client.get("/accounts/verify/").content.decode()
    client.post("/accounts/verify/")
    assert mailoutbox[0].to == ["boss@example.org"]


def test_a_new_policy_version_is_offered_to_people_who_accepted_an_older_one(client):
    user = make_user()
    old = current_policy()
    Consent.objects.create(user=user, policy=old)
    PrivacyPolicy.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=30))
    PrivacyPolicy.objects.create(version="2031-01", text="We keep less now.", published_at=timezone.now())
    client.force_login(user)
    html = client.get("/privacy/").content.decode()
    assert "Version 2031-01" in html and "We keep less now." in html and "I accept this version" in html
    client.post("/privacy/", {"version": "2031-01"})
    assert Consent.objects.filter(user=user, policy__version="2031-01").exists()
    assert "I accept this version" not in client.get("/privacy/").content.decode()
