"""Template helpers for showing session times in the venue's and the viewer's zone."""

from django import template
from django.utils import timezone

register = template.Library()


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
        "show_viewer": viewer_zone != venue_zone,
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
