"""Organisers' changes to a matchmaking event: settings, slots, phases, automatic scheduling,
locking and publishing the final agendas. Each function checks that the actor organises the
edition and notifies the participants concerned."""

import string

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from conference.errors import Conflict, Forbidden, InvalidInput
from programme.models import Session
from programme.permissions import AccountUser, User, is_organiser

from . import availability, scheduler
from .access import require_organiser
from .models import MatchmakingEvent, MeetingRequest, MeetingSeat, Slot, Unavailability
from .services import event_url, expire_pending, notify, video_link

Phase = MatchmakingEvent.Phase
Status = MeetingRequest.Status
SETTINGS = {"meeting_minutes", "tables", "video_link_template", "slot_choice", "booking_closes_at"}
# Phases an organiser may move to from each phase. Reopening booking and withdrawing the final
# agendas are allowed so that mistakes can be corrected.
NEXT_PHASES: dict[str, set[str]] = {
    Phase.REGISTRATION: {Phase.BOOKING_OPEN},
    Phase.BOOKING_OPEN: {Phase.BOOKING_CLOSED, Phase.FINAL},
    Phase.BOOKING_CLOSED: {Phase.BOOKING_OPEN, Phase.FINAL},
    Phase.FINAL: {Phase.BOOKING_CLOSED},
}


def _check_video_template(template: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        sample = template.format(event="ecc-2030-b2b", meeting="0123456789abcdef")
    except (ValueError, IndexError, KeyError):
        names, sample = {"?"}, ""
    if names - {"event", "meeting"} or "meeting" not in names:
        raise InvalidInput("The video link needs {meeting} (and may use {event}), e.g. "
                           "https://meet.jit.si/{event}-{meeting}.", field="video_link_template")
    try:
        URLValidator(schemes=["https"])(sample)
    except ValidationError:
        raise InvalidInput("The video link must be an https:// address.", field="video_link_template") from None


def check_settings(event: MatchmakingEvent, fields: dict) -> None:
    unknown = set(fields) - SETTINGS
    if unknown:
        raise InvalidInput(f"Unknown setting(s): {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    minutes = fields.get("meeting_minutes", event.meeting_minutes)
    if not isinstance(minutes, int) or not 5 <= minutes <= 240:
        raise InvalidInput("Meetings last between 5 and 240 minutes.", field="meeting_minutes")
    tables = fields.get("tables", event.tables)
    if not isinstance(tables, int) or tables < 0:
        raise InvalidInput("The number of tables cannot be negative.", field="tables")
    if event.pk and event.requests.filter(status__in=MeetingRequest.HOLDING, table__gt=tables).exists():
        raise Conflict(f"Meetings already sit at tables above {tables}: move them first.", code="tables_in_use",
                       field="tables")
    if fields.get("slot_choice", event.slot_choice) not in MatchmakingEvent.SlotChoice.values:
        raise InvalidInput("Unknown way of choosing slots.", field="slot_choice")
    _check_video_template(fields.get("video_link_template", event.video_link_template))
    closes = fields.get("booking_closes_at")
    if closes is not None and closes.tzinfo is None:
        raise InvalidInput("The booking deadline needs a time zone.", field="booking_closes_at")


@transaction.atomic
def configure_event(actor: User, session: Session, **fields) -> MatchmakingEvent:
    """Create the matchmaking event of a matchmaking session, or change its settings."""
    if not is_organiser(actor, session.edition):
        raise Forbidden("Only organisers of this edition can set up its matchmaking.", code="not_organiser")
    if session.kind != Session.Kind.MATCHMAKING:
        raise InvalidInput("Only sessions of kind matchmaking hold a matchmaking event.", field="session")
    event = MatchmakingEvent.objects.select_for_update().filter(session=session).first() or MatchmakingEvent(
        session=session)
    check_settings(event, fields)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    return event


@transaction.atomic
def generate_slots(actor: User, event: MatchmakingEvent, breaks: list[availability.Break] | None = None) -> list[Slot]:
    """Cut the session into meeting slots of the event's length, with breaks. Replaces the slots,
    so it is refused once a slot is held or taken by a meeting."""
    require_organiser(actor, event)
    if MeetingSeat.objects.filter(slot__event=event).exists():
        raise Conflict("Meetings already use these slots: cancel or move them before changing the slots.",
                       code="slots_in_use")
    session = event.session
    planned = availability.plan_slots(session.starts_at, session.ends_at, session.edition.tz,
                                      event.meeting_minutes, breaks or [])
    # Old requests keep no reference to slots that are about to disappear.
    event.requests.filter(slot__isnull=False).update(slot=None, table=None)
    event.slots.all().delete()
    return Slot.objects.bulk_create(
        [Slot(event=event, starts_at=s, ends_at=e, kind=kind, label=label) for s, e, kind, label in planned]
    )


def _tell_everyone(event: MatchmakingEvent, kind: str, text: str, page: str) -> None:
    users = get_user_model().objects.filter(matchmaking_participations__event=event)
    notify(users, kind, text, event_url(event, page))


@transaction.atomic
def set_phase(actor: User, event: MatchmakingEvent, phase: str) -> MatchmakingEvent:
    require_organiser(actor, event)
    event = MatchmakingEvent.objects.select_for_update().select_related("session__edition").get(pk=event.pk)
    if phase not in NEXT_PHASES[Phase(event.phase)]:
        raise Conflict(f"The event cannot go from “{event.get_phase_display()}” to "
                       f"“{Phase(phase).label if phase in Phase.values else phase}”.", code="bad_phase")
    if phase == Phase.BOOKING_OPEN and event.booking_closes_at and event.booking_closes_at <= timezone.now():
        raise Conflict("The booking deadline has passed: move it first.", code="deadline_passed")
    if phase == Phase.BOOKING_OPEN and not availability.bookable_slots(event):
        raise Conflict("Create the meeting slots before opening booking.", code="no_slots")
    event.phase = phase
    event.save(update_fields=["phase"])
    if phase in (Phase.BOOKING_CLOSED, Phase.FINAL):
        expire_pending(event.pk)
    if phase == Phase.FINAL:
        event.requests.filter(status=Status.SCHEDULED).update(locked=True, updated_at=timezone.now())
        _tell_everyone(event, "agenda_final", f"Your meetings at {event.session.title} are final.",
                       "matchmaking-agenda")
    elif phase == Phase.BOOKING_OPEN:
        _tell_everyone(event, "booking_open", f"Booking is open at {event.session.title}: request meetings now.",
                       "matchmaking-marketplace")
    return event


def publish_agendas(actor: User, event: MatchmakingEvent) -> MatchmakingEvent:
    """Booking closes (pending requests expire), every scheduled meeting is locked, and the
    participants are told their agendas are final."""
    return set_phase(actor, event, Phase.FINAL)


@transaction.atomic
def set_locked(actor: User, event: MatchmakingEvent, request_ids, locked: bool = True) -> int:
    """Lock scheduled meetings so participants cannot move or cancel them (None: all of them)."""
    require_organiser(actor, event)
    meetings = event.requests.filter(status=Status.SCHEDULED)
    if request_ids is not None:
        meetings = meetings.filter(pk__in=list(request_ids))
    return meetings.update(locked=locked, updated_at=timezone.now())


def _grid(event: MatchmakingEvent) -> scheduler.Grid:
    slots = availability.bookable_slots(event)
    slot_ids = [s.pk for s in slots]
    people = list(event.participants.values_list("pk", flat=True))
    away: dict[int, set[int]] = {}
    for person, slot in Unavailability.objects.filter(participant__event=event).values_list("participant", "slot"):
        away.setdefault(person, set()).add(slot)
    busy: dict[int, set[int]] = {}
    for person, slot in MeetingSeat.objects.filter(slot__event=event).values_list("participant", "slot"):
        busy.setdefault(person, set()).add(slot)
    used: dict[int, set[int]] = {}
    for slot, table in event.requests.filter(status__in=MeetingRequest.HOLDING, table__isnull=False).values_list(
            "slot", "table"):
        if slot is not None and table is not None:  # always, by the filter and the table_needs_slot constraint
            used.setdefault(slot, set()).add(table)
    return scheduler.Grid(
        slots=slot_ids,
        available={p: set(slot_ids) - away.get(p, set()) for p in people},
        busy=busy,
        free_tables={s: [t for t in range(1, event.tables + 1) if t not in used.get(s, set())] for s in slot_ids},
    )


@transaction.atomic
def schedule_accepted(actor: User, event: MatchmakingEvent) -> scheduler.Report:
    """Place every accepted request without a slot; report why any could not be placed."""
    require_organiser(actor, event)
    event = MatchmakingEvent.objects.select_for_update().select_related("session__edition").get(pk=event.pk)
    if event.phase not in (Phase.BOOKING_OPEN, Phase.BOOKING_CLOSED):
        raise Conflict("Schedule while booking is open or closed, before the agendas are final.", code="bad_phase")
    waiting = {r.pk: r for r in event.requests.filter(status=Status.ACCEPTED).select_related(
        "requester__user__profile", "recipient__user__profile")}
    pairs = [scheduler.Pair(r.pk, r.requester_id, r.recipient_id, r.in_person) for r in waiting.values()]
    report = scheduler.plan(pairs, _grid(event))
    slots = {s.pk: s for s in event.slots.all()}
    seats, changed, now = [], [], timezone.now()
    for placement in report.placed:
        request = waiting[placement.request_id]
        request.event = event
        request.slot, request.table, request.status = slots[placement.slot_id], placement.table, Status.SCHEDULED
        request.updated_at = now  # bulk_update does not apply auto_now
        if not request.in_person and not request.video_link:
            request.video_link = video_link(request)
        changed.append(request)
        seats += [MeetingSeat(request=request, participant_id=p, slot_id=placement.slot_id)
                  for p in (request.requester_id, request.recipient_id)]
    try:
        with transaction.atomic():
            MeetingSeat.objects.bulk_create(seats, batch_size=500)
            MeetingRequest.objects.bulk_update(changed, ["slot", "table", "status", "video_link", "updated_at"],
                                               batch_size=500)
    except IntegrityError:
        raise Conflict("Participants booked meetings while the schedule was computed: run it again.",
                       code="schedule_changed") from None
    # One notification per person, however many of their meetings were placed.
    placed_for: dict[int, tuple[AccountUser, int]] = {}
    for request in changed:
        for person in (request.requester, request.recipient):
            user, count = placed_for.get(person.user_id, (person.user, 0))
            placed_for[person.user_id] = (user, count + 1)
    for user, count in placed_for.values():
        notify([user], "meeting_scheduled",
               f"The organisers scheduled {count} meeting{'s' if count != 1 else ''} for you at {event.session.title}.",
               event_url(event, "matchmaking-agenda"))
    return report
