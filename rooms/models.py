"""Live rooms: one per session with an online part, plus standing rooms (lobby, stage)."""

from django.db import models


class Room(models.Model):
    class Kind(models.TextChoices):
        SESSION = "session", "Session room"
        LOBBY = "lobby", "Lobby"
        STAGE = "stage", "Standing stage"

    class State(models.TextChoices):
        CLOSED = "closed", "Closed"
        OPEN = "open", "Open"
        PAUSED = "paused", "Paused"

    edition = models.ForeignKey("programme.Edition", on_delete=models.CASCADE, related_name="rooms")
    session = models.OneToOneField(
        "programme.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="room"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SESSION)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120)
    # Rooms start open; moderators close or pause them when needed.
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="room_slug_unique_in_edition"),
            models.CheckConstraint(
                condition=models.Q(kind="session", session__isnull=False)
                | (~models.Q(kind="session") & models.Q(session__isnull=True)),
                name="room_session_iff_session_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Announcement(models.Model):
    """A message from moderators to one room, or from organisers to every room of an edition."""

    edition = models.ForeignKey("programme.Edition", on_delete=models.CASCADE, related_name="room_announcements")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, null=True, blank=True, related_name="announcements")
    author = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:60]
