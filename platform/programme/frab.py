"""The programme as a frab schedule (schedule.xml and schedule.json).

frab's export is what schedule apps (Giggity, ConfClerk, EventFahrplan) and the c3voc
recording tools read; pretalx and other systems write the same shape. The document is
built once as the c3voc schedule.json structure and the XML is rendered from it, so the
two formats always say the same thing.

Everything here is a pure function of an edition and its sessions; the views choose
which sessions a viewer may see.
"""

import datetime as dt
import hashlib
import json
import math
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from conference.text import scrub

from .ics import session_url
from .models import Edition, Material, Session

JSON_SCHEMA = "https://c3voc.de/schedule/schema.json"
GENERATOR = {"name": "conference-platform", "version": "0.1.0"}
ONLINE_ROOM = "Online"
# A fixed namespace, so a room's GUID is the same in every export, on every server:
# readers that merge rooms across schedule versions key them on the GUID.
ROOM_NAMESPACE = uuid.UUID("5f0c8e0e-2a4b-4d1c-9a57-6f3b1c0d2e91")


def room_name(session: Session) -> str:
    """The physical room; sessions held only online (or in a virtual edition) are in "Online"."""
    if session.location.strip():
        return session.location.strip()
    if not session.has_physical_part or not session.edition.has_venue:
        return ONLINE_ROOM
    return session.edition.venue_name or "Venue"


def room_guid(edition: Edition, name: str) -> str:
    return str(uuid.uuid5(ROOM_NAMESPACE, f"{edition.slug}/{name}"))


def _hh_mm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _person_name(user) -> str:
    # Profile.name is the public name; the username is an email address and stays private.
    profile = getattr(user, "profile", None)
    return (profile.name if profile else "") or user.get_full_name() or "Speaker"


def acronym(edition: Edition) -> str:
    """The edition's short name as the c3voc tools want it: lowercase letters, digits and
    underscores, at least 4 of them (their JSON schema refuses "ecc-2022": no hyphen, then a
    year, then letters). "ecc-2022" becomes "ecc2022"."""
    name = re.sub(r"[^a-z0-9_]", "", edition.slug.lower())
    return name if len(name) >= 4 else f"{name}{edition.year}"


def event_slug(session: Session) -> str:
    """Unique across conferences (recording tools name files after it) and in the c3voc shape:
    the acronym, a hyphen, then at least 4 of [a-z0-9_-], ending with a letter or digit."""
    tail = re.sub(r"[^a-z0-9_-]+", "-", session.slug.lower()).strip("-_")
    if len(tail) < 4:
        tail = f"session-{session.pk}" + (f"-{tail}" if tail else "")
    return f"{acronym(session.edition)}-{tail}"


def _track_slug(slug: str) -> str:
    """A track slug both c3voc schemas accept: starts with a letter, then letters, digits, hyphens."""
    slug = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")
    return slug if re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", slug) else f"track-{slug}".rstrip("-")


def _references(session: Session) -> tuple[list[dict], list[dict]]:
    """Links (join online, materials given as links) and attachments (uploaded materials)."""
    links = [{"url": session_url(session), "title": "Join online", "type": "web"}] if session.has_online_part else []
    attachments = []
    for material in session.materials.all():
        if material.url:
            links.append({"url": material.url, "title": material.title,
                          "type": material.kind if material.kind != Material.Kind.LINK else "related"})
        else:
            url = settings.SITE_URL + reverse("material", args=[session.edition.slug, session.slug, material.pk])
            attachments.append({"url": url, "title": material.title,
                                "type": material.kind if material.kind != Material.Kind.LINK else "related"})
    return links, attachments


def _event(session: Session) -> dict:
    tz = session.edition.tz
    start = session.starts_at.astimezone(tz)
    url = session_url(session)
    links, attachments = _references(session)
    return {
        "guid": str(session.guid),
        "id": session.pk,
        "date": start.isoformat(),  # venue local time with its UTC offset
        "start": start.strftime("%H:%M"),
        "duration": _hh_mm(_minutes(session.ends_at - session.starts_at)),
        "room": room_name(session),
        # frab slugs are unique across conferences (recording tools name files after them).
        "slug": event_slug(session),
        "url": url,
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track else "",
        "type": session.kind,
        "language": session.language,
        "abstract": session.abstract,
        # The platform has one text per session; repeating it here would show it twice in readers.
        "description": "",
        "recording_license": "",
        # Only streamed sessions can be recorded, and closed (invitation-only) meetings never are.
        "do_not_record": not session.has_online_part or session.access == Session.Access.INVITED,
        "persons": [
            {"id": user.pk, "name": _person_name(user)}
            for user in sorted(session.speakers.all(), key=_person_name)
        ],
        "links": links,
        "attachments": attachments,
    }


def _timeslot_minutes(sessions: list[Session]) -> int:
    """The largest slot that divides an hour and every start and duration, so grid views
    place each session exactly."""
    values = [60]
    for session in sessions:
        start = session.starts_at.astimezone(session.edition.tz)
        values += [start.hour * 60 + start.minute, _minutes(session.ends_at - session.starts_at)]
    return math.gcd(*values)


def build_schedule(edition: Edition, sessions: Iterable[Session]) -> dict:
    """The schedule.json document (c3voc shape) for an edition.

    Cancelled sessions are left out rather than marked: the frab format has no status
    field (frab itself exports only confirmed events), so Giggity, ConfClerk and
    EventFahrplan would show a "cancelled" session as taking place. When a session
    disappears from a new version, readers that track changes (EventFahrplan) show it
    as cancelled.
    """
    all_sessions = list(sessions)
    tz = edition.tz
    shown = sorted((s for s in all_sessions if not s.is_cancelled), key=lambda s: (s.starts_at, s.title))

    # Rooms in order of first use, the same on every day, so grid views keep their columns.
    rooms: list[str] = []
    for session in shown:
        if room_name(session) not in rooms:
            rooms.append(room_name(session))

    # Days are calendar days at the venue: the edition's dates, widened if a session lies outside them.
    local_dates = [s.starts_at.astimezone(tz).date() for s in shown]
    first = min([edition.start_date, *local_dates])
    last = max([edition.end_date, *local_dates])
    dates = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    days = []
    for index, date in enumerate(dates, start=1):
        on_day = [s for s in shown if s.starts_at.astimezone(tz).date() == date]
        days.append({
            "index": index,
            "date": date.isoformat(),
            # Local midnight to local midnight: a session belongs to the day it starts on.
            "day_start": dt.datetime.combine(date, dt.time(), tzinfo=tz).isoformat(),
            "day_end": dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=tz).isoformat(),
            "rooms": {name: [_event(s) for s in on_day if room_name(s) == name] for name in rooms},
        })

    conference = {
        "acronym": acronym(edition),
        "title": edition.title,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "daysCount": len(dates),
        "timeslot_duration": _hh_mm(_timeslot_minutes(shown)),
        "time_zone_name": edition.time_zone,
        "url": settings.SITE_URL + reverse("edition", args=[edition.slug]),
        "rooms": [{"name": name, "guid": room_guid(edition, name)} for name in rooms],
        "tracks": [{"name": t.name, "slug": _track_slug(t.slug), "color": t.colour.lower()}
                   for t in edition.tracks.all()],
        "days": days,
    }
    return {
        "$schema": JSON_SCHEMA,
        "generator": GENERATOR,
        "schedule": {
            "version": _version(all_sessions, conference),
            "base_url": settings.SITE_URL + "/",
            "conference": conference,
        },
    }


def _version(sessions: list[Session], conference: dict) -> str:
    """Changes whenever the programme does, so readers know to refresh.

    The digest covers the whole document, so it also changes when a session is deleted or
    its speakers change (neither touches a remaining session's updated_at); the date of
    the latest session change is there for people reading the version.
    """
    digest = hashlib.sha256(json.dumps(conference, sort_keys=True).encode()).hexdigest()[:8]
    if not sessions:
        return digest
    latest = max(s.updated_at for s in sessions).astimezone(dt.UTC)
    return f"{latest:%Y-%m-%d %H:%M} UTC {digest}"


def _text(parent: ET.Element, tag: str, value, **attributes) -> ET.Element:
    # scrub: text stored before the text rule (conference.text) could hold characters XML forbids.
    element = ET.SubElement(parent, tag, {k: scrub(str(v)) for k, v in attributes.items()})
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = scrub(str(value))
    return element


def to_xml(document: dict) -> bytes:
    """schedule.xml, rendered from the schedule.json document."""
    schedule = document["schedule"]
    conference = schedule["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", document["generator"])
    _text(root, "version", schedule["version"])
    conf = ET.SubElement(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _text(conf, tag, conference[tag])
    _text(conf, "days", conference["daysCount"])
    for tag in ("timeslot_duration", "time_zone_name"):
        _text(conf, tag, conference[tag])
    _text(conf, "base_url", schedule["base_url"])
    _text(conf, "url", conference["url"])
    for track in conference["tracks"]:
        _text(conf, "track", None, name=track["name"], slug=track["slug"], color=track["color"])
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = ET.SubElement(root, "day", {
            "index": str(day["index"]), "date": day["date"], "start": day["day_start"], "end": day["day_end"],
        })
        for name, events in day["rooms"].items():
            room = ET.SubElement(day_element, "room", {"name": scrub(name), "guid": guids[name]})
            for event in events:
                _event_xml(room, event)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _event_xml(room: ET.Element, event: dict) -> None:
    element = ET.SubElement(room, "event", {"guid": event["guid"], "id": str(event["id"])})
    for tag in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
                "language", "abstract", "description"):
        _text(element, tag, event[tag])
    persons = ET.SubElement(element, "persons")
    for person in event["persons"]:
        _text(persons, "person", person["name"], id=person["id"])
    links = ET.SubElement(element, "links")
    for link in event["links"]:
        _text(links, "link", link["title"], href=link["url"], type=link["type"])
    attachments = ET.SubElement(element, "attachments")
    for attachment in event["attachments"]:
        _text(attachments, "attachment", attachment["title"], href=attachment["url"], type=attachment["type"])
    recording = ET.SubElement(element, "recording")
    _text(recording, "license", event["recording_license"])
    _text(recording, "optout", event["do_not_record"])
