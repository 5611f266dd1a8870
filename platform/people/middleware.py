"""Activates the viewer's time zone: the profile's zone, else the browser's (a `tz`
cookie set by a few lines of JavaScript), else UTC."""

import zoneinfo
from urllib.parse import unquote

from django.utils import timezone

VALID_ZONES = zoneinfo.available_timezones()


def viewer_zone_name(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.time_zone:
            return profile.time_zone
    # The browser percent-encodes the "/" of zone names (see timezone.js).
    cookie = unquote(request.COOKIES.get("tz", ""))
    return cookie if cookie in VALID_ZONES else "UTC"


class ViewerTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer_time_zone = viewer_zone_name(request)
        timezone.activate(zoneinfo.ZoneInfo(request.viewer_time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
