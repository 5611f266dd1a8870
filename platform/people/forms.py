import zoneinfo

from django import forms
from django_countries import countries

COUNTRY_CHOICES = [("", "—"), *countries]
ZONE_CHOICES = [("", "Use my browser's time zone")] + [(z, z) for z in sorted(zoneinfo.available_timezones())]


class SignUpForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 8 characters, not only digits.")
    organisation = forms.CharField(max_length=200, required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    time_zone = forms.ChoiceField(choices=ZONE_CHOICES, required=False)


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150)
    organisation = forms.CharField(max_length=200, required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    time_zone = forms.ChoiceField(choices=ZONE_CHOICES, required=False)
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
