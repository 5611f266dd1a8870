from django import forms

from conference.forms import LineField, ParagraphField
from people.forms import COUNTRY_CHOICES

from .models import Listing, MatchmakingEvent, Sector


class ProfileForm(forms.Form):
    organisation = LineField(max_length=200)
    sector = forms.ChoiceField(choices=[("", "—"), *Sector.choices], required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    cluster = LineField(label="Cluster or network", max_length=200, required=False)
    description = ParagraphField(
        label="What your organisation does", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        required=False,
    )


class ListingForm(forms.Form):
    direction = forms.ChoiceField(label="We", choices=[("offer", "offer"), ("request", "are looking for")])
    category = forms.ChoiceField(label="Type", choices=Listing.Category.choices)
    title = LineField(max_length=200)
    description = ParagraphField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False)
    tags = LineField(max_length=300, required=False, help_text="Comma-separated, e.g. hydrogen, batteries")


class SettingsForm(forms.Form):
    meeting_minutes = forms.IntegerField(label="Meeting length (minutes)", min_value=5, max_value=240)
    tables = forms.IntegerField(label="Tables in the room", min_value=0)
    video_link_template = LineField(
        label="Video link", max_length=300, help_text="{event} and {meeting} are filled in per meeting"
    )
    slot_choice = forms.ChoiceField(label="Slots are chosen by", choices=MatchmakingEvent.SlotChoice.choices)
    booking_closes_at = forms.DateTimeField(
        label="Booking closes at (venue time)", required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SlotsForm(forms.Form):
    breaks = ParagraphField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text="One break per line at venue time, e.g. “10:30-11:00 Coffee break”",
    )
