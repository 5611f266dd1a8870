"""Accounts and profiles."""

import hashlib
import secrets
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.errors import Conflict, InvalidInput, NotFound
from conference.text import clean_text

from . import privacy
from .models import DeviceToken, Profile, new_feed_token

User = get_user_model()


MAX_NAME = 150
MAX_ORGANISATION = 200
# profile field → (max length, multi-line, required)
_PROFILE_TEXT = {"name": (MAX_NAME, False, True), "organisation": (MAX_ORGANISATION, False, False),
                 "bio": (5000, True, False)}


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
    for key, (limit, multiline, required) in _PROFILE_TEXT.items():
        if key in fields:
            fields[key] = clean_text(fields[key], max_length=limit, multiline=multiline, required=required,
                                     what=key)
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
    if not (label or "").strip():
        raise InvalidInput("Name the device, e.g. “Projector hall A”.", field="label")
    label = clean_text(label, max_length=100, what="device name", field="label")
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
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("Enter your name.", field="name")
    name = clean_text(name, max_length=MAX_NAME, what="name")
    organisation = clean_text(organisation, max_length=MAX_ORGANISATION, required=False, what="organisation")
    check_time_zone(time_zone)
    profile, _ = Profile.objects.update_or_create(user=user, defaults={
        "name": name, "organisation": organisation, "country": country, "time_zone": time_zone})
    privacy.record_consent(user, policy_version)
    return profile


PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_PHOTO_PIXELS = 40_000_000  # refuses decompression bombs before decoding them


def set_photo(user, upload) -> Profile:
    """A new profile photo (shown on speaker pages): JPEG, PNG or WebP, checked by decoding it;
    the old file is removed once the new one is saved. `upload=None` removes the photo."""
    from django.conf import settings
    from PIL import Image, UnidentifiedImageError

    profile = profile_of(user)
    old = profile.photo.name if profile.photo else ""
    if upload is None:
        profile.photo = None
    else:
        if upload.size is None or upload.size > settings.PHOTO_MAX_MB * 1024 * 1024:
            raise InvalidInput(_("The photo is larger than %(mb)d MB.") % {"mb": settings.PHOTO_MAX_MB},
                               code="file_too_large", field="photo")
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                kind = image.format or ""
                if image.width * image.height > MAX_PHOTO_PIXELS:
                    raise InvalidInput(_("The photo has too many pixels: 40 megapixels at most."), field="photo")
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
            raise InvalidInput(_("This file is not a photo we can show: upload a JPEG, PNG or WebP image."),
                               code="unsupported_file", field="photo") from exc
        if kind not in PHOTO_FORMATS:
            raise InvalidInput(_("Upload the photo as JPEG, PNG or WebP."), code="unsupported_file", field="photo")
        upload.seek(0)
        profile.photo.save(f"photo{PHOTO_FORMATS[kind]}", upload, save=False)
    profile.save(update_fields=["photo"])
    if old:
        profile.photo.storage.delete(old)
    return profile
