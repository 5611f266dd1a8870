"""Series → Edition → Session, and per-edition roles. Logic lives in programme.services."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from people.timezones import validate_time_zone


class Series(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    class Format(models.TextChoices):
        VIRTUAL = "virtual", "Fully virtual"
        PHYSICAL = "physical", "Physical"
        HYBRID = "hybrid", "Physical plus online"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (organisers only)"
        PUBLISHED = "published", "Published, registration closed"
        REGISTRATION_OPEN = "open", "Registration open"
        ARCHIVED = "archived", "Archived"

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    hosts = models.TextField(blank=True, help_text="Organised by / under the auspices of")
    format = models.CharField(max_length=10, choices=Format.choices)
    time_zone = models.CharField(max_length=64, default="Europe/Brussels", validators=[validate_time_zone])
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="edition_number_unique_in_series"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="edition_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title
    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def registration_open(self) -> bool:
        return self.status == self.Status.REGISTRATION_OPEN

    @property
    def has_venue(self) -> bool:
        return self.format != self.Format.VIRTUAL


class Track(models.Model):
    """A theme of an edition's programme, with the colour that marks its sessions (a stripe and
    a swatch next to the track's name: the name is always written, colour is never the only cue)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(max_length=100)
    colour = models.CharField(
        _("colour"), max_length=7, default="#0b5cad",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour is written #rrggbb, e.g. #0b5cad."))],
        help_text=_("#rrggbb"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="track_name_unique_in_edition"),
            models.UniqueConstraint(fields=["edition", "slug"], name="track_slug_unique_in_edition"),
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "Plenary"
        PANEL = "panel", "Panel"
        WORKSHOP = "workshop", "Workshop"
        SIDE_EVENT = "side_event", "Side event"
        MATCHMAKING = "matchmaking", "Matchmaking"

    class AttendanceFormat(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"

    class Access(models.TextChoices):
        OPEN = "open", "Open to everyone"
        REGISTERED = "registered", "Registered participants"
        INVITED = "invited", "By invitation"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sessions")
    # Stable identifier for calendar UIDs and frab GUIDs: never changes when the session moves.
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=250)
    abstract = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PLENARY)
    track = models.ForeignKey(Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    language = models.CharField(max_length=8, default="en")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    attendance_format = models.CharField(
        max_length=10, choices=AttendanceFormat.choices, default=AttendanceFormat.HYBRID
    )
    location = models.CharField(max_length=200, blank=True, help_text="Physical room or hall at the venue")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats for enrolment; empty means no enrolment limit"
    )
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.REGISTERED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    speakers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="speaking_sessions")
    moderators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="moderated_sessions")
    invitees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="invited_sessions")
    updated_at = models.DateTimeField(auto_now=True)
    # Revision of the session as calendars see it (iCalendar SEQUENCE): +1 on every change of what
    # a calendar shows, so subscribed calendars replace their copy. A small counter, never a time.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="session_slug_unique_in_edition"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["edition", "starts_at"])]

    def __str__(self) -> str:
        return self.title
    @property
    def takes_enrolment(self) -> bool:
        """Side events and any session with a capacity are booked individually."""
        return self.kind == self.Kind.SIDE_EVENT or self.capacity is not None

    @property
    def has_online_part(self) -> bool:
        return self.attendance_format != self.AttendanceFormat.IN_PERSON

    @property
    def has_physical_part(self) -> bool:
        return self.attendance_format != self.AttendanceFormat.ONLINE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class EditionRole(models.Model):
    """An explicit role in an edition. Speakers and session moderators are also
    derived from Session.speakers / Session.moderators; attendees from registrations."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", "Organiser"
        MODERATOR = "moderator", "Moderator (whole edition)"
        SPEAKER = "speaker", "Speaker"
        CAPTIONER = "captioner", "Captioner (live captions of every session)"
        ATTENDEE = "attendee", "Attendee"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="edition_roles")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "user", "role"], name="edition_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.edition}"


def material_path(material: "Material", filename: str) -> str:
    # A random folder per upload: names chosen by uploaders never collide or overwrite.
    return f"materials/{material.session.edition.slug}/{uuid.uuid4().hex}/{filename}"


class Material(models.Model):
    """Slides, a paper or a link of a session, shown on its page and next to its replay."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        PAPER = "paper", _("Paper")
        LINK = "link", _("Link")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SLIDES)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=material_path, max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text=_("Bytes, for files"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")), name="material_file_or_link"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        """PDF, PPTX…: shown next to the link, so people know what they download."""
        return self.file.name.rsplit(".", 1)[-1].upper() if self.file and "." in self.file.name else ""

