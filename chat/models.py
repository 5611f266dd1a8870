"""Chat, Q&A and polls of live rooms. Thin models: rules live in the services."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RoomSettings(models.Model):
    """Per-room switches moderators control."""

    room = models.OneToOneField("rooms.Room", on_delete=models.CASCADE, related_name="chat_settings")
    slow_mode_seconds = models.PositiveIntegerField(default=0, help_text="Minimum seconds between two messages")
    qa_premoderation = models.BooleanField(default=True, help_text="Questions wait for a moderator's approval")
    qa_allow_anonymous = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Settings of {self.room}"


class Message(models.Model):
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    text = models.TextField()  # as typed; escaped when rendered
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["room", "-id"])]

    def __str__(self) -> str:
        return self.text[:60]


class Mute(models.Model):
    """A user muted in one room, or in every room of an edition (room empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes")
    edition = models.ForeignKey("programme.Edition", on_delete=models.CASCADE, related_name="mutes")
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, null=True, blank=True, related_name="mutes")
    until = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted")
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} muted in {self.room or self.edition}"


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        VISIBLE = "visible", "Visible"
        DISMISSED = "dismissed", "Dismissed"
        ANSWERED = "answered", "Answered (archived)"

    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions")
    anonymous = models.BooleanField(default=False)
    text = models.TextField()
    original_text = models.TextField(blank=True, help_text="As asked, when a moderator edited it")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    highlighted = models.BooleanField(default=False)
    labels = models.JSONField(default=list, blank=True)
    votes = models.PositiveIntegerField(default=0)  # kept equal to the QuestionVote rows by the services
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One highlighted question per room at a time, enforced by the database.
            models.UniqueConstraint(fields=["room"], condition=Q(highlighted=True), name="one_highlight_per_room"),
        ]
        indexes = [models.Index(fields=["room", "status", "-votes"])]

    def __str__(self) -> str:
        return self.text[:60]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_question")]

    def __str__(self) -> str:
        return f"Vote of {self.user_id} for question {self.question_id}"


class Poll(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Results(models.TextChoices):
        LIVE = "live", "Shown live"
        HIDDEN = "hidden", "Hidden until closed"
        MODERATORS = "moderators", "Only moderators see them"

    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=300)
    multiple = models.BooleanField(default=False, help_text="Several options may be chosen")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    results = models.CharField(max_length=10, choices=Results.choices, default=Results.LIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position_unique")]

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    """One row per chosen option; a single-choice poll has at most one row per person."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user", "option"], name="one_vote_per_option")]

    def __str__(self) -> str:
        return f"Vote of {self.user_id} for option {self.option_id} of poll {self.poll_id}"
