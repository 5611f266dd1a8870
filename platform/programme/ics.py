"""iCalendar (.ics) for sessions, built with `icalendar`.

UIDs derive from the session's GUID, so a calendar that imported a session
updates it in place when the session moves instead of adding a copy."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vDuration, vText

from conference.text import scrub

from .models import Session

PRODID = "-//Conference platform//Programme//EN"
# How often subscribed calendars should fetch the feed again (RFC 7986 REFRESH-INTERVAL, and the
# X-PUBLISHED-TTL that Outlook and Apple Calendar read).
REFRESH = dt.timedelta(hours=1)


def revision(created: dt.datetime, updated: dt.datetime) -> int:
    """An iCalendar SEQUENCE for rows without a change counter: the seconds between creation and
    the last change. It grows with every change and stays small (a year is 31.5 million, far
    below the 2**31 that RFC 5545 clients store), unlike a Unix time, which passes it in 2038."""
    return max(0, int((updated - created).total_seconds()))


def session_url(session: Session) -> str:
    return settings.SITE_URL + reverse("session", args=[session.edition.slug, session.slug])


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", scrub(name, multiline=False))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def session_event(session: Session, *, online: bool) -> Event:
    """One VEVENT. Online attendees get the join link as location; others the room at the venue."""
    event = Event()
    event.add("uid", f"session-{session.guid}")
    # scrub: text stored before the text rule (conference.text) could hold control characters.
    event.add("summary", scrub(session.title, multiline=False))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    # Counts the changes calendars show (programme.services), so clients replace their copy.
    event.add("sequence", session.sequence)
    url = session_url(session)
    event.add("url", url)
    description = session.abstract
    if online and session.has_online_part:
        event["location"] = vText(url)
        description = f"Join online: {url}\n\n{description}"
    else:
        venue = ", ".join(p for p in [session.location, session.edition.venue_name, session.edition.city] if p)
        if venue:
            event["location"] = vText(scrub(venue, multiline=False))
    event.add("description", scrub(description.strip()))
    event.add("categories", [session.get_kind_display()])
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def session_calendar(session: Session, *, online: bool) -> bytes:
    calendar = new_calendar(session.title)
    calendar.add_component(session_event(session, online=online))
    return calendar.to_ical()
