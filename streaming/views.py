"""Media-server hooks, the speakers' backstage page, and signed playback of HLS and replays."""

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from conference.errors import ServiceError
from rooms import services as room_services
from rooms.views import page_access, page_context, role_required

from . import backends, services
from .backends.base import AUTHORISE, GONE, READ, READY, RECORDING_DONE, HookError, request_secret, secret_matches
from .models import StreamEndpoint

log = logging.getLogger(__name__)


# --- hooks --------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def hook(request: HttpRequest, backend: str, event: str) -> HttpResponse:
    """One view for every media server's hooks: secret, parse (adapter), services, response."""
    backend = backend.replace("-", "_")  # URLs say nginx-rtmp
    if backend not in backends.BACKENDS:
        raise Http404
    media = backends.get(backend)
    if not secret_matches(request_secret(request)):
        log.warning("%s hook %s from %s refused: wrong or missing secret", backend, event,
                    request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden("bad secret", content_type="text/plain")
    try:
        parsed = media.parse(event, request)
    except HookError as exc:
        log.warning("%s hook %s refused: %s", backend, event, exc)
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    try:
        if parsed.kind == AUTHORISE:
            services.authorise_publish(parsed.stream, parsed.key, parsed.publisher_id, parsed.addr)
            if parsed.then_ready:
                services.stream_ready(parsed.stream, parsed.publisher_id)
        elif parsed.kind == READY:
            services.stream_ready(parsed.stream, parsed.publisher_id)
        elif parsed.kind == GONE:
            services.stream_gone(parsed.stream, parsed.publisher_id)
        elif parsed.kind == RECORDING_DONE:
            services.recording_done(parsed.stream, parsed.publisher_id, parsed.path)
        elif parsed.kind == READ:
            _authorise_read(parsed.stream, parsed.token)
    except services.PublishRejected as exc:
        return media.reject(parsed, exc.reason)
    except ServiceError as exc:
        log.warning("%s hook %s for %r refused: %s", backend, event, parsed.stream, exc.message)
        return media.reject(parsed, exc.code)
    return media.allow(parsed)


def _authorise_read(stream: str, token: str) -> None:
    data = services.check_playback_token(token)
    endpoint = StreamEndpoint.objects.filter(slug=stream).select_related("session__room").first()
    if endpoint is None or getattr(endpoint.session, "room", None) is None or endpoint.session.room.pk != data["r"]:
        raise services.PublishRejected("bad_token")


# --- playback -----------------------------------------------------------------------------


def _viewer_room(request: HttpRequest, token: str) -> tuple[StreamEndpoint, bool]:
    """The stage a valid token is for, if the person holding it (still) may be in the room, and
    whether it may show the stream before it is live (a speaker's or moderator's preview)."""
    data = services.check_playback_token(token)
    if data.get("u") != (request.user.pk if request.user.is_authenticated else None):
        raise services.PublishRejected("bad_token")
    membership, room = room_services.membership_for(request.user, data["r"])
    if room.session is None:
        raise Http404
    preview = bool(data.get("p")) and (membership.is_moderator or membership.is_speaker)
    return services.endpoint_for(room.session), preview


def _serve(base: Path, relative: str, internal: str) -> HttpResponse | FileResponse:
    """The file, or with STREAMING_ACCEL_REDIRECT set, an X-Accel-Redirect to nginx's internal
    location `<prefix>/<internal>` (nginx then sends the file: see docs/streaming.md)."""
    base = base.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise Http404
    content_type = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}.get(
        path.suffix, mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    if settings.STREAMING_ACCEL_REDIRECT:
        response: HttpResponse | FileResponse = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{settings.STREAMING_ACCEL_REDIRECT.rstrip('/')}/{internal}"
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "no-cache" if path.suffix == ".m3u8" else "private, max-age=60"
    return response


@never_cache
def play(request: HttpRequest, token: str, kind: str, path: str) -> HttpResponse | FileResponse:
    """Live HLS (playlist and segments) and replays, for holders of a valid signed token who
    may be in the room. In production nginx serves the files itself (auth_request to this
    view, or X-Accel-Redirect): see docs/streaming.md."""
    try:
        endpoint, preview = _viewer_room(request, token)
    except (ServiceError, services.PublishRejected):
        return HttpResponseForbidden("This playback link is invalid or has expired: reload the room.")
    if kind == "hls":
        on_air = [StreamEndpoint.State.LIVE, StreamEndpoint.State.INTERRUPTED]
        if endpoint.state not in on_air + ([StreamEndpoint.State.BACKSTAGE] if preview else []):
            return HttpResponse("Not live", status=404, content_type="text/plain")
        return _serve(Path(settings.STREAMING_HLS_DIR) / endpoint.slug, path, f"hls/{endpoint.slug}/{path}")
    if kind == "replay":
        ready = endpoint.recordings.filter(status="ready", replay_file=path).exists()
        if not ready or not endpoint.replay_enabled or endpoint.state != StreamEndpoint.State.REPLAY_AVAILABLE:
            raise Http404
        return _serve(Path(settings.STREAMING_REPLAY_DIR), path, f"replay/{path}")
    raise Http404


# --- backstage ----------------------------------------------------------------------------


def backstage_page(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if not access.may_see_speaker_view or access.room.session is None:
        return role_required(request, access, "speakers and moderators", "backstage")
    endpoint = services.endpoint_for(access.room.session)
    media = backends.get()
    context = page_context(request, access, "backstage")
    context.update(
        endpoint=endpoint,
        ingest_server=media.ingest_server(),
        ingest_key=media.ingest_key(endpoint.slug, endpoint.stream_key),
        publish_url=media.publish_url(endpoint.slug, endpoint.stream_key),
        backstage_url=reverse("room-backstage", args=[room]),
    )
    context["early_minutes"] = settings.STREAMING_PUBLISH_EARLY_MINUTES
    context["config"]["previewUrl"] = services.playback_base(room, request.user.pk, preview=True) + "hls/index.m3u8"
    return render(request, "streaming/backstage.html", context)


@require_POST
def rotate_key(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if not access.may_see_speaker_view or access.room.session is None:
        return role_required(request, access, "speakers and moderators", "backstage")
    services.rotate_key(request.user, access.room.session)
    return redirect(reverse("room-backstage", args=[room]) + "?rotated=1")


@require_POST
def replay_setting(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if not access.may_see_speaker_view or access.room.session is None:
        return role_required(request, access, "speakers and moderators", "backstage")
    services.set_replay(request.user, access.room.session, request.POST.get("replay") == "on")
    return redirect("room-backstage", room=room)
