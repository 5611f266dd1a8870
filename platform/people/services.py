"""Accounts and profiles."""

import hashlib
import secrets
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from conference.errors import Conflict, InvalidInput, NotFound

from . import privacy
from .models import DeviceToken, Profile, new_feed_token

User = get_user_model()


def check_time_zone(name: str) -> str:
    if name and name not in zoneinfo.available_timezones():
        raise InvalidInput(f"Unknown time zone “{name}”. Use an IANA name such as Europe/Prague.", field="time_zone")
    return name


def profile_of(user) -> Profile:
    """Every user has a profile; accounts made by createsuperuser get one on first use."""
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"name": user.get_full_name() or user.username})
    return profile


def display_name(user) -> str:
    """The name shown to others: the profile's, else the login (accounts made without a profile)."""
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None else user.get_username()


def update_profile(user, **fields) -> Profile:
    allowed = {"name", "organisation", "country", "time_zone", "bio"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    check_time_zone(fields.get("time_zone", ""))
    profile = profile_of(user)
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.save()
    return profile


def rotate_feed_token(user) -> str:
    profile = profile_of(user)
    profile.feed_token = new_feed_token()
    profile.save(update_fields=["feed_token"])
    return profile.feed_token


MAX_TOKENS = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_device_token(user, label: str) -> tuple[DeviceToken, str]:
    """A new token for a device; returns the row and the raw token (shown to the user once)."""
    label = label.strip()
    if not label:
        raise InvalidInput("Name the device, e.g. “Projector hall A”.", field="label")
    if len(label) > 100:
        raise InvalidInput("Device names are limited to 100 characters.", field="label")
    if DeviceToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise Conflict(f"You already have {MAX_TOKENS} device tokens; revoke one first.", code="too_many_tokens")
    raw = "dt_" + secrets.token_urlsafe(32)
    token = DeviceToken.objects.create(user=user, label=label, prefix=raw[3:11], key_hash=token_hash(raw))
    return token, raw


def revoke_device_token(user, token_id: int) -> None:
    updated = DeviceToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if not updated:
        raise NotFound("No such active device token.")


def user_for_device_token(raw: str):
    """The active user the token belongs to, or None."""
    if not raw.startswith("dt_") or len(raw) > 100:
        return None
    token = DeviceToken.objects.select_related("user").filter(
        key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True).first()
    if token is None:
        return None
    DeviceToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def complete_sign_up(user, *, name: str, policy_version: str, organisation: str = "", country: str = "",
                     time_zone: str = "") -> Profile:
    """What a new account needs besides allauth's user and address: the profile, and the
    consent to the privacy policy version the person was shown."""
    if not name.strip():
        raise InvalidInput("Enter your name.", field="name")
    check_time_zone(time_zone)
    profile, _ = Profile.objects.update_or_create(user=user, defaults={
        "name": name.strip(), "organisation": organisation.strip(), "country": country, "time_zone": time_zone})
    privacy.record_consent(user, policy_version)
    return profile
