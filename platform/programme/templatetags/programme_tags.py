"""Template helpers for showing session times in the venue's and the viewer's zone."""

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("programme/_times.html", takes_context=True)
def session_times(context, session, edition, show_date=False):
    """Start–end at the venue, and in the viewer's zone when it differs."""
    viewer_zone = timezone.get_current_timezone()
    venue_zone = edition.tz
    return {
        "venue_start": session.starts_at.astimezone(venue_zone),
        "venue_end": session.ends_at.astimezone(venue_zone),
        "venue_zone": edition.time_zone,
        "viewer_start": session.starts_at.astimezone(viewer_zone),
        "viewer_end": session.ends_at.astimezone(viewer_zone),
        "viewer_zone": str(viewer_zone),
        "show_viewer": str(viewer_zone) != edition.time_zone,
        "show_date": show_date,
        "utc_start": session.starts_at,
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
