"""The people app's own sections of a person's data (see people.personal_data): the account
with its addresses, single sign-on links and consents, the profile, device tokens."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry

from . import personal_data
from .models import Consent, DeviceToken, Profile, new_feed_token
from .personal_data import moment


def export_account(user) -> dict:
    return {
        "email": user.email,
        "joined_at": moment(user.date_joined),
        "last_login": moment(user.last_login),
        "email_addresses": [{"email": a.email, "verified": a.verified, "primary": a.primary}
                            for a in EmailAddress.objects.filter(user=user).order_by("pk")],
        "single_sign_on": [{"provider": a.provider, "identity_provider_id": a.uid,
                            "linked_at": moment(a.date_joined), "last_login": moment(a.last_login)}
                           for a in SocialAccount.objects.filter(user=user).order_by("pk")],
        "privacy_consents": [{"policy_version": c.policy.version, "given_at": moment(c.given_at)}
                             for c in Consent.objects.filter(user=user).select_related("policy")],
        "organiser_area_changes": [{"at": moment(e.action_time), "object": e.object_repr,
                                    "action": e.get_action_flag_display(), "change": e.get_change_message()}
                                   for e in LogEntry.objects.filter(user=user).order_by("action_time")],
    }


def erase_account(user) -> None:
    # The organiser-area log stays: it records what was done to shared data, by an account
    # that no longer names anyone.
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()


def export_profile(user) -> dict | None:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {"name": profile.name, "organisation": profile.organisation, "country": profile.country.code or "",
            "time_zone": profile.time_zone, "bio": profile.bio,
            "photo": "the photo you uploaded for speaker pages" if profile.photo else None,
            "calendar_feed": "a secret link to your personal agenda (shown on your agenda page)"}


def erase_profile(user) -> None:
    from .privacy import DELETED_NAME

    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.photo:
        profile.photo.delete(save=False)  # the file goes with the account
    Profile.objects.update_or_create(user=user, defaults={
        "name": DELETED_NAME, "organisation": "", "country": "", "time_zone": "", "bio": "", "photo": "",
        "feed_token": new_feed_token(),  # the old calendar link stops working
    })


def export_device_tokens(user) -> list:
    return [{"label": t.label, "starts_with": f"dt_{t.prefix}", "created_at": moment(t.created_at),
             "last_used_at": moment(t.last_used_at), "revoked_at": moment(t.revoked_at)}
            for t in DeviceToken.objects.filter(user=user).order_by("pk")]


def erase_device_tokens(user) -> None:
    DeviceToken.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("account", models=[EmailAddress, SocialAccount, Consent, LogEntry],
                           export=export_account, erase=erase_account, order=900)
    personal_data.register("profile", models=[Profile], export=export_profile, erase=erase_profile, order=910)
    personal_data.register("device_tokens", models=[DeviceToken], export=export_device_tokens,
                           erase=erase_device_tokens, order=900)
