"""The programme page's filters: search text, day, kinds, tracks, attendance format and view,
read from the query string (unknown values are ignored, never an error), applied to the
sessions, and turned into chips that add or remove one value each."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from . import search
from .models import Edition, Session

VIEWS = ("list", "grid")


@dataclass
class Chip:
    label: str
    url: str
    active: bool
    track: str = ""  # a track's slug (its chip shows the track's colour)


@dataclass
class ProgrammeFilters:
    query: search.Query
    day: dt.date | None = None
    kinds: list[str] = field(default_factory=list)
    tracks: list[str] = field(default_factory=list)  # slugs
    formats: list[str] = field(default_factory=list)
    view: str = "list"

    @classmethod
    def from_request(cls, request, edition: Edition) -> "ProgrammeFilters":
        get = request.GET
        day = None
        try:
            day = dt.date.fromisoformat(get.get("day", "")[:10]) if get.get("day") else None
        except ValueError:
            day = None
        known_tracks = {t.slug for t in edition.tracks.all()}
        return cls(
            query=search.parse(get.get("q", "")),
            day=day,
            kinds=[k for k in dict.fromkeys(get.getlist("kind")) if k in Session.Kind.values],
            tracks=[t for t in dict.fromkeys(get.getlist("track")) if t in known_tracks],
            formats=[f for f in dict.fromkeys(get.getlist("format")) if f in Session.AttendanceFormat.values],
            view=get.get("view") if get.get("view") in VIEWS else "list",
        )

    @property
    def active(self) -> bool:
        return bool(self.query.text or self.kinds or self.tracks or self.formats)

    def params(self, **changes) -> dict:
        values = {
            "view": self.view, "q": self.query.text, "day": self.day.isoformat() if self.day else "",
            "kind": self.kinds, "track": self.tracks, "format": self.formats,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value and not (key == "view" and value == "list")}

    def url(self, **changes) -> str:
        return "?" + urlencode(self.params(**changes), doseq=True)

    def apply(self, sessions: QuerySet[Session]) -> QuerySet[Session]:
        if self.kinds:
            sessions = sessions.filter(kind__in=self.kinds)
        if self.tracks:
            sessions = sessions.filter(track__slug__in=self.tracks)
        if self.formats:
            # "Online" also finds hybrid sessions, "In person" too: each can be attended that way.
            wanted = Q(attendance_format__in=self.formats)
            if Session.AttendanceFormat.ONLINE in self.formats or Session.AttendanceFormat.IN_PERSON in self.formats:
                wanted |= Q(attendance_format=Session.AttendanceFormat.HYBRID)
            sessions = sessions.filter(wanted)
        return search.search(sessions, self.query)

    def _toggle(self, name: str, value: str) -> str:
        current: list[str] = getattr(self, name)
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        return self.url(**{name[:-1]: chosen})  # kinds -> kind, tracks -> track, formats -> format

    def chips(self, edition: Edition) -> list[tuple[str, list[Chip]]]:
        """Groups of chips: (group label, chips); each chip's URL adds or removes its value."""
        kinds = [Chip(str(label), self._toggle("kinds", value), value in self.kinds)
                 for value, label in Session.Kind.choices
                 if edition.sessions.filter(kind=value).exists()]
        tracks = [Chip(track.name, self._toggle("tracks", track.slug), track.slug in self.tracks, track.slug)
                  for track in edition.tracks.all()]
        formats = [Chip(label, self._toggle("formats", value), value in self.formats)
                   for value, label in ((Session.AttendanceFormat.ONLINE, _("Can be followed online")),
                                        (Session.AttendanceFormat.IN_PERSON, _("At the venue")))]
        groups = [(_("Kind"), kinds), (_("Track"), tracks)]
        if edition.format == Edition.Format.HYBRID:
            groups.append((_("Attend"), formats))
        return [(label, chips) for label, chips in groups if chips]
