"""Reminder times and channels as people and organisers type them: bad input gets a clear
message naming the field, never a crash or a silently ignored value."""

import pytest

from conference.errors import InvalidInput
from reminders.rules import (
    DEFAULT_RULES,
    Rule,
    check_channels,
    check_rules,
    describe_offset,
    parse_offsets,
    parse_rules_text,
    rules_to_text,
)


@pytest.mark.parametrize(("typed", "minutes"), [
    ("15m", [15]), ("15", [15]), ("2h", [120]), ("1d", [1440]), ("1D, 15m", [1440, 15]),
    ("15m;1 day, 2 hours", [1440, 120, 15]),
    ("5 minutes", [5]),
    ([30, "1h"], [60, 30]),
])
def test_offsets_are_read_in_minutes_hours_and_days(typed, minutes):
    assert parse_offsets(typed) == minutes


@pytest.mark.parametrize(("typed", "message"), [
    ("soon", "“soon” is not a reminder time"),
    ("-5m", "“-5m” is not a reminder time"),
    ("0m", "at least 1 minute"),
    ("15d", "at most 14 days"),
    ("1.5h", "is not a reminder time"),
    ("1d 2h", "“1d 2h” is not a reminder time"),
    ("3 weeks", "“3 weeks” is not a reminder time"),
    ("15m, 15", "given twice"),
    ("", "at least one reminder time"),
    ("1m,2m,3m,4m,5m,6m", "At most 5"),
])
def test_invalid_offsets_are_refused_with_a_clear_message(typed, message):
    with pytest.raises(InvalidInput) as refused:
        parse_offsets(typed)
    assert message in refused.value.message
    assert refused.value.field == "offsets"


def test_unknown_channels_are_named_in_the_error():
    with pytest.raises(InvalidInput) as refused:
        check_channels(["email", "sms"])
    assert refused.value.message == "Unknown channel “sms”; choose from: email, in_app."
    assert refused.value.field == "channels"
    with pytest.raises(InvalidInput, match="at least one channel"):
        check_channels([])
    assert check_channels(["in_app", "email", "email"]) == ("email", "in_app")


def test_rules_given_as_json_are_checked_too():
    with pytest.raises(InvalidInput, match="Unknown rule field"):
        check_rules([{"minutes": 15, "channels": ["email"], "when": "soon"}])
    with pytest.raises(InvalidInput, match="Unknown channel “pigeon”"):
        check_rules([{"minutes": 15, "channels": ["pigeon"]}])
    assert check_rules([{"minutes": 15, "channels": ["in_app"]}, {"minutes": 60, "channels": ["email"]}]) == [
        Rule(60, ("email",)), Rule(15, ("in_app",))]


def test_organisers_write_defaults_one_rule_per_line():
    text = "# our defaults\n1d email\n\n15m email,in_app online\n"
    assert parse_rules_text(text) == list(DEFAULT_RULES)
    assert parse_rules_text(rules_to_text(DEFAULT_RULES)) == list(DEFAULT_RULES)
    with pytest.raises(InvalidInput) as refused:
        parse_rules_text("1d email\n15m fax")
    assert refused.value.message == "Line 2: Unknown channel “fax”; choose from: email, in_app."
    with pytest.raises(InvalidInput, match="Line 1 .*write a time and channels"):
        parse_rules_text("tomorrow morning please")


def test_offsets_are_described_in_words():
    assert [describe_offset(m) for m in (1440, 2880, 60, 90, 15, 1)] == [
        "1 day", "2 days", "1 hour", "90 minutes", "15 minutes", "1 minute"]
