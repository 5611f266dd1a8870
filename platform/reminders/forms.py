from django import forms

from conference.forms import LineField, ParagraphField

from .rules import CHANNEL_LABELS, CHANNELS


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Renders as checkboxes but lets any value through: the service validates channels
    and explains what is wrong, in the same words for the page and the API."""

    def valid_value(self, value) -> bool:
        return True


class PreferencesForm(forms.Form):
    mode = forms.ChoiceField(
        label="Reminders", widget=forms.RadioSelect,
        choices=[("default", "As the organisers set them for each edition"),
                 ("custom", "My own reminder times"),
                 ("off", "No reminders")],
    )
    offsets = LineField(
        label="Remind me before each session", max_length=200, required=False,
        help_text="Times before the start, separated by commas: 15m (minutes), 2h (hours), 1d (days).",
    )
    channels = LenientMultipleChoiceField(
        label="By", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS],
    )


class EditionDefaultsForm(forms.Form):
    rules = ParagraphField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 50}), max_length=2000,
        help_text="One reminder per line: a time before the session (15m, 2h, 1d), the channels (email, "
                  "in_app, comma-separated) and “online” for reminders only to people attending online. "
                  "Example: “1d email” and “15m email,in_app online”.",
    )
