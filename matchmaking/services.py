"""Every change to a matchmaking event goes through a function here: it checks permission,
writes, raises conference.errors on bad input, and notifies the people concerned in-app
once the change is committed (see `notify`).

Organiser-only changes (settings, slots, phases, automatic scheduling, locking, publishing)
live in matchmaking.organiser; both modules share `notify`, `claim_slot` and `release`."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from attendance import services as attendance
from attendance.models import AttendanceMode
from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from conference.schema import as_id
from conference.text import clean_text
from people.services import profile_of
from programme.models import Session
from programme.permissions import AccountUser, User, is_organiser
from reminders import services as reminders

from . import availability
from .access import booking_is_open, participant_of, require_booking_open, require_login, require_participant
from .models import (
    Listing,
    MatchmakingEvent,
    MeetingFeedback,
    MeetingRequest,
    MeetingSeat,
    Participant,
    Sector,
    Slot,
    Unavailability,
)

log = logging.getLogger(__name__)
Status = MeetingRequest.Status
DELETED_ORGANISATION = "(deleted account)"
PROFILE_FIELDS = {"organisation", "sector", "country", "cluster", "description"}
MAX_DESCRIPTION = 5000  # profiles' and listings' descriptions
MAX_NOTE = 1000  # notes on meeting requests and replies


# --- notifications ----------------------------------------------------------------------


def notify(users, kind: str, title: str, url: str, body: str = "", *, key: str | None = None) -> None:
    """Tell people about a change in-app: the platform's notification service stores a
    notification (shown under Notifications) and pushes the documented "notification" event to
    their open tabs once the transaction commits. The one place matchmaking notifies from."""
    for user in {u.pk: u for u in users}.values():
        reminders.notify(user, f"matchmaking.{kind}", title, body, url,
                         key=f"{key}-{user.pk}" if key else None)


def event_url(event: MatchmakingEvent, name: str = "matchmaking-event", *args) -> str:
    return reverse(name, args=[event.session.edition.slug, event.session.slug, *args])


def _tell(users, request: MeetingRequest, kind: str, title: str, body: str = "", page: str = "matchmaking-requests",
          key: str | None = None) -> None:
    notify(users, kind, title, event_url(request.event, page), body, key=key)


def venue_time(event: MatchmakingEvent, moment: dt.datetime) -> str:
    return moment.astimezone(event.session.edition.tz).strftime("%a %d %b, %H:%M")


# --- slots, seats and tables ------------------------------------------------------------


def video_link(request: MeetingRequest) -> str:
    event = request.event
    return event.video_link_template.format(
        event=slugify(f"{event.session.edition.slug}-{event.session.slug}"), meeting=request.guid.hex[:16]
    )


def release(request: MeetingRequest) -> None:
    """Let go of the request's slot: its seats are deleted; slot and table stay as history."""
    MeetingSeat.objects.filter(request=request).delete()


def claim_slot(request: MeetingRequest, slot: Slot, status: str) -> None:
    """Give the request `slot` with `status` (pending holds it, scheduled takes it): a seat for
    each participant, a table for an in-person pair, a video link otherwise.

    Reads first to give clear errors, then writes inside a savepoint: if someone else took a
    seat or the last table between our read and our write, the database's unique constraints
    reject our write and we look again (the loser of a race gets a clear Conflict)."""
    event, when = request.event, venue_time(request.event, slot.starts_at)
    before = (request.slot, request.table, request.status, request.video_link)
    for _attempt in range(3):
        for person in (request.requester, request.recipient):
            if MeetingSeat.objects.filter(participant=person, slot=slot).exclude(request=request).exists():
                raise Conflict(f"{person.name} already has a meeting at {when}.", code="slot_taken", field="slot")
            if Unavailability.objects.filter(participant=person, slot=slot).exists():
                raise Conflict(f"{person.name} is not available at {when}.", code="unavailable", field="slot")
        table = None
        if request.in_person:
            # Keep the table when a held slot becomes the meeting's; its own row does not count as taken.
            table = availability.free_table(event, slot, keep=request)
            if table is None:
                raise Conflict(f"Every table is taken at {when}: pick another slot.", code="no_table", field="slot")
        try:
            with transaction.atomic():
                MeetingSeat.objects.filter(request=request).delete()
                MeetingSeat.objects.bulk_create(
                    [MeetingSeat(request=request, participant=p, slot=slot)
                     for p in (request.requester, request.recipient)]
                )
                request.slot, request.table, request.status = slot, table, status
                if not request.in_person and not request.video_link:
                    request.video_link = video_link(request)
                request.save()
            return
        except IntegrityError:
            # The savepoint undid our rows; undo our in-memory changes too before looking again.
            request.slot, request.table, request.status, request.video_link = before
            log.info("Slot %s changed under request %s; looking again", slot.pk, request.pk)
    raise Conflict(f"The slot at {when} was just taken: pick another one.", code="slot_taken", field="slot")


def _hold_earliest(request: MeetingRequest, status: str) -> bool:
    """Claim the earliest slot both are free in; False when there is none (or it went meanwhile)."""
    for slot in availability.common_free_slots(request.event, request.requester, request.recipient,
                                               in_person=request.in_person):
        try:
            claim_slot(request, slot, status)
            return True
        except Conflict:
            continue
    return False


# --- joining and profiles ---------------------------------------------------------------


def _clean_profile(fields: dict) -> dict:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    if "sector" in fields and fields["sector"] and fields["sector"] not in Sector.values:
        raise InvalidInput(f"Unknown sector “{fields['sector']}”.", field="sector")
    fields = dict(fields)
    if "organisation" in fields:
        fields["organisation"] = clean_text(fields["organisation"], max_length=200, what="organisation")
    if "cluster" in fields:
        fields["cluster"] = clean_text(fields["cluster"], max_length=200, required=False, what="cluster")
    if "description" in fields:
        fields["description"] = clean_text(fields["description"], max_length=MAX_DESCRIPTION, multiline=True,
                                           required=False, what="description")
    return fields


def _clean_note(note: str) -> str:
    return clean_text(note or "", max_length=MAX_NOTE, multiline=True, required=False, what="note")


@transaction.atomic
def join(user: User, event: MatchmakingEvent, **profile) -> Participant:
    """Take part in the event, with the attendance mode of one's registration for the edition."""
    user = require_login(user)
    session = Session.objects.select_for_update().get(pk=event.session_id)
    if event.phase not in (MatchmakingEvent.Phase.REGISTRATION, MatchmakingEvent.Phase.BOOKING_OPEN):
        raise Conflict("This matchmaking event no longer takes participants.", code="joining_closed")
    if participant_of(user, event):
        raise Conflict("You already take part in this matchmaking event.", code="already_participant")
    registration = attendance.registration_of(user, session.edition)
    if registration is None:
        raise Conflict(f"Register for {session.edition.title} first.", code="not_registered")
    if session.access == Session.Access.INVITED and not session.invitees.filter(pk=user.pk).exists():
        raise Forbidden("This matchmaking event is by invitation only.", code="not_invited")
    mode = registration.mode
    if session.attendance_format == Session.AttendanceFormat.IN_PERSON and mode == AttendanceMode.ONLINE:
        raise InvalidInput("These meetings take place in person only and you registered to attend online.",
                           code="mode_mismatch")
    if session.attendance_format == Session.AttendanceFormat.ONLINE:
        mode = AttendanceMode.ONLINE
    if session.capacity is not None and event.participants.count() >= session.capacity:
        raise Conflict(f"All {session.capacity} places of this matchmaking event are taken.", code="event_full")
    person = profile_of(user)
    defaults = {"organisation": person.organisation or person.name, "country": person.country}
    participant = Participant(event=event, user=user, mode=mode, **{**defaults, **_clean_profile(profile)})
    participant.save()
    attendance.bookmark(user, session)  # the matchmaking session shows in the personal agenda
    return participant


def update_profile(user: User, event: MatchmakingEvent, **fields) -> Participant:
    participant = require_participant(user, event)
    for name, value in _clean_profile(fields).items():
        setattr(participant, name, value)
    participant.save()
    return participant


def add_listing(user: User, event: MatchmakingEvent, *, direction: str, category: str, title: str,
                description: str = "", tags: str = "") -> Listing:
    participant = require_participant(user, event)
    if direction not in Listing.Direction.values:
        raise InvalidInput("Say whether you offer or request this.", field="direction")
    if category not in Listing.Category.values:
        raise InvalidInput(f"Pick a type: {', '.join(Listing.Category.labels)}.", field="category")
    title = clean_text(title, max_length=200, what="title")
    description = clean_text(description, max_length=MAX_DESCRIPTION, multiline=True, required=False,
                             what="description")
    tags = clean_text(tags, max_length=300, required=False, what="tags")
    tags = ", ".join(dict.fromkeys(t.strip().lower() for t in tags.split(",") if t.strip()))
    return Listing.objects.create(participant=participant, direction=direction, category=category,
                                  title=title, description=description, tags=tags)


def remove_listing(user: User, event: MatchmakingEvent, listing_id: int) -> None:
    participant = require_participant(user, event)
    deleted, _ = Listing.objects.filter(pk=listing_id, participant=participant).delete()
    if not deleted:
        raise NotFound("No such offer or request of yours.")


@transaction.atomic
def set_availability(user: User, event: MatchmakingEvent, unavailable_slot_ids) -> None:
    """Mark the slots in which the participant cannot meet; every other slot is available."""
    participant = require_participant(user, event)
    wanted = {as_id(i, field="away") for i in unavailable_slot_ids}
    slots = {s.pk: s for s in event.slots.filter(pk__in=wanted)}
    if set(slots) != wanted:
        raise InvalidInput("That time is not one of this event's meeting slots.", code="not_a_slot", field="slot")
    taken = MeetingSeat.objects.filter(participant=participant, slot_id__in=wanted).select_related("slot").first()
    if taken:
        raise Conflict(f"You have a meeting at {venue_time(event, taken.slot.starts_at)}: cancel or move it "
                       "before marking that time unavailable.", code="slot_taken", field="slot")
    Unavailability.objects.filter(participant=participant).exclude(slot_id__in=wanted).delete()
    have = set(Unavailability.objects.filter(participant=participant).values_list("slot_id", flat=True))
    Unavailability.objects.bulk_create([Unavailability(participant=participant, slot_id=i) for i in wanted - have])


# --- meeting requests -------------------------------------------------------------------


def _get_request(event: MatchmakingEvent, request_id: int, *, lock: bool = True) -> MeetingRequest:
    requests = MeetingRequest.objects.select_related("event__session__edition", "requester__user__profile",
                                                      "recipient__user__profile", "slot")
    if lock:
        requests = requests.select_for_update(of=("self",))
    request = requests.filter(pk=request_id, event=event).first()
    if request is None:
        raise NotFound("No such meeting request.")
    return request


def _check_not_expired(request: MeetingRequest) -> None:
    if request.status == Status.EXPIRED or (request.status == Status.PENDING and not booking_is_open(request.event)):
        raise Conflict("This request expired when booking closed.", code="request_expired")


@transaction.atomic
def request_meeting(user: User, event: MatchmakingEvent, recipient_id: int, note: str = "",
                    slot_id: int | None = None) -> MeetingRequest:
    """Ask another participant for a meeting. The request holds a slot while it is pending: the one
    the requester picked, or (no pick, or the organiser's setting) the earliest both have free."""
    requester = require_participant(user, event)
    require_booking_open(event)
    recipient = Participant.objects.select_related("user__profile").filter(pk=recipient_id, event=event).first()
    if recipient is None:
        raise NotFound("No such participant in this matchmaking event.")
    if recipient.pk == requester.pk:
        raise InvalidInput("You cannot request a meeting with yourself.", code="self_request")
    if slot_id and event.slot_choice == MatchmakingEvent.SlotChoice.EARLIEST:
        raise InvalidInput("The organisers schedule meetings in the earliest slot both have free.", field="slot")
    slot = availability.check_bookable(event, slot_id) if slot_id else None
    existing = _open_request_between(requester, recipient)
    if existing:
        raise Conflict(f"There is already a meeting request between you and {recipient.name} "
                       f"({existing.get_status_display().lower()}).", code="duplicate_request")
    request = MeetingRequest(event=event, requester=requester, recipient=recipient, note=_clean_note(note))
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the other one asked at the same moment
        raise Conflict(f"There is already a meeting request between you and {recipient.name}.",
                       code="duplicate_request") from None
    if slot is not None:
        claim_slot(request, slot, Status.PENDING)
    else:
        _hold_earliest(request, Status.PENDING)
    _tell([recipient.user], request, "request_received",
          f"{requester.name} ({requester.organisation}) asks to meet you{_when(request, ' at ')}.", request.note)
    return request


def _open_request_between(a: Participant, b: Participant) -> MeetingRequest | None:
    pair = MeetingRequest.objects.filter(status__in=MeetingRequest.OPEN)
    return (pair.filter(requester=a, recipient=b) | pair.filter(requester=b, recipient=a)).first()


@transaction.atomic
def accept(user: User, event: MatchmakingEvent, request_id: int, note: str = "",
           slot_id: int | None = None) -> MeetingRequest:
    """The recipient accepts: the meeting is scheduled in the held slot, in the slot the recipient
    picks, or in the earliest both have free; with no common slot it waits for the organisers."""
    participant = require_participant(user, event)
    request = _get_request(event, request_id)
    if request.recipient_id != participant.pk:
        raise Forbidden("Only the person asked can accept a meeting request.", code="not_recipient")
    _check_not_expired(request)
    if request.status != Status.PENDING:
        raise Conflict(f"This request is already {request.get_status_display().lower()}.", code="not_pending")
    if slot_id and event.slot_choice == MatchmakingEvent.SlotChoice.EARLIEST:
        raise InvalidInput("The organisers schedule meetings in the earliest slot both have free.", field="slot")
    request.reply_note = _clean_note(note)
    if slot_id and as_id(slot_id, field="slot") != request.slot_id:
        claim_slot(request, availability.check_bookable(event, slot_id), Status.SCHEDULED)
    elif MeetingSeat.objects.filter(request=request).exists():
        assert request.slot is not None  # a held request has its slot
        claim_slot(request, request.slot, Status.SCHEDULED)
    elif not _hold_earliest(request, Status.SCHEDULED):
        request.status = Status.ACCEPTED
        request.save()
    _tell([request.requester.user], request, "request_accepted",
          f"{participant.name} accepted your meeting request{_when(request, ' for ')}.", request.reply_note,
          page="matchmaking-agenda")
    return request


def _when(request: MeetingRequest, preposition: str) -> str:
    """" for Thu 26 Sep, 14:30" when the request holds or has a slot (venue time)."""
    if request.slot is not None and MeetingSeat.objects.filter(request=request).exists():
        return f"{preposition}{venue_time(request.event, request.slot.starts_at)}"
    return "; the organisers will find a slot" if request.status == Status.ACCEPTED else ""


@transaction.atomic
def decline(user: User, event: MatchmakingEvent, request_id: int, note: str = "") -> MeetingRequest:
    participant = require_participant(user, event)
    request = _get_request(event, request_id)
    if request.recipient_id != participant.pk:
        raise Forbidden("Only the person asked can decline a meeting request.", code="not_recipient")
    _check_not_expired(request)
    if request.status != Status.PENDING:
        raise Conflict(f"This request is already {request.get_status_display().lower()}.", code="not_pending")
    release(request)
    request.status, request.reply_note = Status.DECLINED, _clean_note(note)
    request.save()
    _tell([request.requester.user], request, "request_declined",
          f"{participant.name} declined your meeting request.", request.reply_note)
    return request


def _may_change(user: User, request: MeetingRequest) -> tuple[bool, Participant | None]:
    """(is organiser, the user's side of the request or None); Forbidden for anyone else."""
    organiser = is_organiser(user, request.event.session.edition)
    mine = participant_of(user, request.event)
    if mine is not None and mine.pk not in (request.requester_id, request.recipient_id):
        mine = None
    if not organiser and mine is None:
        raise Forbidden("This is not your meeting.", code="not_your_meeting")
    if request.locked and not organiser:
        raise Forbidden("The organisers have locked this meeting: ask them to change it.", code="locked")
    return organiser, mine


@transaction.atomic
def cancel(user: User, event: MatchmakingEvent, request_id: int, note: str = "") -> MeetingRequest:
    """Withdraw a request or call off a meeting (either participant, or an organiser)."""
    request = _get_request(event, request_id)
    organiser, mine = _may_change(require_login(user), request)
    if request.status not in MeetingRequest.OPEN:
        raise Conflict(f"This request is already {request.get_status_display().lower()}.", code="not_open")
    if request.status == Status.PENDING and mine is not None and mine.pk == request.recipient_id:
        raise Conflict("Decline the request instead.", code="decline_instead")
    if request.slot and request.status == Status.SCHEDULED and request.slot.starts_at <= timezone.now():
        raise Conflict("This meeting has already started.", code="meeting_started")
    release(request)
    request.status = Status.CANCELLED
    request.reply_note = _clean_note(note) or request.reply_note
    request.save()
    what = "meeting request" if request.slot is None else f"meeting at {venue_time(event, request.slot.starts_at)}"
    _tell(_others(request, mine), request, "meeting_cancelled", f"{_who(mine)} cancelled your {what}.", note)
    return request


@transaction.atomic
def withdraw(user: AccountUser) -> None:
    """Account deletion: open requests and meetings still ahead are called off (their
    partners are told, their slots freed, locked or not); the person's B2B profile, offers,
    availability and the notes they wrote are erased. Past meetings and their feedback
    stay, for the event's meeting statistics."""
    for participant in Participant.objects.filter(user=user).select_related("event__session__edition"):
        event = participant.event
        requests = MeetingRequest.objects.select_for_update(of=("self",)).filter(
            Q(requester=participant) | Q(recipient=participant)).select_related("slot")
        for request in requests:
            started = request.slot is not None and request.slot.starts_at <= timezone.now()
            if request.status in MeetingRequest.OPEN and not (request.status == Status.SCHEDULED and started):
                release(request)
                request.status = Status.CANCELLED
                what = "meeting request" if request.slot is None else (
                    f"meeting at {venue_time(event, request.slot.starts_at)}")
                _tell([request.partner_of(participant).user], request, "meeting_cancelled",
                      f"Your {what} is cancelled: the other participant deleted their account.")
            if request.requester_id == participant.pk:
                request.note = ""
            else:
                request.reply_note = ""
            request.save()
        participant.listings.all().delete()
        participant.unavailable.all().delete()
        participant.organisation, participant.cluster, participant.description = DELETED_ORGANISATION, "", ""
        participant.sector, participant.country = "", ""
        participant.save()


def _who(mine: Participant | None) -> str:
    return "The organisers" if mine is None else mine.name


def _others(request: MeetingRequest, mine: Participant | None) -> list:
    """Users to tell about a change: the other side, or both sides when an organiser made it."""
    return [p.user for p in (request.requester, request.recipient) if mine is None or p.pk != mine.pk]


@transaction.atomic
def reschedule(user: User, event: MatchmakingEvent, request_id: int, slot_id: int | None) -> MeetingRequest:
    """Move a meeting (or give an accepted request its slot). Participants while booking is open;
    organisers also afterwards, and locked meetings too."""
    request = _get_request(event, request_id)
    organiser, mine = _may_change(require_login(user), request)
    if not organiser:
        require_booking_open(event)
    if request.status not in (Status.ACCEPTED, Status.SCHEDULED):
        raise Conflict("Only accepted meetings can be moved.", code="not_accepted")
    slot = availability.check_bookable(event, slot_id)
    if slot.pk == request.slot_id and request.status == Status.SCHEDULED:
        return request
    claim_slot(request, slot, Status.SCHEDULED)
    _tell(_others(request, mine), request, "meeting_moved",
          f"{_who(mine)} moved your meeting to {venue_time(event, slot.starts_at)}.", page="matchmaking-agenda")
    return request


@transaction.atomic
def expire_pending(event_id: int) -> int:
    """At booking close, pending requests expire and let their held slots go. Idempotent: run
    by the organiser's "close booking", and by the Celery task when the deadline passes."""
    event = MatchmakingEvent.objects.select_for_update().select_related("session__edition").filter(
        pk=event_id).first()
    if event is None:
        return 0
    if event.phase == MatchmakingEvent.Phase.BOOKING_OPEN and not booking_is_open(event):
        event.phase = MatchmakingEvent.Phase.BOOKING_CLOSED  # the deadline passed
        event.save(update_fields=["phase"])
    if event.phase in (MatchmakingEvent.Phase.REGISTRATION, MatchmakingEvent.Phase.BOOKING_OPEN):
        return 0
    pending = list(event.requests.filter(status=Status.PENDING).select_related(
        "requester__user__profile", "recipient__user__profile"))
    MeetingSeat.objects.filter(request__in=pending).delete()
    MeetingRequest.objects.filter(pk__in=[r.pk for r in pending]).update(status=Status.EXPIRED,
                                                                          updated_at=timezone.now())
    for request in pending:
        request.event = event
        # Keyed: a task delivered twice must not tell anyone twice.
        _tell([request.requester.user, request.recipient.user], request, "request_expired",
              f"The meeting request between {request.requester.name} and {request.recipient.name} expired: "
              "booking is closed.", key=f"mm-expired-{request.pk}")
    return len(pending)


def record_feedback(user: User, event: MatchmakingEvent, request_id: int, happened: bool) -> MeetingFeedback:
    """After the meeting, each side says whether it took place (no-show statistics)."""
    participant = require_participant(user, event)
    request = _get_request(event, request_id, lock=False)
    if participant.pk not in (request.requester_id, request.recipient_id):
        raise Forbidden("This is not your meeting.", code="not_your_meeting")
    if request.status != Status.SCHEDULED or request.slot is None:
        raise Conflict("Only scheduled meetings get feedback.", code="not_scheduled")
    if request.slot.ends_at > timezone.now():
        raise Conflict("Tell us after the meeting whether it happened.", code="not_over")
    feedback, _ = MeetingFeedback.objects.update_or_create(
        request=request, participant=participant, defaults={"happened": bool(happened)})
    return feedback
