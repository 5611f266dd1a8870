"""Reminder rules: "N minutes before a session, by these channels".

Rules are stored as small JSON lists (edition defaults, personal preferences) and parsed
from what people type ("1d, 2h, 15m"). Offsets are durations, not wall-clock times: a
reminder "1 day before" is sent 24 hours before the start, also across a DST change."""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from conference.errors import InvalidInput

EMAIL = "email"
IN_APP = "in_app"
CHANNELS = (EMAIL, IN_APP)
CHANNEL_LABELS = {EMAIL: "email", IN_APP: "in-app notification"}

MAX_MINUTES = 14 * 24 * 60  # two weeks: a "reminder" further ahead is an announcement
MIN_MINUTES = 1  # the shortest lead time one can choose
MAX_RULES = 5
_UNITS = {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "h": 60, "hr": 60, "hrs": 60, "hour": 60,
          "hours": 60, "d": 1440, "day": 1440, "days": 1440}
_OFFSET = re.compile(r"^\s*(\d{1,5})\s*([a-z]+)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    minutes: int
    channels: tuple[str, ...]
    online_only: bool = False  # edition defaults only: e.g. the 15-minute reminder to join online

    def as_json(self) -> dict:
        return {**asdict(self), "channels": list(self.channels)}


# The edition defaults when organisers have not changed them (issue 5): one day before by
# email for everyone, and 15 minutes before by email and in-app for those attending online.
DEFAULT_RULES = (
    Rule(24 * 60, (EMAIL,)),
    Rule(15, (EMAIL, IN_APP), online_only=True),
)


def describe_offset(minutes: int) -> str:
    """1440 → "1 day", 90 → "90 minutes" (the largest whole unit)."""
    for size, name in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes % size == 0:
            n = minutes // size
            return f"{n} {name}{'' if n == 1 else 's'}"
    raise AssertionError("unreachable: every offset is a whole number of minutes")


def format_offset(minutes: int) -> str:
    """The short form people type: 1d, 2h, 15m."""
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def parse_offset(value: str | int) -> int:
    """'1d', '2h', '15m', '15' (minutes), '5 minutes', '1 day', or an int of minutes → minutes."""
    if isinstance(value, bool):
        raise InvalidInput(f"“{value}” is not a reminder time.", field="offsets")
    if isinstance(value, int):
        minutes = value
    else:
        match = _OFFSET.match(str(value))
        if not match or (match.group(2) or "m").lower() not in _UNITS:
            raise InvalidInput(
                f"“{value}” is not a reminder time: write minutes, hours or days before the session, "
                "such as 15m, 2h or 1d.",
                field="offsets",
            )
        minutes = int(match.group(1)) * _UNITS[(match.group(2) or "m").lower()]
    if minutes < MIN_MINUTES:
        raise InvalidInput("A reminder must come at least 1 minute before the session.", field="offsets")
    if minutes > MAX_MINUTES:
        raise InvalidInput("A reminder can come at most 14 days before the session.", field="offsets")
    return minutes


def parse_offsets(values: str | Iterable[str | int]) -> list[int]:
    """A comma-separated string ("1d, 15m") or a list → distinct offsets, earliest reminder first."""
    items = [v.strip() for v in re.split(r"[,;]", values) if v.strip()] if isinstance(values, str) else list(values)
    if not items:
        raise InvalidInput("Give at least one reminder time, such as 1d or 15m.", field="offsets")
    minutes = [parse_offset(item) for item in items]
    if len(set(minutes)) != len(minutes):
        raise InvalidInput("The same reminder time is given twice.", field="offsets")
    if len(minutes) > MAX_RULES:
        raise InvalidInput(f"At most {MAX_RULES} reminders per session.", field="offsets")
    return sorted(minutes, reverse=True)


def check_channels(values: Iterable[str]) -> tuple[str, ...]:
    channels = list(values)
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise InvalidInput(
            f"Unknown channel “{unknown[0]}”; choose from: {', '.join(CHANNELS)}.", field="channels"
        )
    if not channels:
        raise InvalidInput("Choose at least one channel (email or in-app), or turn reminders off.",
                           field="channels")
    return tuple(c for c in CHANNELS if c in channels)  # canonical order, no duplicates


def rules_from_json(data: list[dict] | None) -> list[Rule]:
    if data is None:
        return list(DEFAULT_RULES)
    return [Rule(int(r["minutes"]), tuple(r["channels"]), bool(r.get("online_only"))) for r in data]


def rules_to_json(rules: Iterable[Rule]) -> list[dict]:
    return [rule.as_json() for rule in rules]


def check_rules(rules: Iterable[Rule | dict]) -> list[Rule]:
    """Validate rules given as Rule objects or JSON-like dicts (the API and admin forms)."""
    checked = []
    for item in rules:
        if isinstance(item, dict):
            unknown = set(item) - {"minutes", "channels", "online_only"}
            if unknown:
                raise InvalidInput(f"Unknown rule field(s): {', '.join(sorted(unknown))}.", field="rules")
            item = Rule(item.get("minutes", 0), tuple(item.get("channels", ())), bool(item.get("online_only")))
        checked.append(Rule(parse_offset(item.minutes), check_channels(item.channels), item.online_only))
    if len({r.minutes for r in checked}) != len(checked):
        raise InvalidInput("The same reminder time is given twice.", field="rules")
    if len(checked) > MAX_RULES:
        raise InvalidInput(f"At most {MAX_RULES} reminders per session.", field="rules")
    return sorted(checked, key=lambda r: -r.minutes)


_LINE = re.compile(r"^(?P<offset>\S+)\s+(?P<channels>[\w,+\-]+)(?:\s+(?P<online>online))?$", re.IGNORECASE)


def parse_rules_text(text: str) -> list[Rule]:
    """Edition defaults as organisers type them, one rule per line:
    `1d email` / `15m email,in_app online` (online: only for people attending online)."""
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise InvalidInput(
                f"Line {number} (“{line}”): write a time and channels, such as “1d email” or "
                "“15m email,in_app online”.",
                field="rules",
            )
        try:
            minutes = parse_offset(match["offset"])
            channels = check_channels(c for c in re.split(r"[,+]", match["channels"].lower()) if c)
        except InvalidInput as exc:
            raise InvalidInput(f"Line {number}: {exc.message}", field="rules") from exc
        rules.append(Rule(minutes, channels, bool(match["online"])))
    return check_rules(rules)


def rules_to_text(rules: Iterable[Rule]) -> str:
    return "\n".join(
        f"{format_offset(r.minutes)} {','.join(r.channels)}{' online' if r.online_only else ''}" for r in rules
    )
