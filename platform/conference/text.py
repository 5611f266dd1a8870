"""The one rule for text that people send, wherever it comes in: websocket commands, the
JSON API, pages' forms, the organiser admin and the services behind them.

Refused everywhere:
- control characters (C0 and C1, DEL): NUL makes PostgreSQL fail and, like most other
  C0 characters, is not allowed in XML, so one in a title would break schedule.xml;
- lone surrogates (U+D800–U+DFFF on their own): they cannot be encoded as UTF-8, so the
  database, a JSON frame or an email containing one fails;
- Unicode noncharacters (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF): not allowed in XML either.
Single-line text (names, titles, labels, options) also refuses line breaks and tabs,
including U+2028/U+2029; multi-line text (messages, descriptions) keeps newlines and tabs,
and `clean_text` turns Windows and old Mac line ends into newlines.

`problem` says what is wrong (or None), `clean_text` strips, checks and limits the length and
raises `InvalidInput`; `TextValidator` is the same rule for Django fields and forms, and
`conference.schema` builds the pydantic types on it. `scrub` is for exports of text stored
before this rule existed."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .errors import InvalidInput

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_NEVER = f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}"
_NEVER_RE = re.compile(f"[{_NEVER}]")
_SINGLE_LINE_RE = re.compile(f"[{_NEVER}\t\n\r\u2028\u2029]")
_LINE_ENDS = re.compile("\r\n?")


def _name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char == "\n" or char == "\r" or char in "\u2028\u2029":
        return f"a line break ({code})"
    if char == "\t":
        return f"a tab ({code})"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"a lone surrogate ({code})"
    if unicodedata.category(char) == "Cc":
        return f"a control character ({code})"
    return f"a noncharacter ({code})"


def problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` is not acceptable text ("contains a control character (U+0000)"), or None."""
    found = (_NEVER_RE if multiline else _SINGLE_LINE_RE).search(value)
    if found is None:
        return None
    what = _name(found.group())
    if not multiline and ("line break" in what or "tab" in what):
        return f"must be a single line: it contains {what}"
    return f"contains {what}, which is not allowed"


def clean_text(value: object, *, max_length: int, multiline: bool = False, required: bool = True,
          what: str = "text", field: str | None = None) -> str:
    """`value` stripped of surrounding whitespace (and with newlines normalised when
    multi-line), or InvalidInput: `invalid` when empty, not text or with forbidden characters,
    `too_long` beyond `max_length` characters."""
    field = field or what
    if not isinstance(value, str):
        raise InvalidInput(f"The {what} must be text.", field=field)
    text = value.strip()
    if multiline:
        text = _LINE_ENDS.sub("\n", text)
    if not text and required:
        raise InvalidInput(f"The {what} is empty.", field=field)
    reason = problem(text, multiline=multiline)
    if reason:
        raise InvalidInput(f"The {what} {reason}.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"The {what} has at most {max_length} characters (this one has {len(text)}).",
                           code="too_long", field=field)
    return text


def scrub(value: str, *, multiline: bool = True) -> str:
    """`value` with every forbidden character replaced by U+FFFD, for exports (XML, iCalendar)
    that must stay well-formed whatever was stored before the rule applied."""
    return (_NEVER_RE if multiline else _SINGLE_LINE_RE).sub("\ufffd", value)


@deconstructible
class TextValidator:
    """The rule as a Django validator (model and form fields)."""

    code = "forbidden_characters"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if isinstance(value, str):
            reason = problem(value, multiline=self.multiline)
            if reason:
                raise ValidationError(f"This text {reason}.", code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((TextValidator, self.multiline))


single_line = TextValidator(multiline=False)
multi_line = TextValidator(multiline=True)
