"""B2B matchmaking: an event attached to a matchmaking session, its time slots, participants
with their marketplace listings, and one-to-one meeting requests. Logic lives in services.

No double booking is enforced by the database, not only by code:
- `MeetingSeat` has one row per participant per slot that a request holds or occupies, unique
  on (participant, slot). A unique constraint on MeetingRequest alone could not do this: the same
  person appears as requester in one row and as recipient in another.
- `MeetingRequest` is unique on (slot, table) while it holds the slot, so a table never hosts two
  meetings at once, and unique per unordered pair of participants while it is open.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django_countries.fields import CountryField

from attendance.models import AttendanceMode

DEFAULT_VIDEO_LINK = "https://meet.jit.si/{event}-{meeting}"


class MatchmakingEvent(models.Model):
    class Phase(models.TextChoices):
        REGISTRATION = "registration", "Registration (profiles only)"
        BOOKING_OPEN = "booking_open", "Booking open"
        BOOKING_CLOSED = "booking_closed", "Booking closed"
        FINAL = "final", "Agendas final"

    class SlotChoice(models.TextChoices):
        PARTICIPANTS = "participants", "Participants pick the slot"
        EARLIEST = "earliest", "The earliest slot both have free"

    session = models.OneToOneField(
        "programme.Session", on_delete=models.CASCADE, related_name="matchmaking",
        limit_choices_to={"kind": "matchmaking"},
    )
    meeting_minutes = models.PositiveSmallIntegerField(default=30, help_text="Length of one meeting slot")
    tables = models.PositiveSmallIntegerField(default=20, help_text="Tables in the room for in-person meetings")
    video_link_template = models.CharField(
        max_length=300, default=DEFAULT_VIDEO_LINK,
        help_text="Video call of an online or mixed meeting; {event} and {meeting} are filled in",
    )
    slot_choice = models.CharField(max_length=12, choices=SlotChoice.choices, default=SlotChoice.PARTICIPANTS)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.REGISTRATION)
    booking_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Booking closes by itself at this time; pending requests then expire"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5, meeting_minutes__lte=240), name="meeting_length_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"Matchmaking: {self.session}"


class Slot(models.Model):
    """An organiser-defined time in which meetings take place, or a break between them."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meetings"
        BREAK = "break", "Break"

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MEETING)
    label = models.CharField(max_length=100, blank=True, help_text="e.g. Coffee break")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_start_unique_in_event"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.get_kind_display()})"

    @property
    def is_break(self) -> bool:
        return self.kind == self.Kind.BREAK


class Sector(models.TextChoices):
    """The EU's industrial ecosystems, which clusters commonly use to describe themselves."""

    AEROSPACE = "aerospace", "Aerospace and defence"
    AGRI_FOOD = "agri_food", "Agri-food"
    CONSTRUCTION = "construction", "Construction"
    CREATIVE = "creative", "Cultural and creative industries"
    DIGITAL = "digital", "Digital"
    ELECTRONICS = "electronics", "Electronics"
    ENERGY_INTENSIVE = "energy_intensive", "Energy-intensive industries"
    RENEWABLES = "renewables", "Renewable energy"
    HEALTH = "health", "Health"
    MOBILITY = "mobility", "Mobility, transport, automotive"
    SOCIAL_ECONOMY = "social_economy", "Proximity and social economy"
    RETAIL = "retail", "Retail"
    TEXTILE = "textile", "Textile"
    TOURISM = "tourism", "Tourism"


class Participant(models.Model):
    """A person taking part in one matchmaking event, with the profile others search."""

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matchmaking_participations"
    )
    mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    organisation = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    country = CountryField(blank=True)
    cluster = models.CharField("cluster or network", max_length=200, blank=True)
    description = models.TextField(blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_participation_per_event")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.user})"

    @property
    def name(self) -> str:
        profile = getattr(self.user, "profile", None)
        return profile.name if profile else self.user.get_username()


class Listing(models.Model):
    """An offer or a request in the marketplace, e.g. "we offer: testing facilities"."""

    class Direction(models.TextChoices):
        OFFER = "offer", "Offer"
        REQUEST = "request", "Request"

    class Category(models.TextChoices):
        PRODUCT = "product", "Product or service"
        PARTNERSHIP = "partnership", "Partnership"
        EXPERTISE = "expertise", "Expertise"
        INVESTMENT = "investment", "Investment"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="listings")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    category = models.CharField(max_length=12, choices=Category.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated, e.g. hydrogen, batteries")

    class Meta:
        ordering = ["direction", "id"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.title}"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class Unavailability(models.Model):
    """A slot in which a participant cannot meet anyone (everyone is available by default)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="unavailable")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="unavailable")

    class Meta:
        verbose_name_plural = "unavailabilities"
        constraints = [models.UniqueConstraint(fields=["participant", "slot"], name="unavailable_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.participant} away at {self.slot}"


class MeetingRequest(models.Model):
    """A request for a one-to-one meeting, and the meeting it becomes.

    pending (may hold a proposed slot) → accepted (waits for a slot) → scheduled;
    or declined, cancelled, expired (at booking close). In-person pairs get a table,
    online and mixed pairs a video link."""

    class Status(models.TextChoices):
        PENDING = "pending", "Requested"
        ACCEPTED = "accepted", "Accepted, waiting for a slot"
        SCHEDULED = "scheduled", "Scheduled"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    OPEN = (Status.PENDING, Status.ACCEPTED, Status.SCHEDULED)
    HOLDING = (Status.PENDING, Status.SCHEDULED)

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="requests")
    # Stable identifier: calendar UID and video room name do not change when the meeting moves.
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_sent")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_received")
    note = models.TextField(blank=True)
    reply_note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # RESTRICT: a slot cannot go while a request refers to it, unless the whole event goes.
    slot = models.ForeignKey(Slot, on_delete=models.RESTRICT, null=True, blank=True, related_name="requests")
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    video_link = models.URLField(max_length=400, blank=True)
    locked = models.BooleanField(default=False, help_text="Locked meetings are moved only by organisers")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="no_meeting_with_oneself"),
            models.UniqueConstraint(
                Least("requester", "recipient"), Greatest("requester", "recipient"),
                condition=Q(status__in=["pending", "accepted", "scheduled"]), name="one_open_request_per_pair",
            ),
            models.UniqueConstraint(
                fields=["slot", "table"], condition=Q(table__isnull=False, status__in=["pending", "scheduled"]),
                name="table_one_meeting_per_slot",
            ),
            models.CheckConstraint(condition=~Q(status="scheduled") | Q(slot__isnull=False),
                                   name="scheduled_meeting_has_slot"),
            models.CheckConstraint(condition=Q(table__isnull=True) | Q(slot__isnull=False, table__gte=1),
                                   name="table_needs_slot"),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient} ({self.get_status_display()})"

    @property
    def in_person(self) -> bool:
        return self.requester.mode == AttendanceMode.IN_PERSON and self.recipient.mode == AttendanceMode.IN_PERSON

    def partner_of(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.requester_id else self.requester


class MeetingSeat(models.Model):
    """One participant's place in a slot, held by a pending request or taken by a meeting.
    Rows are deleted when the request lets the slot go."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="participant_one_meeting_per_slot"),
            models.UniqueConstraint(fields=["request", "participant"], name="one_seat_per_request_and_person"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} at {self.slot}"


class MeetingFeedback(models.Model):
    """After the meeting: did it happen? Gives the no-show statistics."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="feedback")
    happened = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "participant"], name="one_feedback_per_person")]

    def __str__(self) -> str:
        return f"{self.participant}: {'happened' if self.happened else 'did not happen'}"
