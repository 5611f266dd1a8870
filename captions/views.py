"""The captioner page, and the captions as WebVTT tracks (the replay's, and the whole session's)."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from rooms.views import check_access, page_access, role_required
from streaming.models import Recording

from . import services, webvtt


def captioner_page(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    session = access.room.session
    if session is None or not session.has_online_part:
        raise Http404
    if not services.may_caption(request.user, session):
        return role_required(request, access, "captioners and moderators", "captioner page")
    return render(request, "captions/captioner.html", {
        "room": access.room, "session": session, "edition": access.room.edition,
        "recent": services.since(session)[-20:], "max_text": services.MAX_TEXT,
        "api_url": reverse("api:post_caption", args=[session.pk]),
        "room_url": reverse("room", args=[access.room.pk]),
        "rate_lines": services.RATE_LIMIT, "rate_seconds": services.RATE_WINDOW,
    })


def _vtt(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


def _captioned_room(request: HttpRequest, room_id: int):
    access = check_access(request, room_id)  # who may be in the room may read its captions
    if access.error is not None:
        raise Http404
    if access.room.session is None:
        raise Http404
    return access.room


def replay_track(request: HttpRequest, room: int, name: str) -> HttpResponse:
    """The captions of one recording, timed from its first frame. The media server registers a
    recording when it closes it, so its first frame is `duration` seconds before that."""
    session = _captioned_room(request, room).session
    recording = Recording.objects.filter(endpoint__session=session, replay_file=name,
                                         status=Recording.Status.READY).first()
    if recording is None:
        raise Http404
    length = recording.duration or 0.0
    start = recording.created_at - dt.timedelta(seconds=length)
    return _vtt(webvtt.render(services.since(session, start), start, length or None))


def session_track(request: HttpRequest, room: int) -> HttpResponse:
    """Every caption of the session, timed from its scheduled start (a transcript to download)."""
    session = _captioned_room(request, room).session
    return _vtt(webvtt.render(services.since(session), session.starts_at))
