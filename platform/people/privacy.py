"""The privacy policy and consent to it, the personal data export (GDPR article 15) and
account deletion (article 17). What each app keeps about a person is described by the
sections registered in people.personal_data."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from conference.errors import Forbidden, InvalidInput

from . import personal_data, signals
from .models import Consent, PrivacyPolicy

User = get_user_model()
DEFAULT_POLICY_VERSION = "1"
DELETED_NAME = "Deleted account"
EXPORT_FORMAT = 1


def current_policy() -> PrivacyPolicy:
    """The version in force: the latest published one. A new installation starts with the
    default text (people/privacy_policy_default.txt) until organisers publish their own."""
    policy = PrivacyPolicy.objects.filter(published_at__lte=timezone.now()).first()
    if policy is None:
        policy, _ = PrivacyPolicy.objects.get_or_create(
            version=DEFAULT_POLICY_VERSION,
            defaults={"text": render_to_string("people/privacy_policy_default.txt").strip(),
                      "published_at": timezone.now()})
    return policy


def record_consent(user, version: str) -> Consent:
    """The person accepts the policy in force, which must be the version they were shown."""
    policy = current_policy()
    if version != policy.version:
        raise InvalidInput("The privacy policy changed while you were reading it: please read the new version "
                           "and accept it.", code="policy_changed", field="privacy_consent")
    consent, _ = Consent.objects.get_or_create(user=user, policy=policy)
    return consent


def latest_consent(user) -> Consent | None:
    return Consent.objects.filter(user=user).select_related("policy").first()


def needs_new_consent(user) -> bool:
    """True when the person accepted an older version than the one in force."""
    consent = latest_consent(user)
    return consent is not None and consent.policy_id != current_policy().pk


def export_personal_data(user) -> dict:
    """Everything the platform keeps about the person, as one JSON document."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": personal_data.moment(timezone.now()),
        "user_id": user.pk,
        **personal_data.export(user),
    }


def check_password_for_deletion(user, password: str) -> None:
    """Deleting an account is confirmed with its password; accounts that log in only
    through single sign-on (no usable password) confirm by typing their email address
    (an account with neither sets a password first)."""
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise Forbidden("That is not your password; your account is not deleted.", code="wrong_password",
                            field="password")
    elif not user.email or password.strip().lower() != user.email.lower():
        raise Forbidden("Type your email address exactly to confirm; your account is not deleted.",
                        code="wrong_confirmation", field="password")


def delete_account(user, *, password: str) -> None:
    """Erase the person's data (every registered section), then empty the account itself:
    it stays as an anonymous, inactive row so that what organisers count stays counted.
    `people.signals.account_deleted` is sent after the commit."""
    check_password_for_deletion(user, password)
    user_id = user.pk
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        personal_data.erase(user)
        _anonymise(user)
        transaction.on_commit(lambda: signals.account_deleted.send(sender=User, user_id=user_id))


def _anonymise(user) -> None:
    user.username = f"deleted-{user.pk}-{secrets.token_hex(4)}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()  # also ends every session: their auth hash no longer matches
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
