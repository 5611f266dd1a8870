"""A person's profile next to Django's user: what other participants and organisers see."""

import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField

from .timezones import validate_time_zone


def photo_path(profile: "Profile", filename: str) -> str:
    # Random names: a photo's address reveals nothing and a new photo never serves a cached old one.
    return f"people/photos/{secrets.token_hex(12)}{Path(filename).suffix.lower()}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone],
        help_text="Empty: use the browser's time zone",
    )
    bio = models.TextField(blank=True)
    # Shown on speaker pages; checked for type and size by people.services.set_photo.
    photo = models.ImageField(upload_to=photo_path, blank=True, max_length=200)
    # Secret for the personal calendar feed URL; rotating it revokes old subscriptions.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    def __str__(self) -> str:
        return self.name


class DeviceToken(models.Model):
    """A secret for a non-browser client (a speaker's tablet, a projector PC, a script)
    that acts as the user on the websocket. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    label = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise the token")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"


class PrivacyPolicy(models.Model):
    """A version of the privacy notice people accept when they sign up. A version people
    consented to is never edited: organisers publish a new version instead."""

    version = models.CharField(max_length=40, unique=True, help_text="A name for this version, e.g. 2026-05")
    text = models.TextField(help_text="Plain text. An empty line starts a new paragraph.")
    published_at = models.DateTimeField(help_text="From this moment on, sign-ups accept this version")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "privacy policies"

    def __str__(self) -> str:
        return f"Privacy policy {self.version}"


class Consent(models.Model):
    """A person's acceptance of one version of the privacy policy, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_consents")
    policy = models.ForeignKey(PrivacyPolicy, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "policy"], name="one_consent_per_policy")]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.policy.version}"
