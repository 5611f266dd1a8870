import zoneinfo

from allauth.account import forms as account_forms
from allauth.account.forms import SignupForm as AccountSignupForm
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django_countries import countries

from conference.forms import LineField, ParagraphField

from . import privacy, services

COUNTRY_CHOICES = [("", "—"), *countries]
ZONE_CHOICES = [("", "Use my browser's time zone")] + [(z, z) for z in sorted(zoneinfo.available_timezones())]


class ProfileFields(forms.Form):
    name = LineField(max_length=150, error_messages={"required": "Enter your name."})
    organisation = LineField(max_length=200, required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    time_zone = forms.ChoiceField(choices=ZONE_CHOICES, required=False)


class ProfileForm(ProfileFields):
    bio = ParagraphField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False)


class ConsentFields(forms.Form):
    """Acceptance of the privacy policy in force, and which version the person was shown."""

    privacy_consent = forms.BooleanField(
        required=True, error_messages={"required": "Accept the privacy policy to create an account."})
    policy_version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = privacy.current_policy()
        self.fields["policy_version"].initial = policy.version
        self.fields["privacy_consent"].label = format_html(
            'I have read the <a href="{}" target="_blank" rel="noopener">privacy policy</a> (version {}) and agree '
            "that the platform keeps my data as it describes.", reverse("privacy"), policy.version)

    def clean_policy_version(self) -> str:
        version = self.cleaned_data["policy_version"]
        current = privacy.current_policy().version
        if version != current:
            self.add_error("privacy_consent", "The privacy policy changed while you were signing up: please read the "
                                              "new version and accept it.")
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict: the form shown again asks for the new version
            data[self.add_prefix("policy_version")] = current
            self.data = data
        return version

    def complete_sign_up(self, user) -> None:
        data = self.cleaned_data
        services.complete_sign_up(user, name=data["name"], organisation=data.get("organisation", ""),
                                  country=data.get("country", ""), time_zone=data.get("time_zone", ""),
                                  policy_version=data["policy_version"])


class SignUpForm(ProfileFields, ConsentFields, AccountSignupForm):
    field_order = ["name", "email", "password1", "organisation", "country", "time_zone", "privacy_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email"
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = "Password"
        self.fields["password1"].help_text = "At least 8 characters, not only digits, not a common password."
        self.fields["password1"].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)

    @transaction.atomic
    def save(self, request):
        user = super().save(request)
        self.complete_sign_up(user)
        return user


class SocialSignUpForm(ProfileFields, ConsentFields, SocialSignupForm):
    """Sign-up after the first single sign-on: the identity provider's name and address,
    checked by the person, and their consent."""

    field_order = ["name", "email", "organisation", "country", "time_zone", "privacy_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email"
        user = self.sociallogin.user
        claims = self.sociallogin.account.extra_data or {}
        claims = claims.get("userinfo") or claims.get("id_token") or claims
        self.fields["name"].initial = claims.get("name") or user.get_full_name()
        self.order_fields(self.field_order)

    @transaction.atomic
    def save(self, request):
        user = super().save(request)
        self.complete_sign_up(user)
        return user


class PlainFields:
    """allauth's password forms with the platform's wording: sentence-case labels, no placeholders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = str(field.label)[:1] + str(field.label)[1:].lower()
            field.widget.attrs.pop("placeholder", None)
            field.help_text = ""


class ChangePasswordForm(PlainFields, account_forms.ChangePasswordForm):
    pass


class SetPasswordForm(PlainFields, account_forms.SetPasswordForm):
    pass


class ResetPasswordForm(PlainFields, account_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainFields, account_forms.ResetPasswordKeyForm):
    pass
