"""How allauth fits the platform: the username is the email address (as before allauth),
a throttled login says when to retry, mails carry the platform's name and survive a mail
server that is down, and addresses from a trusted identity provider count as confirmed."""

import datetime as dt
import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_email, user_username
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import services, throttle

log = logging.getLogger(__name__)


def login_throttled_message(wait: int | None) -> str:
    if wait is None:
        return "Too many failed attempts to log in. Try again in a few minutes, or reset your password."
    at = timezone.localtime(timezone.now() + dt.timedelta(seconds=wait))
    return (f"Too many failed attempts to log in. For your safety, logging in is paused: try again in "
            f"{throttle.in_words(wait)} (after {at:%H:%M}), or reset your password below.")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": "An account with this email address already exists. Log in, or reset your password if you "
                       "forgot it.",
        "email_password_mismatch": "The email address or the password is not right.",
        "unknown_email": "No account uses this email address. Check it, or sign up.",
    }

    def populate_username(self, request, user) -> None:
        """The login name is the email address, as for accounts made before allauth."""
        email = user_email(user)
        if email and len(email) <= 150 and not get_user_model().objects.filter(username__iexact=email).exists():
            user_username(user, email)
        else:
            super().populate_username(request, user)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code != "too_many_login_attempts":
                raise
            key = self._get_login_attempts_cache_key(request, **credentials)
            wait = throttle.retry_after(request, "login_failed", key=key)
            raise ValidationError(login_throttled_message(wait), code="too_many_login_attempts") from exc

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user")
        context = {
            **context,
            "platform_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "expire_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
            "person_name": services.display_name(user) if user is not None and user.pk else "",
        }
        try:
            super().send_mail(template_prefix, email, context)
        except (OSError, smtplib.SMTPException) as exc:
            # The account change itself is done; only the mail is missing. Say so, and how to get it later.
            log.warning("Could not send %s to %s: %s", template_prefix, email, exc)
            request = allauth_context.request
            if request is not None:
                messages.error(request, f"We could not send the email to {email} just now. Try again in a few "
                                        "minutes (for a confirmation link: “Send the link again”).")

    def get_email_verification_redirect_url(self, email_address) -> str:
        request = allauth_context.request
        target = request.session.pop("after_verification", None) if request is not None else None
        return target or super().get_email_verification_redirect_url(email_address)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin) -> None:
        if settings.OIDC_TRUST_EMAIL:
            for address in sociallogin.email_addresses:
                address.verified = True
        super().pre_social_login(request, sociallogin)
