"""Time zones as people and editions name them (IANA names)."""

import zoneinfo

from django.core.exceptions import ValidationError


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"Unknown time zone “{value}”. Use an IANA name such as Europe/Prague.")
