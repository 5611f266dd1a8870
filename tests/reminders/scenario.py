"""Editions and sessions around the real current time, for reminder tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from attendance import services as attendance
from programme.models import Edition, Session
from tests.fixtures.factories import make_edition, make_session, make_user, register

PRAGUE = ZoneInfo("Europe/Prague")


def edition_around(moment: dt.datetime | None = None, days: int = 3, **fields) -> Edition:
    """An open hybrid edition in Prague whose dates cover `moment` (default now) ± `days`."""
    day = (moment or timezone.now()).astimezone(PRAGUE).date()
    return make_edition(start_date=day - dt.timedelta(days=days), end_date=day + dt.timedelta(days=days),
                        time_zone="Europe/Prague", **fields)


def session_in(edition: Edition, starts_in: dt.timedelta, length: dt.timedelta = dt.timedelta(hours=1),
               **fields) -> Session:
    starts = timezone.now().replace(microsecond=0) + starts_in
    return make_session(edition, starts_at=starts, ends_at=starts + length, **fields)


def attendee(edition: Edition, mode: str = "online", *, time_zone: str = "Europe/Lisbon", email: str = "",
             name: str = ""):
    user = make_user(name, email=email, time_zone=time_zone)
    register(user, edition, mode)
    return user


def follower(session: Session, mode: str = "online", **person):
    """A registered person with the session in their agenda (through the service)."""
    user = attendee(session.edition, mode, **person)
    attendance.bookmark(user, session)
    return user


def workers_idle(broker_client) -> bool:
    """Nothing waits on the broker and no worker runs or holds a task: whatever the workers
    were going to send has been sent (what a test waits for before counting messages)."""
    import redis

    with redis.Redis.from_url(broker_client.conf.broker_url) as client:
        if client.llen("celery"):
            return False
    inspect = broker_client.control.inspect(timeout=1.0)
    held = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
    return not any(held)
