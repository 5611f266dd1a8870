import zoneinfo

from django import forms
from django_countries import countries

from conference.forms import LineField, ParagraphField

COUNTRY_CHOICES = [("", "—"), *countries]
ZONE_CHOICES = [("", "Use my browser's time zone")] + [(z, z) for z in sorted(zoneinfo.available_timezones())]


class SignUpForm(forms.Form):
    name = LineField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 8 characters, not only digits.")
    organisation = LineField(max_length=200, required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    time_zone = forms.ChoiceField(choices=ZONE_CHOICES, required=False)


class ProfileForm(forms.Form):
    name = LineField(max_length=150)
    organisation = LineField(max_length=200, required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    time_zone = forms.ChoiceField(choices=ZONE_CHOICES, required=False)
    bio = ParagraphField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False)
