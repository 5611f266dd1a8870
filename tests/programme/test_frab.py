"""The frab schedule export (schedule.xml / schedule.json) as schedule apps read it."""

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET

import pytest

from programme import services
from programme.models import Edition, Session
from tests.fixtures.factories import at, make_edition, make_organiser, make_session, make_user

pytestmark = pytest.mark.django_db


def get_xml(client, edition) -> ET.Element:
    response = client.get(f"/e/{edition.slug}/schedule.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own output, not untrusted input)


def get_json(client, edition) -> dict:
    response = client.get(f"/e/{edition.slug}/schedule.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def events_by_title(root: ET.Element) -> dict[str, ET.Element]:
    return {event.findtext("title"): event for event in root.iter("event")}


def day_of(root: ET.Element, event_title: str) -> ET.Element:
    return next(day for day in root.iter("day") if any(e.findtext("title") == event_title for e in day.iter("event")))


def test_xml_has_the_frab_structure(client, edition):
    speaker = make_user("Jana Nováková")
    session = make_session(
        edition, title="Opening plenary", slug="opening", location="Forum Hall", track="Policy", language="en",
        abstract="Welcome and keynote.", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10, 30),
    )
    session.speakers.add(speaker)

    root = get_xml(client, edition)

    assert root.tag == "schedule"
    assert root.findtext("version")
    conference = root.find("conference")
    assert conference.findtext("acronym") == edition.slug.replace("-", "")  # c3voc acronyms have no hyphen
    assert conference.findtext("title") == edition.title
    assert conference.findtext("start") == "2030-09-26"
    assert conference.findtext("end") == "2030-09-27"
    assert conference.findtext("days") == "2"
    assert conference.findtext("time_zone_name") == "Europe/Prague"
    assert conference.findtext("base_url") == "http://testserver/"
    assert conference.findtext("timeslot_duration") == "00:30"  # 09:00 start, 90 minutes long

    days = root.findall("day")
    assert [(d.get("index"), d.get("date")) for d in days] == [("1", "2030-09-26"), ("2", "2030-09-27")]
    assert days[0].get("start") == "2030-09-26T00:00:00+02:00"
    assert days[0].get("end") == "2030-09-27T00:00:00+02:00"

    room = days[0].find("room")
    assert room.get("name") == "Forum Hall"
    event = room.find("event")
    assert event.get("guid") == str(session.guid)
    assert event.get("id") == str(session.pk)
    assert event.findtext("date") == "2030-09-26T09:00:00+02:00"
    assert event.findtext("start") == "09:00"
    assert event.findtext("duration") == "01:30"
    assert event.findtext("room") == "Forum Hall"
    assert event.findtext("slug") == f"{edition.slug.replace('-', '')}-opening"
    assert event.findtext("url") == f"http://testserver/e/{edition.slug}/s/opening/"
    assert event.findtext("title") == "Opening plenary"
    assert event.findtext("track") == "Policy"
    assert event.findtext("type") == "plenary"
    assert event.findtext("language") == "en"
    assert event.findtext("abstract") == "Welcome and keynote."
    assert [(p.get("id"), p.text) for p in event.find("persons")] == [(str(speaker.pk), "Jana Nováková")]
    # A hybrid session can be joined online, and is streamed, so it may be recorded.
    assert [link.get("href") for link in event.find("links")] == [event.findtext("url")]
    assert event.find("attachments") is not None
    assert event.findtext("recording/optout") == "false"


def test_closed_in_person_meetings_opt_out_of_recording(client, edition):
    make_session(edition, title="Cluster managers' meeting", location="Room 3",
                 attendance_format=Session.AttendanceFormat.IN_PERSON, access=Session.Access.INVITED)

    event = events_by_title(get_xml(client, edition))["Cluster managers' meeting"]

    assert event.findtext("recording/optout") == "true"
    assert list(event.find("links")) == []  # nothing to join online


def test_times_are_venue_local_across_the_dst_change(client):
    # Central European Summer Time ends on Sunday 27 October 2030 at 03:00.
    edition = make_edition(start_date=dt.date(2030, 10, 26), end_date=dt.date(2030, 10, 28))
    make_session(edition, title="Saturday", location="Hall", starts_at=at(edition, 0, 10), ends_at=at(edition, 0, 11))
    # 00:30 on Sunday at the venue is still Saturday 22:30 in UTC: it belongs to Sunday.
    make_session(edition, title="Night owls", location="Hall",
                 starts_at=at(edition, 1, 0, 30), ends_at=at(edition, 1, 1, 30))
    make_session(edition, title="Monday", location="Hall", starts_at=at(edition, 2, 10), ends_at=at(edition, 2, 11))

    root = get_xml(client, edition)
    events = events_by_title(root)

    assert events["Saturday"].findtext("date") == "2030-10-26T10:00:00+02:00"
    assert events["Monday"].findtext("date") == "2030-10-28T10:00:00+01:00"
    assert events["Saturday"].findtext("start") == events["Monday"].findtext("start") == "10:00"
    assert events["Night owls"].findtext("start") == "00:30"
    assert day_of(root, "Night owls").get("date") == "2030-10-27"
    # The day with the change is 25 hours long: it starts in summer time and ends in winter time.
    sunday = day_of(root, "Night owls")
    assert (sunday.get("start"), sunday.get("end")) == ("2030-10-27T00:00:00+02:00", "2030-10-28T00:00:00+01:00")


def test_guids_are_stable_across_exports_and_when_a_session_moves(client, edition):
    organiser = make_organiser(edition)
    session = make_session(edition, title="Panel", location="Hall A",
                           starts_at=at(edition, 0, 14), ends_at=at(edition, 0, 15))

    first = get_xml(client, edition)
    second = get_xml(client, edition)
    room_guid = first.find("day/room").get("guid")
    assert uuid.UUID(room_guid)
    assert second.find("day/room").get("guid") == room_guid
    assert events_by_title(second)["Panel"].get("guid") == events_by_title(first)["Panel"].get("guid")

    services.update_session(organiser, session, starts_at=at(edition, 1, 11), ends_at=at(edition, 1, 12))
    moved = get_xml(client, edition)

    assert day_of(moved, "Panel").get("date") == "2030-09-27"
    assert events_by_title(moved)["Panel"].get("guid") == str(session.guid)
    assert moved.find("day/room").get("guid") == room_guid
    # The version tells readers to refresh.
    assert moved.findtext("version") != first.findtext("version")


def test_sessions_are_grouped_by_room_and_every_day_lists_every_room(client, edition):
    make_session(edition, title="Keynote", location="Hall A", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    make_session(edition, title="Workshop", location="Room 2", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 11))
    make_session(edition, title="Webinar", attendance_format=Session.AttendanceFormat.ONLINE,
                 starts_at=at(edition, 0, 13), ends_at=at(edition, 0, 14))
    make_session(edition, title="Closing", location="Hall A", starts_at=at(edition, 1, 16), ends_at=at(edition, 1, 17))

    root = get_xml(client, edition)
    day1, day2 = root.findall("day")

    def rooms(day):
        return {room.get("name"): [e.findtext("title") for e in room.findall("event")] for room in day.findall("room")}

    assert rooms(day1) == {"Hall A": ["Keynote"], "Room 2": ["Workshop"], "Online": ["Webinar"]}
    assert rooms(day2) == {"Hall A": ["Closing"], "Room 2": [], "Online": []}
    # Columns keep their order and identity from day to day.
    assert [r.get("guid") for r in day1.findall("room")] == [r.get("guid") for r in day2.findall("room")]
    assert len({r.get("guid") for r in day1.findall("room")}) == 3
    for room in root.iter("room"):
        assert all(event.findtext("room") == room.get("name") for event in room.findall("event"))


def test_cancelled_sessions_are_left_out(client, edition):
    make_session(edition, title="Happening", location="Hall A")
    make_session(edition, title="Called off", location="Room 2", status=Session.Status.CANCELLED)

    assert set(events_by_title(get_xml(client, edition))) == {"Happening"}
    assert "Called off" not in json.dumps(get_json(client, edition))


def test_a_session_outside_the_edition_dates_still_gets_a_day(client, edition):
    # The organiser services refuse such times; a session added past them must not vanish silently.
    make_session(edition, title="Pre-conference dinner", location="Terrace",
                 starts_at=at(edition, -1, 19), ends_at=at(edition, -1, 22))

    root = get_xml(client, edition)

    assert root.findtext("conference/start") == "2030-09-25"
    assert root.findtext("conference/days") == "3"
    assert day_of(root, "Pre-conference dinner").get("date") == "2030-09-25"


def test_persons_show_public_names_only(client, edition):
    session = make_session(edition, title="Panel", location="Hall A")
    speakers = [make_user("Zoë Zeman", email="zoe@example.org"), make_user("Adam Anders", email="adam@example.org")]
    session.speakers.add(*speakers)

    root = get_xml(client, edition)
    persons = root.find(".//event/persons")

    assert [(p.get("id"), p.text) for p in persons] == [
        (str(speakers[1].pk), "Adam Anders"), (str(speakers[0].pk), "Zoë Zeman"),
    ]
    assert b"example.org" not in ET.tostring(root)
    assert "example.org" not in json.dumps(get_json(client, edition))


def test_json_says_the_same_as_xml(client, edition):
    speaker = make_user("Jana Nováková")
    make_session(edition, title="Keynote", location="Hall A", starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    make_session(edition, title="Webinar", attendance_format=Session.AttendanceFormat.ONLINE,
                 starts_at=at(edition, 1, 13), ends_at=at(edition, 1, 14, 15)).speakers.add(speaker)

    root = get_xml(client, edition)
    document = get_json(client, edition)

    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    schedule = document["schedule"]
    conference = schedule["conference"]
    assert schedule["version"] == root.findtext("version")
    assert schedule["base_url"] == root.findtext("conference/base_url")
    for key in ("acronym", "title", "start", "end", "timeslot_duration", "time_zone_name"):
        assert conference[key] == root.findtext(f"conference/{key}"), key
    assert str(conference["daysCount"]) == root.findtext("conference/days")
    assert conference["rooms"] == [{"name": r.get("name"), "guid": r.get("guid")} for r in root.find("day")]

    xml_days = root.findall("day")
    assert len(conference["days"]) == len(xml_days)
    for day, xml_day in zip(conference["days"], xml_days, strict=True):
        assert (str(day["index"]), day["date"], day["day_start"], day["day_end"]) == (
            xml_day.get("index"), xml_day.get("date"), xml_day.get("start"), xml_day.get("end"))
        assert list(day["rooms"]) == [r.get("name") for r in xml_day.findall("room")]
        for xml_room in xml_day.findall("room"):
            events = day["rooms"][xml_room.get("name")]
            xml_events = xml_room.findall("event")
            assert len(events) == len(xml_events)
            for event, xml_event in zip(events, xml_events, strict=True):
                assert event["guid"] == xml_event.get("guid")
                assert str(event["id"]) == xml_event.get("id")
                for key in ("date", "start", "duration", "room", "slug", "url", "title", "type", "language"):
                    assert event[key] == xml_event.findtext(key), key
                assert [(str(p["id"]), p["name"]) for p in event["persons"]] == [
                    (p.get("id"), p.text) for p in xml_event.find("persons")]

    webinar = conference["days"][1]["rooms"]["Online"][0]
    assert (webinar["title"], webinar["duration"], webinar["persons"][0]["name"]) == (
        "Webinar", "01:15", "Jana Nováková")


@pytest.mark.parametrize("suffix", ["schedule.xml", "schedule.json"])
def test_unknown_edition_is_404(client, db, suffix):
    assert client.get(f"/e/no-such-edition/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["schedule.xml", "schedule.json"])
def test_draft_edition_is_404_except_for_its_organisers(client, suffix):
    edition = make_edition(status=Edition.Status.DRAFT)
    make_session(edition, title="Secret plans", location="Hall A")

    response = client.get(f"/e/{edition.slug}/{suffix}")
    assert response.status_code == 404
    assert b"Secret plans" not in response.content

    client.force_login(make_organiser(edition))
    response = client.get(f"/e/{edition.slug}/{suffix}")
    assert response.status_code == 200
    assert "Secret plans" in response.content.decode()
