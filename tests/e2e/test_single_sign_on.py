"""Single sign-on through OpenID Connect, end to end: a real provider (panva's certified
oidc-provider, run with node), a Daphne configured only through CONFERENCE_OIDC_*
variables, and Chromium going through the provider's login page and back."""

import json
import shutil
import subprocess
import urllib.request

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from attendance.models import Registration
from people.models import Consent
from tests.fixtures.factories import make_edition, make_session
from tests.fixtures.servers import ROOT, die_with_parent, free_port, start_daphne, stop, wait_for

from .accounts import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
PROVIDER_DIR = ROOT / "tests" / "fixtures" / "oidc"
ACCOUNTS = {
    "ada@org.example": {"password": "directory-password", "name": "Ada Lovelace", "email_verified": True},
    "bob@org.example": {"password": "directory-password", "name": "Bob Unchecked", "email_verified": False},
}


@pytest.fixture(scope="module")
def sso(server_env, tmp_path_factory):
    """(platform URL, provider URL): a Daphne with single sign-on configured by environment
    variables, and the identity provider it trusts."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.skip("node and tests/fixtures/oidc/node_modules are needed (make test-deps; apt-get install nodejs npm)")
    logs = tmp_path_factory.mktemp("sso")
    provider_url = f"http://127.0.0.1:{free_port()}"
    platform_url, daphne = start_daphne({
        **server_env,
        "CONFERENCE_OIDC_SERVER_URL": provider_url,
        "CONFERENCE_OIDC_PROVIDER_ID": "example-org",
        "CONFERENCE_OIDC_NAME": "Example Org",
        "CONFERENCE_OIDC_CLIENT_ID": "conference-platform",
        "CONFERENCE_OIDC_CLIENT_SECRET": "a-client-secret-for-tests",
    }, logs / "daphne.log")
    with open(logs / "provider.log", "wb") as log:
        provider = subprocess.Popen(  # noqa: S603
            [node, "provider.mjs"], cwd=PROVIDER_DIR, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent, env={
                "PATH": server_env["PATH"], "PORT": provider_url.rsplit(":", 1)[1],
                "CLIENT_ID": "conference-platform", "CLIENT_SECRET": "a-client-secret-for-tests",
                "REDIRECT_URI": f"{platform_url}/accounts/oidc/example-org/login/callback/",
                "ACCOUNTS": json.dumps(ACCOUNTS),
            })
    wait_for(lambda: urllib.request.urlopen(f"{provider_url}/.well-known/openid-configuration",  # noqa: S310
                                            timeout=2).status == 200, "oidc-provider", process=provider)
    yield platform_url, provider_url
    stop(provider)
    stop(daphne)


@pytest.fixture
def edition(transactional_db):
    edition = make_edition(title="Cluster Conference 2030", slug="ecc-2030")
    make_session(edition, title="Opening plenary")
    return edition


def through_provider(page, email: str) -> None:
    page.get_by_role("button", name="Log in with Example Org").click()
    page.get_by_role("heading", name="Example Org sign-in").wait_for()
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Directory password").fill("directory-password")
    page.get_by_role("button", name="Sign in to Example Org").click()


def test_sign_up_and_log_in_with_the_organisations_identity_provider(sso, edition, page_in):
    platform, provider = sso
    page = page_in()
    page.goto(f"{platform}/accounts/login/?next=/e/ecc-2030/register/")
    screenshot(page, "login")
    through_provider(page, "ada@org.example")

    # First time: the provider's name and address, and the privacy policy to accept.
    page.get_by_role("heading", name="Finish signing up").wait_for()
    assert page.get_by_label("Name").input_value() == "Ada Lovelace"
    assert page.get_by_label("Email").input_value() == "ada@org.example"
    screenshot(page, "sso-finish-sign-up")
    page.get_by_label("I have read the privacy policy").check()
    page.get_by_role("button", name="Create my account").click()

    # The provider vouched for the address: registering needs no confirmation link.
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered for Cluster Conference 2030.").wait_for()
    account = SocialAccount.objects.get(uid="ada@org.example")
    assert account.provider == "example-org" and account.user.profile.name == "Ada Lovelace"
    assert EmailAddress.objects.get(user=account.user).verified
    assert Consent.objects.filter(user=account.user).exists()
    assert Registration.objects.get(user=account.user).mode == "online"

    # Next time: straight in.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{platform}/accounts/login/?next=/agenda/")
    page.get_by_role("button", name="Log in with Example Org").click()
    page.wait_for_url(f"{platform}/agenda/")  # the provider remembers its session: no form this time
    assert page.get_by_role("link", name="Ada Lovelace").is_visible()


def test_an_address_the_provider_did_not_check_must_be_confirmed(sso, edition, page_in, mailbox):
    platform, _ = sso
    page = page_in()
    page.goto(f"{platform}/accounts/login/?next=/e/ecc-2030/register/")
    through_provider(page, "bob@org.example")
    page.get_by_label("I have read the privacy policy").check()
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("To register for Cluster Conference 2030, confirm your email address first.").wait_for()
    assert mailbox.wait(1, to="bob@org.example")
    assert not Registration.objects.exists()
