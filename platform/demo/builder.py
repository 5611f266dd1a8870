"""Demo data: the European Cluster Conference's 2020 and 2022 editions, plus a hybrid demo
edition placed around the current date so that live rooms can be tried right away.

`load_demo()` is what `python manage.py load_demo` runs. It loads the data once: when the
three editions exist it changes nothing and reports that the demo data is already loaded.
Sessions, speakers, registrations, enrolments and bookmarks go through the same service
functions as in production (`programme.services`, `attendance.services`), acted by the
demo organiser, so rooms and waiting lists come out exactly as they would for real.

Everything about people is fictional: names are built from the word "example" in several
European languages and every account lives under the reserved demo.example domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.models import User as DefaultUser
from django.db import transaction
from django.utils import timezone

from attendance import services as attendance
from attendance.models import AttendanceMode
from matchmaking.demo import build_demo_event
from people.models import Profile
from people.verification import mark_email_verified
from programme import services as programme
from programme.models import Edition, EditionRole, Series, Session
from reminders import services as reminders
from reminders.rules import DEFAULT_RULES, EMAIL, IN_APP, Rule
from rooms.models import Room

UserModel = get_user_model()
User = DefaultUser  # for annotations: no AUTH_USER_MODEL is set, so get_user_model() is this one

DOMAIN = "demo.example"
DEMO_SLUG = "demo"
EDITION_SLUGS = ("ecc-2020", "ecc-2022", DEMO_SLUG)
ORGANISERS_GROUP = "Organisers"
# Apps whose models the Organisers group may view, add, change and delete in Django admin.
ORGANISER_APPS = ("programme", "attendance", "people", "rooms", "reminders", "matchmaking")
PARTICIPANTS = 20
PARTICIPANT_PASSWORD = "demo-participant"  # noqa: S105 - published demo password


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    note: str


LOGINS = (
    Login("organiser", f"organiser@{DOMAIN}", "demo-organiser",
          "organiser of all three editions; staff in Django admin (group Organisers)"),
    Login("moderator", f"moderator@{DOMAIN}", "demo-moderator", "moderator of the whole demo edition"),
    Login("speaker", f"speaker@{DOMAIN}", "demo-speaker", "speaks in the live session and the next one"),
    Login("attendee", f"attendee@{DOMAIN}", "demo-attendee",
          "registered online (time zone Europe/Lisbon), with bookmarks"),
    Login("onsite", f"onsite@{DOMAIN}", "demo-onsite", "registered in person"),
    Login("participants", f"participant01..{PARTICIPANTS:02d}@{DOMAIN}", PARTICIPANT_PASSWORD,
          "generated participants (01-12 in person, the rest online)"),
)


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)  # slugs of the editions this run created
    logins: tuple[Login, ...] = LOGINS

    @property
    def already_loaded(self) -> bool:
        return not self.created


# --- people ----------------------------------------------------------------------------

# Fictional speakers for the two past editions (surnames mean "example"); they cannot log in.
GUEST_SPEAKERS = (
    ("erika.beispiel", "Erika Beispiel (demo)", "Beispiel Cluster Network (demo)", "DE"),
    ("jan.priklad", "Jan Příklad (demo)", "Příklad Industry Cluster (demo)", "CZ"),
    ("marie.exemple", "Marie Exemple (demo)", "Réseau Exemple (demo)", "FR"),
    ("pablo.ejemplo", "Pablo Ejemplo (demo)", "Clúster Ejemplo (demo)", "ES"),
    ("giulia.esempio", "Giulia Esempio (demo)", "Distretto Esempio (demo)", "IT"),
    ("sven.exempel", "Sven Exempel (demo)", "Exempel Kluster (demo)", "SE"),
)

_FIRST_NAMES = ("Ana", "Bruno", "Clara", "Dario", "Eva", "Filip", "Greta", "Hugo", "Ines", "Jonas")
_SURNAMES = (("Przykład", "PL"), ("Exemplo", "PT"), ("Voorbeeld", "NL"), ("Esimerkki", "FI"),
             ("Példa", "HU"), ("Primer", "SI"))


def _person(username: str, name: str, password: str | None, **profile) -> User:
    """The demo account for `username`, created with its profile if missing. Accounts are
    created directly rather than through people.services.sign_up, because the published demo
    passwords are deliberately weak and would fail the password validators."""
    email = username if "@" in username else f"{username}@{DOMAIN}"
    user = UserModel.objects.filter(username__iexact=email).first()
    if user is None:
        user = UserModel.objects.create_user(username=email, email=email, password=password)  # None: unusable
    Profile.objects.get_or_create(user=user, defaults={"name": name, **profile})
    mark_email_verified(user)  # demo addresses (.example) receive no mail: they count as confirmed
    return user


@dataclass
class People:
    organiser: User
    moderator: User
    speaker: User
    attendee: User
    onsite: User
    participants: list[User]
    guests: list[User]


def _organisers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ORGANISER_APPS))
    return group


def _people() -> People:
    by_role = {login.role: login for login in LOGINS}

    def account(role: str, name: str, **profile) -> User:
        return _person(by_role[role].username, name, by_role[role].password, **profile)

    organiser = account("organiser", "Olga Organiser (demo)", organisation="Demo organising team",
                        country="CZ", time_zone="Europe/Prague")
    if not organiser.is_staff:
        organiser.is_staff = True
        organiser.save(update_fields=["is_staff"])
    organiser.groups.add(_organisers_group())
    participants = []
    for n in range(1, PARTICIPANTS + 1):
        surname, country = _SURNAMES[n % len(_SURNAMES)]
        participants.append(_person(
            f"participant{n:02d}", f"{_FIRST_NAMES[n % len(_FIRST_NAMES)]} {surname} (demo {n:02d})",
            PARTICIPANT_PASSWORD, organisation=f"{surname} Cluster (demo)", country=country,
        ))
    return People(
        organiser=organiser,
        moderator=account("moderator", "Milan Moderator (demo)", organisation="Demo organising team",
                          country="CZ", time_zone="Europe/Prague"),
        speaker=account("speaker", "Sofia Speaker (demo)", organisation="Example Cluster Alliance (demo)",
                        country="ES", time_zone="Europe/Madrid",
                        bio="Fictional speaker of the demo edition."),
        attendee=account("attendee", "Anna Attendee (demo)", organisation="Example Cluster (demo)",
                         country="PT", time_zone="Europe/Lisbon"),
        onsite=account("onsite", "Otto Onsite (demo)", organisation="Example Manufacturing Cluster (demo)",
                       country="AT", time_zone="Europe/Vienna"),
        participants=participants,
        guests=[_person(u, name, None, organisation=org, country=c) for u, name, org, c in GUEST_SPEAKERS],
    )


# --- editions --------------------------------------------------------------------------


def _edition(series: Series, organiser: User, **fields) -> Edition:
    edition = Edition.objects.create(series=series, **fields)
    EditionRole.objects.create(edition=edition, user=organiser, role=EditionRole.Role.ORGANISER)
    return edition


def _local(zone: ZoneInfo, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _sessions(actor: User, edition: Edition, plan: list[dict]) -> dict[str, Session]:
    """Create the planned sessions through programme.services (which creates their rooms)."""
    created = {}
    for item in plan:
        item = dict(item)
        speakers, moderators = item.pop("speakers", []), item.pop("moderators", [])
        session = programme.create_session(actor, edition, **item)
        if speakers or moderators:
            programme.set_people(actor, session, speakers=speakers, moderators=moderators)
        created[session.slug] = session
    return created


def _ecc_2020(series: Series, people: People) -> None:
    zone = ZoneInfo("Europe/Berlin")
    # The dates and times of the 2020 sessions are illustrative: early December 2020.
    day1, day2, day3 = dt.date(2020, 12, 1), dt.date(2020, 12, 2), dt.date(2020, 12, 3)
    edition = _edition(
        series, people.organiser,
        number=7, year=2020, slug="ecc-2020", title="European Cluster Conference 2020",
        theme="Clusters and the recovery",
        description="The 2020 edition was held fully virtually. Demo data: the sessions, times and "
                    "speakers shown here are illustrative.",
        format=Edition.Format.VIRTUAL, time_zone="Europe/Berlin",
        start_date=day1, end_date=day3, status=Edition.Status.ARCHIVED,
    )
    g = people.guests
    online = {"attendance_format": Session.AttendanceFormat.ONLINE, "access": Session.Access.REGISTERED}
    _sessions(people.organiser, edition, [
        {"slug": "opening-plenary", "title": "Opening plenary", "kind": Session.Kind.PLENARY,
         "abstract": "Welcome and introduction to the conference.",
         "starts_at": _local(zone, day1, 10), "ends_at": _local(zone, day1, 11), "speakers": [g[0], g[1]], **online},
        {"slug": "clusters-in-the-recovery", "title": "Panel: the role of clusters in the recovery",
         "kind": Session.Kind.PANEL,
         "abstract": "How clusters can support companies and regions on the way to recovery.",
         "starts_at": _local(zone, day1, 11, 30), "ends_at": _local(zone, day1, 13),
         "speakers": [g[2], g[3], g[4]], **online},
        {"slug": "cooperation-across-borders", "title": "Panel: cluster cooperation across borders",
         "kind": Session.Kind.PANEL, "abstract": "Exchanging experience between cluster organisations.",
         "starts_at": _local(zone, day2, 10), "ends_at": _local(zone, day2, 11, 30),
         "speakers": [g[5], g[1]], **online},
        {"slug": "closing-plenary", "title": "Closing plenary", "kind": Session.Kind.PLENARY,
         "abstract": "Conclusions of the conference.",
         "starts_at": _local(zone, day3, 12), "ends_at": _local(zone, day3, 13), "speakers": [g[0]], **online},
    ])


def _ecc_2022(series: Series, people: People) -> None:
    zone = ZoneInfo("Europe/Prague")
    day1, day2 = dt.date(2022, 9, 26), dt.date(2022, 9, 27)
    edition = _edition(
        series, people.organiser,
        number=8, year=2022, slug="ecc-2022", title="European Cluster Conference 2022",
        description="The 8th edition took place in Prague, with online participants. Demo data: the side "
                    "events are listed at their times; the plenary and panel sessions, their times and "
                    "speakers are illustrative.",
        hosts="Czech Ministry of Industry and Trade under the Czech Presidency of the Council of the EU, "
              "with the European Commission; supported by the European Cluster Collaboration Platform (ECCP)",
        format=Edition.Format.HYBRID, time_zone="Europe/Prague",
        # The venue itself is not part of the demo data; the template shows "<venue>, <city>".
        venue_name="Conference venue", city="Prague",
        start_date=day1, end_date=day2, status=Edition.Status.ARCHIVED,
    )
    g = people.guests
    hall = {"location": "Plenary hall", "attendance_format": Session.AttendanceFormat.HYBRID,
            "access": Session.Access.REGISTERED}
    _sessions(people.organiser, edition, [
        # Side events, at their local (CEST) times.
        {"slug": "cluster-associations-meeting", "title": "Meeting of the European Cluster Associations and Networks",
         "kind": Session.Kind.SIDE_EVENT,
         "abstract": "Closed meeting of European cluster associations and networks, with 70+ participants.",
         "starts_at": _local(zone, day1, 9), "ends_at": _local(zone, day1, 13),
         "attendance_format": Session.AttendanceFormat.IN_PERSON, "location": "Meeting room 1", "capacity": 80,
         "access": Session.Access.INVITED},
        {"slug": "eccp-matchmaking", "title": "ECCP matchmaking event", "kind": Session.Kind.MATCHMAKING,
         "abstract": "B2B matchmaking: about 200 participants meet potential partners in one-to-one meetings.",
         "starts_at": _local(zone, day1, 9), "ends_at": _local(zone, day1, 13),
         "attendance_format": Session.AttendanceFormat.IN_PERSON, "location": "Matchmaking area",
         "capacity": 200, "access": Session.Access.REGISTERED},
        {"slug": "partnerships-and-euroclusters-forum",
         "title": "Forum of the European Cluster Partnerships and Euroclusters", "kind": Session.Kind.SIDE_EVENT,
         "abstract": "Forum of the European Cluster Partnerships and Euroclusters, with 100+ participants "
                     "in Prague and online.",
         "starts_at": _local(zone, day2, 14), "ends_at": _local(zone, day2, 17),
         "attendance_format": Session.AttendanceFormat.HYBRID, "location": "Meeting room 1", "capacity": 120,
         "access": Session.Access.REGISTERED},
        # Main programme (illustrative times).
        {"slug": "opening-plenary", "title": "Opening plenary", "kind": Session.Kind.PLENARY,
         "abstract": "Welcome by the hosts and introduction to the conference.",
         "starts_at": _local(zone, day1, 14), "ends_at": _local(zone, day1, 15, 30), "speakers": [g[1], g[0]],
         **hall},
        {"slug": "clusters-and-resilience", "title": "Panel: clusters and the resilience of industrial ecosystems",
         "kind": Session.Kind.PANEL, "track": "Resilience",
         "abstract": "Panel discussion with cluster managers.",
         "starts_at": _local(zone, day1, 16), "ends_at": _local(zone, day1, 17, 30),
         "speakers": [g[2], g[3], g[5]], **hall},
        {"slug": "green-and-digital", "title": "Panel: clusters in the green and digital transitions",
         "kind": Session.Kind.PANEL, "track": "Green and digital",
         "abstract": "Panel discussion with cluster organisations.",
         "starts_at": _local(zone, day2, 9, 30), "ends_at": _local(zone, day2, 11), "speakers": [g[4], g[1]],
         **hall},
        {"slug": "international-cooperation", "title": "Panel: international cluster cooperation",
         "kind": Session.Kind.PANEL, "track": "International cooperation",
         "abstract": "Panel discussion on cooperation between clusters.",
         "starts_at": _local(zone, day2, 11, 30), "ends_at": _local(zone, day2, 13), "speakers": [g[0], g[5]],
         **hall},
        {"slug": "closing-plenary", "title": "Closing plenary", "kind": Session.Kind.PLENARY,
         "abstract": "Conclusions and outlook.",
         "starts_at": _local(zone, day2, 15, 30), "ends_at": _local(zone, day2, 16, 30), "speakers": [g[1]],
         **hall},
    ])


def _demo_edition(people: People, now: dt.datetime) -> None:
    """A hybrid edition around `now` (in a series of its own, so that it does not pose as an
    edition of the real conference): a session live now, one starting soon, more later.

    The relative sessions start between 20 minutes before and 5½ hours after `now`, and
    the fixed ones sit on yesterday, tomorrow and the day after (venue time), so all of
    them fall within the edition's days at any time of day; the edition's dates are still
    widened to cover every session, so that `create_session`'s date check can never fail."""
    zone = ZoneInfo("Europe/Prague")
    base = now.astimezone(dt.UTC).replace(second=0, microsecond=0)
    today = now.astimezone(zone).date()
    yesterday, tomorrow, day_after = (today + dt.timedelta(days=d) for d in (-1, 1, 2))

    def later(minutes: int) -> dt.datetime:
        return base + dt.timedelta(minutes=minutes)

    hybrid = {"attendance_format": Session.AttendanceFormat.HYBRID, "access": Session.Access.REGISTERED}
    plan = [
        {"slug": "platform-warm-up", "title": "Warm-up: finding your way around the platform",
         "kind": Session.Kind.WORKSHOP, "abstract": "A short online tour of rooms, Q&A and polls (already over).",
         "starts_at": _local(zone, yesterday, 16), "ends_at": _local(zone, yesterday, 17),
         "attendance_format": Session.AttendanceFormat.ONLINE, "access": Session.Access.OPEN},
        {"slug": "live-plenary", "title": "Plenary: clusters and the twin transition", "kind": Session.Kind.PLENARY,
         "track": "Green and digital",
         "abstract": "Live now: join the room, ask and upvote questions, vote in the poll.",
         "starts_at": later(-20), "ends_at": later(70), "location": "Main hall",
         "speakers": [people.speaker, people.guests[0]], "moderators": [people.moderator], **hybrid},
        {"slug": "cross-border-panel", "title": "Panel: cross-border cluster cooperation", "kind": Session.Kind.PANEL,
         "track": "International cooperation",
         "abstract": "Starts in a few minutes.", "starts_at": later(10), "ends_at": later(55),
         "location": "Room 2", "speakers": [people.speaker, people.guests[2]], "moderators": [people.moderator],
         **hybrid},
        {"slug": "skills-panel", "title": "Panel: skills for industrial ecosystems", "kind": Session.Kind.PANEL,
         "track": "Skills",
         "abstract": "Panel discussion later today.", "starts_at": later(120), "ends_at": later(180),
         "location": "Main hall", "speakers": [people.guests[3], people.guests[4]], **hybrid},
        {"slug": "online-partnership-workshop", "title": "Workshop: building a cluster partnership online",
         "kind": Session.Kind.WORKSHOP, "track": "International cooperation",
         "abstract": "Online-only workshop in small groups (30 places).",
         "starts_at": later(240), "ends_at": later(330), "capacity": 30,
         "attendance_format": Session.AttendanceFormat.ONLINE, "access": Session.Access.REGISTERED,
         "speakers": [people.guests[5]]},
        {"slug": "managers-breakfast", "title": "Side event: cluster managers' breakfast",
         "kind": Session.Kind.SIDE_EVENT,
         "abstract": "A small in-person side event: its 3 seats are taken and two people are on the waiting list.",
         "starts_at": _local(zone, tomorrow, 8), "ends_at": _local(zone, tomorrow, 9, 30),
         "location": "Meeting room A", "capacity": 3,
         "attendance_format": Session.AttendanceFormat.IN_PERSON, "access": Session.Access.REGISTERED},
        {"slug": "regional-resilience-plenary", "title": "Plenary: clusters and regional resilience",
         "kind": Session.Kind.PLENARY, "track": "Resilience", "abstract": "Tomorrow's plenary.",
         "starts_at": _local(zone, tomorrow, 10), "ends_at": _local(zone, tomorrow, 11, 30), "location": "Main hall",
         "speakers": [people.guests[1], people.guests[5]], **hybrid},
        {"slug": "b2b-matchmaking", "title": "B2B matchmaking", "kind": Session.Kind.MATCHMAKING,
         "abstract": "Meet potential partners one to one, at the venue or online.",
         "starts_at": _local(zone, tomorrow, 13), "ends_at": _local(zone, tomorrow, 16),
         "location": "Matchmaking area", "capacity": 40, **hybrid},
        {"slug": "closing-plenary", "title": "Closing plenary", "kind": Session.Kind.PLENARY,
         "abstract": "Conclusions of the demo edition.",
         "starts_at": _local(zone, day_after, 11), "ends_at": _local(zone, day_after, 12), "location": "Main hall",
         "speakers": [people.guests[0]], **hybrid},
    ]
    local_days = [
        moment.astimezone(zone).date()
        for item in plan
        for moment in (item["starts_at"], item["ends_at"])
        if isinstance(moment, dt.datetime)
    ]
    demo_series, _ = Series.objects.get_or_create(
        slug="demo", defaults={"name": "Cluster Conference Demo",
                               "description": "A demonstration edition that always runs around today."},
    )
    edition = _edition(
        demo_series, people.organiser,
        number=1, year=today.year, slug=DEMO_SLUG, title="Cluster Conference Demo (live)",
        theme="Try the platform: live rooms, Q&A, polls and side events",
        description="A demonstration edition placed around today, with a session live now and more "
                    "starting soon. Everything here, people included, is fictional.",
        format=Edition.Format.HYBRID, time_zone="Europe/Prague",
        venue_name="Demo venue", city="Prague",
        start_date=min([yesterday, *local_days]), end_date=max([day_after, *local_days]),
        status=Edition.Status.REGISTRATION_OPEN,
    )
    EditionRole.objects.create(edition=edition, user=people.moderator, role=EditionRole.Role.MODERATOR)
    sessions = _sessions(people.organiser, edition, plan)
    # The live session's room and the lobby are open, as a moderator would have opened them.
    Room.objects.filter(session=sessions["live-plenary"]).update(state=Room.State.OPEN)
    Room.objects.create(edition=edition, kind=Room.Kind.LOBBY, name="Lobby", slug="lobby", state=Room.State.OPEN)

    # The organisers added a 5-minute reminder for online attendees, so that right after
    # `make run` the demo attendee gets one for the panel starting in 10 minutes.
    reminders.set_edition_defaults(people.organiser, edition,
                                   [*DEFAULT_RULES, Rule(5, (EMAIL, IN_APP), online_only=True)])
    in_person, online = people.participants[:12], people.participants[12:]
    for user in [people.onsite, *in_person]:
        attendance.register(user, edition, AttendanceMode.IN_PERSON)
    for user in [people.attendee, *online]:
        attendance.register(user, edition, AttendanceMode.ONLINE)
    # The breakfast: three seats taken, then two people on the waiting list.
    for user in in_person[:5]:
        attendance.enrol(user, sessions["managers-breakfast"])
    for user in [people.onsite, *in_person[5:], *online[:4]]:
        attendance.enrol(user, sessions["b2b-matchmaking"])
    for user in [people.attendee, *online]:
        attendance.enrol(user, sessions["online-partnership-workshop"])
    for slug in ("live-plenary", "cross-border-panel", "skills-panel", "regional-resilience-plenary"):
        attendance.bookmark(people.attendee, sessions[slug])
    for slug in ("cross-border-panel", "regional-resilience-plenary"):
        attendance.bookmark(people.onsite, sessions[slug])
    for user in people.participants[::3]:
        attendance.bookmark(user, sessions["live-plenary"])
    build_demo_event(people.organiser, sessions["b2b-matchmaking"],
                     [people.onsite, people.attendee, *people.participants])


# --- entry point -----------------------------------------------------------------------


def demo_is_stale(now: dt.datetime) -> bool:
    """True when the demo edition's live session is over, so the demo shows nothing live."""
    live = Session.objects.filter(edition__slug=DEMO_SLUG, slug="live-plenary").first()
    return live is not None and live.ends_at <= now


def load_demo(now: dt.datetime | None = None, *, refresh_demo: bool = False) -> LoadResult:
    """Load the demo data unless it is there. `now` (default: the current time) places the
    demo edition; enrolments are still made at the real current time by the services.
    With `refresh_demo`, a demo edition whose live session is over is rebuilt around `now`
    (`make run` does this, so that a session is live whenever the platform starts); what
    people did in the old demo edition goes with it. The real editions are never touched."""
    now = now or timezone.now()
    result = LoadResult()
    with transaction.atomic():
        if refresh_demo and demo_is_stale(now):
            Edition.objects.filter(slug=DEMO_SLUG).delete()
        existing = set(Edition.objects.filter(slug__in=EDITION_SLUGS).values_list("slug", flat=True))
        if existing == set(EDITION_SLUGS):
            _people()  # demo accounts made before email confirmation existed get confirmed addresses
            return result
        series, _ = Series.objects.get_or_create(slug="ecc", defaults={
            "name": "European Cluster Conference",
            "description": "The biennial conference of the European cluster community.",
        })
        people = _people()
        builders = {
            "ecc-2020": lambda: _ecc_2020(series, people),
            "ecc-2022": lambda: _ecc_2022(series, people),
            DEMO_SLUG: lambda: _demo_edition(people, now),
        }
        for slug, build in builders.items():
            if slug not in existing:
                build()
                result.created.append(slug)
    return result
