"""The event's time grid: generating slots around breaks, plenary blocks, and which slots
and tables are still free. Read-only helpers shared by the services and the scheduler."""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from conference.errors import InvalidInput
from conference.schema import as_id
from programme.models import Session

from .models import MatchmakingEvent, MeetingRequest, MeetingSeat, Participant, Slot, Unavailability


@dataclass(frozen=True)
class Break:
    starts: dt.time
    ends: dt.time
    label: str = "Break"


BREAK_LINE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*(.*)$")


def parse_breaks(text: str) -> list[Break]:
    """One break per line, in venue time: "10:30-11:00 Coffee break"."""
    breaks = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = BREAK_LINE.match(line)
        try:
            if match is None:
                raise ValueError
            h1, m1, h2, m2 = (int(g) for g in match.groups()[:4])
            starts, ends = dt.time(h1, m1), dt.time(h2, m2)
        except ValueError:
            raise InvalidInput(
                f"Line {number} is not a break like “10:30-11:00 Coffee break”: “{line.strip()}”.", field="breaks"
            ) from None
        if ends <= starts:
            raise InvalidInput(f"The break on line {number} must end after it starts.", field="breaks")
        breaks.append(Break(starts, ends, match.group(5).strip() or "Break"))
    return breaks


def plan_slots(
    starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo, minutes: int, breaks: list[Break]
) -> list[tuple[dt.datetime, dt.datetime, str, str]]:
    """(start, end, kind, label) of consecutive meeting slots from start to end, with the breaks
    (times of day at the venue, on every day the session spans) cut out as break slots."""
    length = dt.timedelta(minutes=minutes)
    first_day, last_day = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    intervals = []
    day = first_day
    while day <= last_day:
        for item in breaks:
            b_start = dt.datetime.combine(day, item.starts, zone)
            b_end = dt.datetime.combine(day, item.ends, zone)
            if b_start < ends_at and b_end > starts_at:
                intervals.append((max(b_start, starts_at), min(b_end, ends_at), item.label))
        day += dt.timedelta(days=1)
    planned: list[tuple[dt.datetime, dt.datetime, str, str]] = []
    cursor = starts_at
    for b_start, b_end, label in sorted(intervals):
        while cursor + length <= b_start:
            planned.append((cursor, cursor + length, Slot.Kind.MEETING, ""))
            cursor += length
        if b_end > cursor:
            planned.append((max(cursor, b_start), b_end, Slot.Kind.BREAK, label))
            cursor = b_end
    while cursor + length <= ends_at:
        planned.append((cursor, cursor + length, Slot.Kind.MEETING, ""))
        cursor += length
    return planned


def plenary_blocks(event: MatchmakingEvent, slots: list[Slot]) -> dict[int, Session]:
    """Meeting slots overlapping a plenary of the edition: nobody meets during a plenary."""
    if not slots:
        return {}
    plenaries = list(
        Session.objects.filter(
            edition_id=event.session.edition_id, kind=Session.Kind.PLENARY,
            starts_at__lt=max(s.ends_at for s in slots), ends_at__gt=min(s.starts_at for s in slots),
        ).exclude(status=Session.Status.CANCELLED)
    )
    blocked = {}
    for slot in slots:
        for plenary in plenaries:
            if plenary.starts_at < slot.ends_at and plenary.ends_at > slot.starts_at:
                blocked[slot.pk] = plenary
                break
    return blocked


def bookable_slots(event: MatchmakingEvent) -> list[Slot]:
    """Meeting slots (not breaks) that no plenary blocks, in time order."""
    slots = list(event.slots.filter(kind=Slot.Kind.MEETING))
    blocked = plenary_blocks(event, slots)
    return [s for s in slots if s.pk not in blocked]


def check_bookable(event: MatchmakingEvent, slot_id: int | str | None) -> Slot:
    """The slot with this id, if meetings of this event can take place in it."""
    try:
        slot = event.slots.get(pk=as_id(slot_id, field="slot"))
    except (InvalidInput, Slot.DoesNotExist):
        raise InvalidInput("That time is not one of this event's meeting slots.", code="not_a_slot",
                           field="slot") from None
    if slot.is_break:
        raise InvalidInput(f"{slot.label or 'That slot'} is a break: pick a meeting slot.", code="break",
                           field="slot")
    plenary = plenary_blocks(event, [slot]).get(slot.pk)
    if plenary is not None:
        raise InvalidInput(f"That slot overlaps the plenary “{plenary.title}”: nobody meets during a plenary.",
                           code="plenary", field="slot")
    return slot


def busy_slot_ids(participant: Participant) -> set[int]:
    """Slots in which the participant is taken: a meeting, a held slot, or unavailable."""
    seats = MeetingSeat.objects.filter(participant=participant).values_list("slot_id", flat=True)
    away = Unavailability.objects.filter(participant=participant).values_list("slot_id", flat=True)
    return set(seats) | set(away)


def tables_taken(slot: Slot, exclude: MeetingRequest | None = None) -> set[int]:
    holding = MeetingRequest.objects.filter(slot=slot, table__isnull=False, status__in=MeetingRequest.HOLDING)
    if exclude is not None:
        holding = holding.exclude(pk=exclude.pk)
    return {table for table in holding.values_list("table", flat=True) if table is not None}


def free_table(event: MatchmakingEvent, slot: Slot, keep: MeetingRequest | None = None) -> int | None:
    """The lowest free table in the slot; `keep`'s own table if it already holds one there."""
    if keep is not None and keep.slot_id == slot.pk and keep.table and keep.status in MeetingRequest.HOLDING:
        return keep.table
    taken = tables_taken(slot, exclude=keep)
    return next((n for n in range(1, event.tables + 1) if n not in taken), None)


def common_free_slots(event: MatchmakingEvent, a: Participant, b: Participant, *, in_person: bool) -> list[Slot]:
    """Slots both are free in (and, for an in-person pair, with a table left), earliest first."""
    busy = busy_slot_ids(a) | busy_slot_ids(b)
    slots = [s for s in bookable_slots(event) if s.pk not in busy]
    if in_person:
        slots = [s for s in slots if free_table(event, s) is not None]
    return slots
