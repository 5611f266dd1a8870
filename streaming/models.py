"""Stream endpoints of sessions (ingest key, external source, stage state) and recordings."""

import secrets

from django.db import models


def new_stream_key() -> str:
    return secrets.token_urlsafe(24)


def new_stream_slug() -> str:
    return "s" + secrets.token_hex(6)


class StreamEndpoint(models.Model):
    """The stage of one session: where its speakers publish to and what attendees see."""

    class Source(models.TextChoices):
        INGEST = "ingest", "Our media server (RTMP/SRT from OBS or ffmpeg)"
        HLS = "hls", "External HLS URL"
        YOUTUBE = "youtube", "YouTube embed"
        VIMEO = "vimeo", "Vimeo embed"
        CALL = "call", "Video-call link (Jitsi, BigBlueButton…)"

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        BACKSTAGE = "backstage", "Backstage"
        LIVE = "live", "Live"
        INTERRUPTED = "interrupted", "Interrupted"
        ENDED = "ended", "Ended"
        REPLAY_AVAILABLE = "replay_available", "Replay available"

    session = models.OneToOneField("programme.Session", on_delete=models.CASCADE, related_name="stream")
    # Name of the stream on the media server (live/<slug>): random, never derived from the title.
    slug = models.SlugField(max_length=40, unique=True, default=new_stream_slug)
    # Shown to the session's speakers and moderators on the backstage page, hence stored as is;
    # compared in constant time. Rotating it cuts off a publisher using the old one.
    stream_key = models.CharField(max_length=64, default=new_stream_key)
    key_rotated_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.INGEST)
    external_url = models.URLField(blank=True, help_text="For an external source: the HLS, video or call URL")
    auto_live = models.BooleanField(default=False, help_text="Go live by itself at the start time when the "
                                                             "speaker is publishing")
    replay_enabled = models.BooleanField(default=True, help_text="Offer the recording after the session "
                                                                 "(speakers may opt out)")
    state = models.CharField(max_length=20, choices=State.choices, default=State.SCHEDULED)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # The media server's id of the connection currently publishing (empty: nobody): a late
    # "done" of an older connection does not end a newer one.
    publisher_id = models.CharField(max_length=64, blank=True)
    publisher_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Stream of {self.session}"


class Recording(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(StreamEndpoint, on_delete=models.CASCADE, related_name="recordings")
    publisher_id = models.CharField(max_length=64, blank=True)
    source_path = models.CharField(max_length=500, unique=True)
    replay_file = models.CharField(max_length=200, blank=True, help_text="MP4 in the replay directory")
    duration = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.source_path
