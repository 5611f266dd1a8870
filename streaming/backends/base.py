"""The MediaBackend adapter: one interface over the media servers' different hooks.

A backend turns a media server's hook request into a HookEvent (authorise publish, stream
ready, stream gone, recording done) and a HookEvent's outcome into the response that media
server expects. The hook views (streaming.views) check the shared secret, ask the backend to
parse, call the same services for every backend, and ask the backend for the response."""

import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

AUTHORISE = "authorise"
READY = "ready"
GONE = "gone"
RECORDING_DONE = "recording_done"
READ = "read"  # a viewer asks to play (MediaMTX serves HLS itself)


@dataclass
class HookEvent:
    kind: str  # AUTHORISE | READY | GONE | RECORDING_DONE | READ
    stream: str  # the endpoint's slug
    publisher_id: str = ""  # the media server's id of the connection
    key: str = ""
    addr: str = ""
    path: str = ""  # RECORDING_DONE: the file
    token: str = ""  # READ: the viewer's signed playback token
    then_ready: bool = False  # AUTHORISE: the server publishes at once on success (no separate ready hook)
    extra: dict = field(default_factory=dict)


class HookError(Exception):
    """A hook request that cannot be understood (400)."""


def secret_matches(given: str) -> bool:
    expected = settings.STREAMING_HOOK_SECRET
    return bool(expected) and bool(given) and secrets.compare_digest(given.encode(), expected.encode())


def request_secret(request: HttpRequest) -> str:
    """The shared secret of a hook request: the X-Hook-Secret header, a Bearer token, or (for
    servers that cannot send headers, like nginx-rtmp) the `secret` query parameter."""
    header = request.headers.get("X-Hook-Secret", "")
    if header:
        return header
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth.removeprefix("Bearer ")
    return request.GET.get("secret", "")


class MediaBackend:
    name = "base"

    def parse(self, hook: str, request: HttpRequest) -> HookEvent:
        raise NotImplementedError

    def allow(self, event: HookEvent) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    def reject(self, event: HookEvent, reason: str) -> HttpResponse:
        return HttpResponse(reason, status=403, content_type="text/plain")

    def ingest_server(self) -> str:
        """What OBS calls the "Server" (the stream key goes into the key field)."""
        return settings.STREAMING_INGEST_URL

    def ingest_key(self, slug: str, key: str) -> str:
        """What OBS calls the "Stream key": the stream name with the key as a query parameter."""
        return f"{slug}?key={key}"

    def publish_url(self, slug: str, key: str) -> str:
        """One URL for ffmpeg: server plus key."""
        return f"{self.ingest_server().rstrip('/')}/{self.ingest_key(slug, key)}"

    def drop_publisher(self, slug: str) -> None:
        """Cut off whoever is publishing to this stream (after a key rotation). Best effort."""
