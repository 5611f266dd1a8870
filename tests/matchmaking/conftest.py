"""A matchmaking event in booking phase and helpers to add participants to it."""

import pytest

from matchmaking import organiser, services
from matchmaking.models import MatchmakingEvent, Participant
from programme.models import Session
from tests.fixtures.factories import at, make_session, make_user, register


def make_event(edition, actor, *, tables: int = 2, start: int = 14, end: int = 16, phase: str = "booking_open",
               breaks=None, slug: str = "b2b", **settings) -> MatchmakingEvent:
    """Meetings of 30 minutes from `start` to `end` o'clock on the edition's first day."""
    session = make_session(edition, kind=Session.Kind.MATCHMAKING, title="B2B matchmaking", slug=slug,
                           starts_at=at(edition, 0, start), ends_at=at(edition, 0, end), location="Matchmaking area")
    event = organiser.configure_event(actor, session, meeting_minutes=30, tables=tables, **settings)
    organiser.generate_slots(actor, event, breaks)
    if phase != MatchmakingEvent.Phase.REGISTRATION:
        event = organiser.set_phase(actor, event, MatchmakingEvent.Phase.BOOKING_OPEN)
    return event


def join(event: MatchmakingEvent, name: str, mode: str = "in_person", **profile) -> Participant:
    user = make_user(name, time_zone=profile.pop("time_zone", ""))
    register(user, event.session.edition, mode)
    return services.join(user, event, organisation=profile.pop("organisation", f"{name} Ltd"), **profile)


@pytest.fixture
def event(edition, organiser):
    return make_event(edition, organiser)


@pytest.fixture
def anna(event):
    return join(event, "Anna", sector="health", country="CZ")


@pytest.fixture
def ben(event):
    return join(event, "Ben", sector="digital", country="DE")


@pytest.fixture
def otto(event):
    return join(event, "Otto Online", mode="online", sector="digital", country="PT")
