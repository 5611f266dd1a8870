"""iCalendar (.ics) for sessions, built with `icalendar`.

UIDs derive from the session's GUID, so a calendar that imported a session
updates it in place when the session moves instead of adding a copy."""

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vText

from conference.text import scrub

from .models import Session

PRODID = "-//Conference platform//Programme//EN"


def session_url(session: Session) -> str:
    return settings.SITE_URL + reverse("session", args=[session.edition.slug, session.slug])


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", scrub(name, multiline=False))
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
    # Increases with every change so calendar clients replace their copy.
    event.add("sequence", int(session.updated_at.timestamp()))
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
