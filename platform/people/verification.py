"""Confirmed email addresses. Registering for an edition and writing in live rooms need
one (checked by those services through `require_verified_email`); everything else works
before. The addresses and their confirmation links are allauth's (EmailAddress)."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.http import HttpRequest

from conference.errors import Forbidden

from . import throttle

UNVERIFIED_MESSAGE = ("Confirm your email address first: open the link we sent you, or ask for a new one "
                      "on the page “Confirm your email address” (/accounts/verify/).")


def email_verified(user) -> bool:
    """True when the person has confirmed an email address. Takes a user or a user id."""
    user_id = user if isinstance(user, int) else (user.pk if user.is_authenticated else None)
    return user_id is not None and EmailAddress.objects.filter(user_id=user_id, verified=True).exists()


def require_verified_email(user) -> None:
    if not email_verified(user):
        raise Forbidden(UNVERIFIED_MESSAGE, code="email_unverified")


def address_of(user) -> EmailAddress | None:
    """The address confirmation links go to: the primary one, made from the account's
    email when the account was created without allauth (createsuperuser, the admin)."""
    address = EmailAddress.objects.filter(user=user).order_by("-primary", "-verified").first()
    if address is None and user.email:
        address = EmailAddress.objects.create(user=user, email=user.email.lower(), primary=True, verified=False)
    return address


def mark_email_verified(user) -> None:
    """For accounts whose address is known to be right without a link (the demo logins)."""
    address = address_of(user)
    if address is not None and not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@dataclass
class Resent:
    sent: bool
    email: str = ""
    retry_in: int | None = None  # seconds, when a link was sent too recently


def resend_verification(request: HttpRequest, user) -> Resent:
    """Send a new confirmation link, at most one per address every few minutes
    (ACCOUNT_RATE_LIMITS["confirm_email"]); links already sent stay valid."""
    address = address_of(user)
    if address is None or address.verified:
        return Resent(sent=False, email=address.email if address else "")
    if not ratelimit.consume(request, action="confirm_email", key=address.email.lower()):
        return Resent(sent=False, email=address.email,
                      retry_in=throttle.retry_after(request, "confirm_email", key=address.email.lower()) or 60)
    address.send_confirmation(request)
    return Resent(sent=True, email=address.email)

