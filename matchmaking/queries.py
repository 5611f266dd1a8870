"""What the matchmaking pages show: the marketplace, requests, personal agendas and the
organisers' dashboard. Reads only; permission checks as in the services."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from attendance.models import AttendanceMode
from conference.errors import NotFound
from programme.permissions import User

from . import availability
from .access import require_organiser, require_participant, require_profile_access
from .models import Listing, MatchmakingEvent, MeetingFeedback, MeetingRequest, Participant, Slot

Status = MeetingRequest.Status


@dataclass(frozen=True)
class Filters:
    q: str = ""
    sector: str = ""
    country: str = ""
    category: str = ""  # product, partnership, expertise, investment
    direction: str = ""  # offer or request
    mode: str = ""  # in_person or online

    @classmethod
    def from_query(cls, params) -> "Filters":
        return cls(**{name: params.get(name, "").strip() for name in cls.__dataclass_fields__})


def _with_profiles(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    return participants.select_related("user__profile").prefetch_related(
        Prefetch("listings", queryset=Listing.objects.order_by("direction", "id")))


def marketplace(user: User, event: MatchmakingEvent, filters: Filters) -> QuerySet[Participant]:
    """Participants matching the filters; free text searches organisations, names, descriptions
    and the titles, descriptions and tags of offers and requests."""
    require_profile_access(user, event)
    found = event.participants.exclude(user=user) if user.is_authenticated else event.participants.all()
    if filters.q:
        for word in filters.q.split():
            found = found.filter(
                Q(organisation__icontains=word) | Q(user__profile__name__icontains=word)
                | Q(description__icontains=word) | Q(cluster__icontains=word)
                | Q(listings__title__icontains=word) | Q(listings__description__icontains=word)
                | Q(listings__tags__icontains=word)
            )
    if filters.sector:
        found = found.filter(sector=filters.sector)
    if filters.country:
        found = found.filter(country=filters.country.upper())
    if filters.mode:
        found = found.filter(mode=filters.mode)
    if filters.category or filters.direction:
        listing = Q()
        if filters.category:
            listing &= Q(listings__category=filters.category)
        if filters.direction:
            listing &= Q(listings__direction=filters.direction)
        found = found.filter(listing)
    return _with_profiles(found.distinct())


def profile(user: User, event: MatchmakingEvent, participant_id: int) -> Participant:
    require_profile_access(user, event)
    found = _with_profiles(event.participants.filter(pk=participant_id)).first()
    if found is None:
        raise NotFound("No such participant in this matchmaking event.")
    return found


def open_requests_with(me: Participant) -> dict[int, MeetingRequest]:
    """My open requests by the other participant's id (to show "requested" in the marketplace)."""
    mine = MeetingRequest.objects.filter(Q(requester=me) | Q(recipient=me), status__in=MeetingRequest.OPEN)
    return {r.recipient_id if r.requester_id == me.pk else r.requester_id: r for r in mine}


def requests_of(me: Participant) -> dict[str, list[MeetingRequest]]:
    requests = MeetingRequest.objects.select_related(
        "requester__user__profile", "recipient__user__profile", "slot").order_by("-created_at")
    return {
        "incoming": list(requests.filter(recipient=me)),
        "outgoing": list(requests.filter(requester=me)),
    }


def free_slots_for(event: MatchmakingEvent, me: Participant, other: Participant) -> list[Slot]:
    in_person = me.mode == AttendanceMode.IN_PERSON and other.mode == AttendanceMode.IN_PERSON
    return availability.common_free_slots(event, me, other, in_person=in_person)


@dataclass
class AgendaItem:
    request: MeetingRequest
    partner: Participant
    slot: Slot
    held: bool  # a pending request holding the slot, not a meeting yet
    over: bool
    my_feedback: bool | None
    free_slots: list[Slot] = field(default_factory=list)  # where it could move (filled by the agenda page)


def agenda(user: User, event: MatchmakingEvent) -> tuple[Participant, list[AgendaItem]]:
    """The participant's meetings (and slots held by pending requests) in time order."""
    me = require_participant(user, event)
    requests = MeetingRequest.objects.filter(
        Q(requester=me) | Q(recipient=me), status__in=MeetingRequest.HOLDING, seats__participant=me,
    ).select_related("requester__user__profile", "recipient__user__profile", "slot").order_by("slot__starts_at")
    feedback = dict(MeetingFeedback.objects.filter(participant=me).values_list("request_id", "happened"))
    now = timezone.now()
    items = []
    for request in requests:
        assert request.slot is not None  # holding requests have their seats' slot
        items.append(AgendaItem(
            request=request, partner=request.partner_of(me), slot=request.slot,
            held=request.status == Status.PENDING, over=request.slot.ends_at <= now,
            my_feedback=feedback.get(request.pk),
        ))
    return me, items


@dataclass
class CountRow:
    label: str
    on_site: int = 0
    online: int = 0

    @property
    def total(self) -> int:
        return self.on_site + self.online


@dataclass
class Dashboard:
    participants: CountRow
    requests: list[CountRow]
    slots: int
    tables: int
    waiting_for_slot: int
    locked: int
    feedback: dict[str, int] = field(default_factory=dict)


def dashboard(user: User, event: MatchmakingEvent) -> Dashboard:
    """Counts for the organisers: on site means both participants meet at a table in the room;
    online covers online and mixed pairs (video call)."""
    require_organiser(user, event)
    people = CountRow("Participants")
    for mode in event.participants.values_list("mode", flat=True):
        if mode == AttendanceMode.IN_PERSON:
            people.on_site += 1
        else:
            people.online += 1
    rows = {"all": CountRow("Requested (all)")}
    rows.update({status: CountRow(label) for status, label in Status.choices})
    rows[Status.PENDING].label = "Waiting for an answer"
    locked = 0
    for status, a, b, is_locked in event.requests.values_list("status", "requester__mode", "recipient__mode",
                                                              "locked"):
        on_site = a == b == AttendanceMode.IN_PERSON
        for key in ("all", status):
            if on_site:
                rows[key].on_site += 1
            else:
                rows[key].online += 1
        locked += int(is_locked and status == Status.SCHEDULED)
    return Dashboard(
        participants=people, requests=list(rows.values()),
        slots=len(availability.bookable_slots(event)), tables=event.tables,
        waiting_for_slot=rows[Status.ACCEPTED].total, locked=locked, feedback=no_shows(event),
    )


def no_shows(event: MatchmakingEvent) -> dict[str, int]:
    """A meeting happened when everyone who answered says so; one "no" makes it a no-show."""
    answers: dict[int, list[bool]] = {}
    for request_id, happened in MeetingFeedback.objects.filter(request__event=event).values_list(
            "request_id", "happened"):
        answers.setdefault(request_id, []).append(happened)
    took_place = sum(all(a) for a in answers.values())
    return {"answered": len(answers), "happened": took_place, "no_show": len(answers) - took_place}
