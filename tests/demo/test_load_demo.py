"""`python manage.py load_demo`: the demo editions, their rooms and the demo logins."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from attendance import services as attendance
from attendance.models import Bookmark, Enrolment, Registration
from demo.builder import LOGINS, load_demo
from people.models import Profile
from programme.models import Edition, EditionRole, Series, Session
from programme.permissions import can_moderate, is_organiser, is_speaker
from rooms.models import Room

PRAGUE = ZoneInfo("Europe/Prague")
MODELS = (Series, Edition, Session, Room, EditionRole, Registration, Enrolment, Bookmark, Profile, Group)


def run_command() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*MODELS, get_user_model())}


def live_and_soon(edition: Edition, now: dt.datetime) -> tuple[list[Session], list[Session]]:
    sessions = list(edition.sessions.all())
    live = [s for s in sessions if s.starts_at <= now < s.ends_at]
    soon = [s for s in sessions if now < s.starts_at <= now + dt.timedelta(hours=1)]
    return live, soon


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_says_so():
    first = run_command()
    loaded = counts()
    second = run_command()

    assert "Demo data loaded" in first
    assert "demo data already loaded" in second.lower()
    assert counts() == loaded
    assert loaded["Edition"] == 3
    assert set(Edition.objects.values_list("slug", flat=True)) == {"ecc-2020", "ecc-2022", "demo"}


@pytest.mark.django_db
def test_past_editions_describe_the_conference():
    run_command()
    ecc = Series.objects.get(slug="ecc")
    assert ecc.name == "European Cluster Conference"
    e2020, e2022 = Edition.objects.get(slug="ecc-2020"), Edition.objects.get(slug="ecc-2022")

    assert (e2020.series, e2020.number, e2020.format, e2020.status) == (
        ecc, 7, Edition.Format.VIRTUAL, Edition.Status.ARCHIVED)
    assert all(s.attendance_format == Session.AttendanceFormat.ONLINE for s in e2020.sessions.all())
    assert {s.starts_at.astimezone(e2020.tz).date().month for s in e2020.sessions.all()} == {12}

    assert (e2022.series, e2022.number, e2022.format, e2022.city, e2022.time_zone) == (
        ecc, 8, Edition.Format.HYBRID, "Prague", "Europe/Prague")
    assert (e2022.start_date, e2022.end_date) == (dt.date(2022, 9, 26), dt.date(2022, 9, 27))
    assert "Czech Presidency of the Council of the EU" in e2022.hosts
    assert "European Cluster Collaboration Platform (ECCP)" in e2022.hosts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "day", "start", "end", "kind", "attendance_format", "capacity", "crowd"),
    [
        ("Meeting of the European Cluster Associations and Networks", 26, 9, 13, "side_event", "in_person", 80,
         "70+"),
        ("ECCP matchmaking event", 26, 9, 13, "matchmaking", "in_person", 200, "200"),
        ("Forum of the European Cluster Partnerships and Euroclusters", 27, 14, 17, "side_event", "hybrid", 120,
         "100+"),
    ],
)
def test_2022_side_events_at_their_cest_times(title, day, start, end, kind, attendance_format, capacity, crowd):
    run_command()
    session = Session.objects.get(edition__slug="ecc-2022", title=title)
    local_start, local_end = session.starts_at.astimezone(PRAGUE), session.ends_at.astimezone(PRAGUE)

    assert (local_start.date(), local_start.time(), local_end.time()) == (
        dt.date(2022, 9, day), dt.time(start), dt.time(end))
    assert local_start.tzname() == "CEST"
    assert session.starts_at.astimezone(dt.UTC).hour == start - 2  # stored in UTC
    assert (session.kind, session.attendance_format, session.capacity) == (kind, attendance_format, capacity)
    assert crowd in session.abstract


@pytest.mark.django_db
def test_demo_edition_is_live_at_load_time(client):
    run_command()
    now = timezone.now()
    demo = Edition.objects.get(slug="demo")
    live, soon = live_and_soon(demo, now)

    assert demo.registration_open and demo.format == Edition.Format.HYBRID
    assert len(live) == 1 and live[0].room.state == Room.State.OPEN
    assert soon and (soon[0].starts_at - now) <= dt.timedelta(minutes=11)
    assert Room.objects.get(edition=demo, kind=Room.Kind.LOBBY).state == Room.State.OPEN
    assert client.get("/").url == "/e/demo/"
    page = client.get("/e/demo/programme/").content.decode()
    assert "Live now" in page and "Starting soon" in page
    assert live[0].title in page


@pytest.mark.django_db
def test_every_session_with_an_online_part_has_a_room():
    run_command()
    for session in Session.objects.all():
        assert Room.objects.filter(session=session).exists() == session.has_online_part, session
    assert Room.objects.filter(session__attendance_format="in_person").count() == 0
    assert Session.objects.filter(attendance_format="in_person").exists()


@pytest.mark.django_db
def test_printed_logins_work(client):
    out = run_command()
    people = [login for login in LOGINS if "@" in login.username and ".." not in login.username]
    assert {login.role for login in people} == {"organiser", "moderator", "speaker", "attendee", "onsite"}
    for login in people:
        assert re.search(rf"{re.escape(login.username)}\s+{re.escape(login.password)}", out)
        assert client.login(username=login.username, password=login.password), login.username
        client.logout()
    assert "demo-participant" in out
    for n in (1, 20):
        assert client.login(username=f"participant{n:02d}@demo.example", password="demo-participant")
        client.logout()

    client.login(username="organiser@demo.example", password="demo-organiser")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/programme/session/").status_code == 200
    assert client.get("/admin/rooms/room/").status_code == 200


@pytest.mark.django_db
def test_demo_accounts_hold_their_roles():
    run_command()
    users = {u.username.split("@")[0]: u for u in get_user_model().objects.filter(username__endswith="@demo.example")}
    demo = Edition.objects.get(slug="demo")
    live, soon = live_and_soon(demo, timezone.now())

    assert all(is_organiser(users["organiser"], e) for e in Edition.objects.all())
    assert not users["organiser"].is_superuser and users["organiser"].is_staff
    assert all(can_moderate(users["moderator"], s) for s in demo.sessions.all())
    assert is_speaker(users["speaker"], live[0]) and is_speaker(users["speaker"], soon[0])
    assert attendance.registration_of(users["attendee"], demo).mode == "online"
    assert attendance.registration_of(users["onsite"], demo).mode == "in_person"
    assert live[0] in attendance.agenda(users["attendee"], demo)
    assert attendance.agenda(users["attendee"], demo).count() >= 2
    assert Profile.objects.get(user=users["speaker"]).name.endswith("(demo)")


@pytest.mark.django_db
def test_small_side_event_is_full_with_a_waiting_list():
    run_command()
    breakfast = Session.objects.get(edition__slug="demo", kind="side_event", capacity=3)
    onsite = get_user_model().objects.get(username="onsite@demo.example")

    assert attendance.seats_left(breakfast) == 0
    assert breakfast.enrolments.filter(status=Enrolment.Status.WAITLISTED).count() == 2
    enrolment = attendance.enrol(onsite, breakfast)
    assert enrolment.status == Enrolment.Status.WAITLISTED
    assert attendance.waiting_position(enrolment) == 3
    assert Session.objects.filter(edition__slug="demo", kind="matchmaking").exists()
    assert Session.objects.filter(edition__slug="demo", kind="workshop", attendance_format="online").exists()


def _next_dst_changes(after: dt.date) -> list[dt.date]:
    """The next days on which Prague's clocks change (spring forward and fall back)."""
    found, day = [], after
    while len(found) < 2:
        day += dt.timedelta(days=1)
        noon_before = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), PRAGUE)
        if dt.datetime.combine(day, dt.time(12), PRAGUE).utcoffset() != noon_before.utcoffset():
            found.append(day)
    return found


def _moments() -> list[dt.datetime]:
    # Future days, so the services (which enrol at the real current time) see open sessions.
    day = timezone.now().astimezone(PRAGUE).date() + dt.timedelta(days=7)
    moments = [dt.datetime.combine(day, t, PRAGUE) for t in (dt.time(0, 5), dt.time(12), dt.time(23, 55))]
    for change in _next_dst_changes(day):
        moments += [dt.datetime.combine(change, dt.time(0, 5), PRAGUE),
                    dt.datetime.combine(change, dt.time(23, 55), PRAGUE)]
    return moments


@pytest.mark.django_db
@pytest.mark.parametrize("now", _moments(), ids=lambda m: m.strftime("%Y-%m-%d_%H:%M_%Z"))
def test_loader_works_at_any_time_of_day(now):
    result = load_demo(now=now)
    demo = Edition.objects.get(slug="demo")
    live, soon = live_and_soon(demo, now)
    today = now.date()

    assert "demo" in result.created
    assert (demo.start_date, demo.end_date) == (today - dt.timedelta(days=1), today + dt.timedelta(days=2))
    assert len(live) == 1 and now - live[0].starts_at == dt.timedelta(minutes=20)
    assert soon and soon[0].starts_at - now == dt.timedelta(minutes=10)
    assert any(s.starts_at.astimezone(PRAGUE).date() == today + dt.timedelta(days=1) for s in demo.sessions.all())
    assert demo.sessions.count() == 9


@pytest.mark.django_db
def test_make_run_refreshes_a_stale_demo_edition_only():
    from demo.builder import load_demo
    from programme.models import Edition, Session

    load_demo()
    # Days later: the demo's live session is over.
    Session.objects.filter(edition__slug="demo").update(starts_at=F("starts_at") - dt.timedelta(days=3),
                                                        ends_at=F("ends_at") - dt.timedelta(days=3))
    past_ids = set(Session.objects.exclude(edition__slug="demo").values_list("id", flat=True))
    assert not Session.objects.filter(edition__slug="demo", slug="live-plenary",
                                      ends_at__gt=timezone.now()).exists()

    # Without the flag nothing changes; with it, the demo edition is live again.
    load_demo()
    assert not Session.objects.filter(edition__slug="demo", ends_at__gt=timezone.now(),
                                      starts_at__lte=timezone.now()).exists()
    result = load_demo(refresh_demo=True)
    assert result.created == ["demo"]
    live = Session.objects.get(edition__slug="demo", slug="live-plenary")
    assert live.starts_at <= timezone.now() < live.ends_at
    assert set(Session.objects.exclude(edition__slug="demo").values_list("id", flat=True)) == past_ids
    assert Edition.objects.filter(slug="demo").count() == 1
    # A fresh demo edition is left alone.
    assert load_demo(refresh_demo=True).already_loaded
