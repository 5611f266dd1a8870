"""Password reset by email, password change, logging out, and the signals the realtime layer
listens to (people.signals.password_changed, Django's user_logged_out)."""

import pytest
from django.contrib.auth.signals import user_logged_out
from django.test import Client

from people import signals
from tests.fixtures.factories import PASSWORD, link_in, make_user

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-and-longer-passphrase"


@pytest.fixture
def heard():
    """What people.signals.password_changed and user_logged_out said during the test."""
    said = []

    def on_password(**kwargs):
        said.append(("password", kwargs["user_id"], kwargs["how"]))

    def on_logout(**kwargs):
        said.append(("logout", kwargs["user"].pk, None))

    signals.password_changed.connect(on_password)
    user_logged_out.connect(on_logout)
    yield said
    signals.password_changed.disconnect(on_password)
    user_logged_out.disconnect(on_logout)


def test_password_reset_by_email(client, mailoutbox, heard, django_capture_on_commit_callbacks):
    user = make_user("Rosa Reset", email="rosa@example.org")
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert unknown.status_code == 400 and "No account uses this email address" in unknown.content.decode()
    response = client.post("/accounts/password/reset/", {"email": "ROSA@example.org"}, follow=True)
    assert "We sent you an email with a link to choose a new password" in response.content.decode()
    [mail] = mailoutbox
    assert mail.subject == "Reset your password for the conference platform" and "Hello Rosa Reset," in mail.body
    link = link_in(mail.body, "/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Your password is changed" in done.content.decode()
    assert ("password", user.pk, "reset") in heard
    assert Client().login(username="rosa@example.org", password=NEW_PASSWORD)
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_changing_the_password_logs_out_the_other_devices_and_says_so(client, mailoutbox, heard,
                                                                      django_capture_on_commit_callbacks):
    user = make_user("Carl Change", email="carl@example.org")
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    wrong = client.post("/accounts/password/change/", {"oldpassword": "nope", "password1": NEW_PASSWORD,
                                                        "password2": NEW_PASSWORD})
    assert wrong.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": NEW_PASSWORD,
                                                               "password2": NEW_PASSWORD}, follow=True)
    assert "Your password is changed. Your other devices are logged out." in response.content.decode()
    assert heard == [("password", user.pk, "changed")]
    assert "Carl Change" in client.get("/archive/").content.decode()  # this browser stays logged in
    assert other_device.get("/accounts/profile/").status_code == 302  # the other one is sent to log in
    assert mailoutbox[-1].subject == "Your password for the conference platform was changed"


def test_logging_out_sends_user_logged_out(client, heard):
    user = make_user()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 200  # a page that asks; GET changes nothing
    assert heard == []
    client.post("/accounts/logout/")
    assert heard == [("logout", user.pk, None)]
    assert client.get("/accounts/profile/").status_code == 302
