"""The personal agenda page: the sessions in a person's agenda and what other apps add to it
(matchmaking: one-to-one B2B meetings), in time order, with overlaps flagged.

Apps add their entries through `contribute`, in their AppConfig.ready, so attendance never
imports them: fn(user) -> iterable of AgendaEntry."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from programme.models import Edition, Session

from . import services
from .models import Enrolment


@dataclass
class AgendaEntry:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    url: str
    edition: Edition
    kind: str  # shown as a badge: "B2B meeting"…
    location: str = ""
    session: Session | None = None  # the programme's own sessions
    enrolment: Enrolment | None = None
    within: Session | None = None  # the session it is part of (a B2B meeting in its matchmaking session)
    conflicts: list[str] = field(default_factory=list)  # titles of the entries it overlaps

    @property
    def counts(self) -> bool:
        """Cancelled sessions stay listed (people should know) but clash with nothing."""
        return self.session is None or not self.session.is_cancelled


Contributor = Callable[[object], Iterable[AgendaEntry]]
contributors: list[Contributor] = []


def contribute(fn: Contributor) -> Contributor:
    if fn not in contributors:
        contributors.append(fn)
    return fn


def flag_conflicts(entries: list[AgendaEntry]) -> None:
    """Mark entries that overlap in time (sorted by start; each pair is compared once)."""
    active = [e for e in entries if e.counts]
    for i, entry in enumerate(active):
        for other in active[i + 1:]:
            if other.starts_at >= entry.ends_at:
                break
            part_of = (other.within is not None and other.within == entry.session) or (
                entry.within is not None and entry.within == other.session)
            if other.ends_at > entry.starts_at and not part_of:
                entry.conflicts.append(other.title)
                other.conflicts.append(entry.title)


def entries_of(user) -> list[AgendaEntry]:
    enrolments = {e.session_id: e for e in Enrolment.objects.filter(user=user).exclude(status="cancelled")}
    entries = [
        AgendaEntry(title=s.title, starts_at=s.starts_at, ends_at=s.ends_at, edition=s.edition,
                    kind=s.get_kind_display(), url=reverse("session", args=[s.edition.slug, s.slug]),
                    location=s.location, session=s, enrolment=enrolments.get(s.pk))
        for s in services.agenda(user).select_related("track").prefetch_related("speakers__profile")
    ]
    for contributor in contributors:
        entries.extend(contributor(user))
    entries.sort(key=lambda e: (e.starts_at, e.title))
    flag_conflicts(entries)
    return entries
