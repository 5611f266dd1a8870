"""Template helpers for showing session times in the venue's and the viewer's zone."""

import datetime as dt
import zoneinfo

from django import template
from django.urls import reverse
from django.utils import timezone

register = template.Library()


def _offset(zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> dt.timedelta | None:
    return moment.astimezone(zone).utcoffset()


def clocks_differ(edition, viewer_zone: str) -> bool:
    """Whether a viewer's clock shows other times than the venue's during the edition. Zones with
    other names can show the same time (Berlin and Prague): then "your time" would only repeat it."""
    try:
        viewer = zoneinfo.ZoneInfo(viewer_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return True
    moments = [dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) for day in (edition.start_date, edition.end_date)]
    return any(_offset(viewer, m) != _offset(edition.tz, m) for m in moments)


@register.inclusion_tag("programme/_times.html", takes_context=True)
def session_times(context, session, edition, show_date=False):
    """Start–end at the venue, and in the viewer's zone when it differs."""
    viewer_zone = str(timezone.get_current_timezone())
    venue_zone = edition.time_zone
    # Compare calendar dates in both zones, to show the viewer's date when it differs.
    other_day = session.starts_at.astimezone(edition.tz).date() != timezone.localtime(session.starts_at).date()
    return {
        "start": session.starts_at,
        "end": session.ends_at,
        "venue_zone": venue_zone,
        "viewer_zone": viewer_zone,
        # Only when the viewer's clock shows another time (not merely another zone name).
        "show_viewer": _offset(timezone.get_current_timezone(), session.starts_at)
        != _offset(edition.tz, session.starts_at),
        "show_date": show_date,
        "viewer_date": show_date or other_day,
    }


@register.simple_tag
def session_state(session) -> str:
    """'live', 'soon' (within the hour), 'over', 'cancelled' or '' for later."""
    if session.is_cancelled:
        return "cancelled"
    now = timezone.now()
    if session.starts_at <= now < session.ends_at:
        return "live"
    if now >= session.ends_at:
        return "over"
    if (session.starts_at - now).total_seconds() <= 3600:
        return "soon"
    return ""


@register.simple_tag
def join_url(session) -> str:
    """The live room of a session running now that can be followed online, else ""."""
    if session_state(session) != "live" or not session.has_online_part:
        return ""
    room = getattr(session, "room", None)
    return reverse("room", args=[room.pk]) if room is not None else ""


@register.filter
def filesize(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
