"""One day of the programme as a timetable: locations across, time down.

It is rendered as an HTML table (rows are time slots, columns locations, a session spans the
rows of its duration): screen readers announce each session with its time and place from the
table's headers, it needs neither JavaScript nor inline styles, and it prints."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .frab import room_name
from .models import Edition, Session

MIN_SLOT = 5  # minutes: sessions at odd times are placed on the nearest 5 minutes


@dataclass
class Cell:
    session: Session | None = None
    rows: int = 1  # rowspan


@dataclass
class Row:
    time: dt.datetime  # venue local time
    cells: list[Cell] = field(default_factory=list)  # one per column, minus those covered from above
    labelled: bool = False  # on the hour or half hour: the time is printed

    @property
    def label(self) -> str:
        """HH:MM at the venue (formatted here: templates render datetimes in the viewer's zone)."""
        return self.time.strftime("%H:%M")


@dataclass
class Timetable:
    day: dt.date
    columns: list[str]
    rows: list[Row]
    slot_minutes: int


def _slot(sessions: list[Session], tz) -> int:
    values = [60]
    for session in sessions:
        start = session.starts_at.astimezone(tz)
        values += [start.minute, int((session.ends_at - session.starts_at).total_seconds() // 60)]
    return max(math.gcd(*values), MIN_SLOT)


def build(edition: Edition, sessions: list[Session], day: dt.date) -> Timetable | None:
    """The timetable of `day` (venue calendar day), or None when nothing takes place that day."""
    tz = edition.tz
    day_start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    day_end = day_start + dt.timedelta(days=1)
    shown = sorted((s for s in sessions if s.starts_at < day_end and s.ends_at > day_start and not s.is_cancelled),
                   key=lambda s: (s.starts_at, s.title))
    if not shown:
        return None
    slot = _slot(shown, tz)

    def index(moment: dt.datetime) -> int:
        minutes = (min(max(moment, day_start), day_end) - day_start).total_seconds() / 60
        return round(minutes / slot)

    first = min(index(s.starts_at) for s in shown)
    first -= first % max(1, 30 // slot) if slot <= 30 else 0  # start on a half hour when slots allow
    last = max(index(s.ends_at) for s in shown)

    # Columns: one per location in order of first use; a location with overlapping sessions (only
    # cancelled ones may overlap, and they are not shown, but data entered elsewhere could) gets more.
    columns: list[str] = []
    bases: list[str] = []  # the location of each column
    placed: list[list[tuple[int, int, Session]]] = []
    for session in shown:
        start, end = index(session.starts_at), max(index(session.ends_at), index(session.starts_at) + 1)
        name = room_name(session) or _("Venue")
        column = next((c for c, base in enumerate(bases)
                       if base == name and all(end <= s or start >= e for s, e, _x in placed[c])), None)
        if column is None:
            same = bases.count(name)
            columns.append(name if same == 0 else f"{name} ({same + 1})")
            bases.append(name)
            placed.append([])
            column = len(columns) - 1
        placed[column].append((start, end, session))

    rows: list[Row] = []
    covered: set[tuple[int, int]] = set()
    starts = {(start, column): (end, session) for column, items in enumerate(placed) for start, end, session in items}
    for r in range(first, last):
        moment = day_start + dt.timedelta(minutes=r * slot)
        row = Row(time=moment, labelled=moment.minute in (0, 30) or r == first)
        for column in range(len(columns)):
            if (r, column) in covered:
                continue
            if (r, column) in starts:
                end, session = starts[(r, column)]
                span = max(1, min(end, last) - r)
                row.cells.append(Cell(session, span))
                covered.update((r + k, column) for k in range(1, span))
            else:
                row.cells.append(Cell())
        rows.append(row)
    return Timetable(day=day, columns=columns, rows=rows, slot_minutes=slot)
