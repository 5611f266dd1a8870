"""Form fields that follow the platform's text rule (conference.text), for forms that are not
ModelForms (ModelForms get the rule from the model fields, see conference.stored_text).

    name = LineField(max_length=150)
    bio = ParagraphField(required=False)
"""

from django import forms

from . import text


class LineField(forms.CharField):
    """One line of text: no line breaks, tabs or control characters."""

    default_validators = [text.single_line]


class ParagraphField(forms.CharField):
    """Text of several lines (a textarea): newlines and tabs are kept, line ends become \\n."""

    widget = forms.Textarea
    default_validators = [text.multi_line]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value
