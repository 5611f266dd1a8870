"""Live captions of a session: lines written by a human captioner or a captioning service while
the session runs. Each line is kept with the moment it was written, so that the same lines become
the WebVTT track of the replay."""

from django.conf import settings
from django.db import models


class Caption(models.Model):
    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="captions")
    text = models.CharField(max_length=500)
    # Who wrote it (kept for the organisers; never shown to attendees).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]
