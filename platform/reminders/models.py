"""Reminders as rows, per-person and per-edition reminder rules, in-app notifications and
organiser announcements. Logic lives in reminders.services and the modules it uses."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Reminder(models.Model):
    """One message to one person about one session by one channel: a reminder before the
    session, or a notice that it moved or was cancelled. The dispatcher sends rows that
    are due; the row, not a broker message, is the source of truth (see docs/reminders.md)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        TIME_CHANGED = "time_changed", "Time changed"
        CANCELLED = "cancelled", "Session cancelled"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        IN_APP = "in_app", "In-app"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # waiting for its due time (or for a retry)
        QUEUED = "queued", "Queued"  # claimed by a dispatcher, send task queued
        SENDING = "sending", "Sending"  # a worker is sending it
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # permanent failure, or out of attempts
        SKIPPED = "skipped", "Skipped"  # no longer useful: session started, moved past it, …
        CANCELLED = "cancelled", "Cancelled"  # the session was cancelled

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REMINDER)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    minutes_before = models.PositiveIntegerField(null=True, blank=True, help_text="Reminders only")
    previous_starts_at = models.DateTimeField(null=True, blank=True, help_text="Time-changed notices only")
    due_at = models.DateTimeField()
    # When the dispatcher may pick the row up: the due time, or later after a transient failure.
    next_attempt_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Changes whenever the row is (re)scheduled; the email's Message-ID and the in-app
    # notification derive from it, so a resend after a crash is recognisable as a duplicate.
    idempotency_key = models.CharField(max_length=64, unique=True)
    # Which dispatcher run claimed the row, and until when a claim or send may take before
    # the dispatcher assumes the worker died and hands the row out again.
    claimed_by = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session", "channel", "minutes_before"],
                condition=Q(kind="reminder"),
                name="one_reminder_per_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "locked_until"]),
            models.Index(fields=["session", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} about {self.session} ({self.get_channel_display()})"


class ReminderPreference(models.Model):
    """A person's own choice. `rules` empty (null) means: the edition's defaults."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reminder_preference")
    enabled = models.BooleanField(default=True, help_text="Off: no reminders at all")
    emails = models.BooleanField(default=True, help_text="Off after a one-click unsubscribe")
    rules = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminder preferences of {self.user}"


class EditionReminderSettings(models.Model):
    """An edition's default reminder rules, set by its organisers."""

    edition = models.OneToOneField("programme.Edition", on_delete=models.CASCADE, related_name="reminder_settings")
    rules = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "edition reminder defaults"
        verbose_name_plural = "edition reminder defaults"

    def __str__(self) -> str:
        return f"Reminder defaults of {self.edition}"


class Notification(models.Model):
    """An in-app notification. Any app creates them through reminders.services.notify."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by senders that may run twice (a redelivered task): one notification per key.
    key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    # The session it is about (reminders): the list offers "Join now" while that session is live.
    session = models.ForeignKey("programme.Session", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.title} → {self.user}"


class Announcement(models.Model):
    """An organiser's message to an edition's registrants, sent by a background job."""

    class Audience(models.TextChoices):
        ALL = "all", "All registrants"
        IN_PERSON = "in_person", "Registrants attending in person"
        ONLINE = "online", "Registrants attending online"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Sending"
        DONE = "done", "Done"

    edition = models.ForeignKey("programme.Edition", on_delete=models.CASCADE, related_name="announcements")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ALL)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class AnnouncementRecipient(models.Model):
    """Progress of one announcement for one person: the job resumes where it stopped."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="one_delivery_per_person")]
        indexes = [models.Index(fields=["announcement", "status"])]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.user}"
