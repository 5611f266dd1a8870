"""Registrations for editions, enrolments in capacity-limited sessions, agenda bookmarks."""

from django.conf import settings
from django.db import models


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    edition = models.ForeignKey("programme.Edition", on_delete=models.CASCADE, related_name="registrations")
    mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "edition"], name="one_registration_per_edition")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.edition} ({self.get_mode_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.CONFIRMED


class Enrolment(models.Model):
    """A place in a capacity-limited session (side event). When full, people
    queue on the waiting list in order of `requested_at`."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="enrolments")
    mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "session"], name="one_enrolment_per_session")]
        indexes = [models.Index(fields=["session", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.session} ({self.get_status_display()})"


class Bookmark(models.Model):
    """A session in a person's personal agenda."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "session"], name="one_bookmark_per_session")]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.session}"



