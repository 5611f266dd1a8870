"""Stage state machine, stream keys and media-server events (docs/streaming.md).

    scheduled → backstage → live → interrupted → ended → replay_available
                    ↑  ↓             ↓   ↑            ↘ (reopened) ↙
              (publisher gone)   (publisher back)      scheduled

Every change goes through `_transition`, which only allows the edges in TRANSITIONS, and
publishes a sequenced `stage.state` event to the session's room after the commit. Media-server
hooks (through a MediaBackend adapter) call `authorise_publish`, `stream_ready`, `stream_gone`
and `recording_done`; they are idempotent and ignore events of an older connection."""

import datetime as dt
import functools
import logging
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from conference.text import scrub
from programme.models import Session
from programme.permissions import can_moderate, is_speaker
from realtime import broadcast
from rooms.models import Room

from . import signals
from .models import Recording, StreamEndpoint

log = logging.getLogger(__name__)
State = StreamEndpoint.State
Source = StreamEndpoint.Source

TRANSITIONS: dict[str, set[str]] = {
    State.SCHEDULED: {State.BACKSTAGE, State.ENDED},
    State.BACKSTAGE: {State.LIVE, State.SCHEDULED, State.ENDED},
    State.LIVE: {State.INTERRUPTED, State.ENDED},
    State.INTERRUPTED: {State.LIVE, State.ENDED},
    State.ENDED: {State.REPLAY_AVAILABLE, State.SCHEDULED},
    State.REPLAY_AVAILABLE: {State.SCHEDULED},
}


class PublishRejected(Exception):
    """A media server asked whether someone may publish: no, for this reason (a stable code)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


# --- reading ----------------------------------------------------------------------------


def endpoint_for(session: Session) -> StreamEndpoint:
    endpoint, _ = StreamEndpoint.objects.get_or_create(session=session)
    return endpoint


def _room_id(endpoint: StreamEndpoint) -> int | None:
    return Room.objects.filter(session_id=endpoint.session_id).values_list("pk", flat=True).first()


def embed_url(source: str, url: str) -> str:
    """The privacy-friendly embed of a YouTube or Vimeo link ("" when it is not one)."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    if source == Source.YOUTUBE:
        video = ""
        if host == "youtu.be":
            video = parsed.path.strip("/")
        elif host in {"youtube.com", "youtube-nocookie.com"}:
            if parsed.path.startswith(("/embed/", "/live/")):
                video = parsed.path.split("/")[2]
            else:
                video = parse_qs(parsed.query).get("v", [""])[0]
        valid = video.replace("-", "").replace("_", "").isalnum()
        return f"https://www.youtube-nocookie.com/embed/{video}" if valid else ""
    if source == Source.VIMEO:
        parts = [p for p in parsed.path.split("/") if p]
        video = next((p for p in reversed(parts) if p.isdigit()), "")
        if host in {"vimeo.com", "player.vimeo.com"} and video:
            return f"https://player.vimeo.com/video/{video}?dnt=1"
    return ""


def stage_data(endpoint: StreamEndpoint) -> dict:
    """What everyone in the room may know about the stage (no key, no signed URL)."""
    session = endpoint.session
    external = endpoint.source != Source.INGEST
    return {
        "state": endpoint.state,
        "changed_at": endpoint.state_changed_at,
        "source": endpoint.source,
        "external_url": endpoint.external_url if external and endpoint.source != Source.YOUTUBE
        and endpoint.source != Source.VIMEO else None,
        "embed_url": embed_url(endpoint.source, endpoint.external_url) or None
        if endpoint.source in (Source.YOUTUBE, Source.VIMEO) else None,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "replay_enabled": endpoint.replay_enabled,
        "replays": [{"name": r.replay_file, "duration": r.duration}
                    for r in endpoint.recordings.filter(status=Recording.Status.READY)]
        if endpoint.state == State.REPLAY_AVAILABLE and endpoint.replay_enabled else [],
    }


def playback_token(room_id: int, user_id: int | None, *, preview: bool = False) -> str:
    """Signed and timestamped: which room, for whom, and (backstage page) whether it may show the
    speaker's stream before it is live."""
    data = {"r": room_id, "u": user_id, **({"p": 1} if preview else {})}
    return signing.dumps(data, salt="streaming.playback", compress=True)


def check_playback_token(token: str) -> dict:
    try:
        return signing.loads(token, salt="streaming.playback", max_age=settings.STREAMING_PLAYBACK_TTL_SECONDS)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise Forbidden("This playback link is invalid or has expired: reload the room.",
                        code="bad_token") from exc


def playback_base(room_id: int, user_id: int | None, *, preview: bool = False) -> str:
    """Signed, expiring prefix of this viewer's playback URLs: <base>hls/index.m3u8, <base>replay/<file>."""
    return f"/streaming/play/{playback_token(room_id, user_id, preview=preview)}/"


def stage_for_member(membership, room: Room) -> dict | None:
    """The `stage` part of the room.join state (None for rooms without a session)."""
    if room.session is None:
        return None
    endpoint = endpoint_for(room.session)
    data = stage_data(endpoint)
    data["playback"] = playback_base(room.pk, membership.user_id)
    if settings.STREAMING_HLS_URL and endpoint.source == Source.INGEST:
        token = playback_token(room.pk, membership.user_id)
        data["hls_url"] = f"{settings.STREAMING_HLS_URL.rstrip('/')}/live/{endpoint.slug}/index.m3u8?token={token}"
    else:
        data["hls_url"] = data["playback"] + "hls/index.m3u8" if endpoint.source == Source.INGEST else None
    if endpoint.source == Source.HLS:
        data["hls_url"] = endpoint.external_url
    return data


# --- transitions ------------------------------------------------------------------------


def _transition(endpoint: StreamEndpoint, new_state: str, reason: str) -> bool:
    """Move a locked endpoint to `new_state` if that edge is allowed; False if already there."""
    if endpoint.state == new_state:
        return False
    if new_state not in TRANSITIONS[endpoint.state]:
        raise Conflict(f"The stage cannot go from {endpoint.get_state_display().lower()} to "
                       f"{State(new_state).label.lower()}.", code="bad_transition")
    previous = endpoint.state
    endpoint.state = new_state
    endpoint.state_changed_at = timezone.now()
    endpoint.save(update_fields=["state", "state_changed_at", "publisher_id", "publisher_since"])
    log.info("stage of session %s: %s -> %s (%s)", endpoint.session_id, previous, new_state, reason)
    room_id = _room_id(endpoint)
    if room_id is not None:
        data = {**stage_data(endpoint), "previous": previous, "reason": reason}
        broadcast.after_commit(broadcast.publish, room_id, "stage.state", data)
    return True


def _locked(endpoint_id: int) -> StreamEndpoint:
    return StreamEndpoint.objects.select_for_update().select_related("session").get(pk=endpoint_id)


def _locked_for_room(room_id: int) -> StreamEndpoint:
    room = Room.objects.select_related("session").filter(pk=room_id).first()
    if room is None or room.session is None:
        raise NotFound(f"Room {room_id} has no stage.")
    return _locked(endpoint_for(room.session).pk)


def _require_moderator(user, endpoint: StreamEndpoint) -> None:
    if not can_moderate(user, endpoint.session):
        raise Forbidden("Only the session's moderators can do this.", code="not_moderator")


def _require_backstage_access(user, session: Session) -> None:
    if not (can_moderate(user, session) or is_speaker(user, session)):
        raise Forbidden("Only the session's speakers and moderators can do this.", code="not_allowed")


def go_live(user, room_id: int) -> dict:
    """A moderator puts the speaker's stream on stage (from backstage)."""
    with transaction.atomic():
        endpoint = _locked_for_room(room_id)
        _require_moderator(user, endpoint)
        if endpoint.state in (State.SCHEDULED, State.INTERRUPTED):
            raise Conflict("Nobody is publishing: the speaker starts (or restarts) streaming first.",
                           code="not_publishing")
        _transition(endpoint, State.LIVE, "moderator")
        return stage_data(endpoint)


def end_stream(user, room_id: int) -> dict:
    """A moderator ends the stage (live, interrupted, backstage or scheduled)."""
    with transaction.atomic():
        endpoint = _locked_for_room(room_id)
        _require_moderator(user, endpoint)
        if endpoint.state in (State.ENDED, State.REPLAY_AVAILABLE):
            return stage_data(endpoint)
        _end(endpoint, "moderator")
        return stage_data(endpoint)


def _end(endpoint: StreamEndpoint, reason: str) -> None:
    endpoint.publisher_id = ""
    endpoint.publisher_since = None
    _transition(endpoint, State.ENDED, reason)
    _offer_replay_if_ready(endpoint)


def _offer_replay_if_ready(endpoint: StreamEndpoint) -> None:
    """ended → replay_available once every recording is remuxed and at least one is playable."""
    if endpoint.state != State.ENDED or not endpoint.replay_enabled:
        return
    recordings = endpoint.recordings.all()
    if recordings.filter(status=Recording.Status.PENDING).exists():
        return
    if recordings.filter(status=Recording.Status.READY).exists():
        _transition(endpoint, State.REPLAY_AVAILABLE, "recording_ready")


def reopen_stage(user, room_id: int) -> dict:
    """A moderator reopens an ended stage (ended by mistake, or a rerun): scheduled again, so the
    speaker can publish; the recordings so far are kept. `user=None`: the system (demo data)."""
    with transaction.atomic():
        endpoint = _locked_for_room(room_id)
        if user is not None:
            _require_moderator(user, endpoint)
        if endpoint.state in (State.ENDED, State.REPLAY_AVAILABLE):
            _transition(endpoint, State.SCHEDULED, "reopened")
        return stage_data(endpoint)


def end_if_not_back(endpoint_id: int, interrupted_at: str) -> bool:
    """The grace period of an interruption is over: end the stage unless the publisher came back
    (or another interruption started since). Idempotent."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if endpoint.state != State.INTERRUPTED or endpoint.state_changed_at is None \
                or endpoint.state_changed_at.isoformat() != interrupted_at:
            return False
        _end(endpoint, "publisher_gone")
        return True


def sweep(now: dt.datetime | None = None) -> dict:
    """Periodic (Celery beat): auto go-live at the start time, and end interruptions whose grace
    period is over even if their timer task was lost."""
    now = now or timezone.now()
    started = ended = 0
    due = StreamEndpoint.objects.filter(state=State.BACKSTAGE, auto_live=True, session__starts_at__lte=now)
    for endpoint_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            endpoint = _locked(endpoint_id)
            if endpoint.state == State.BACKSTAGE and endpoint.publisher_id:
                started += _transition(endpoint, State.LIVE, "start_time")
    limit = now - dt.timedelta(seconds=settings.STREAMING_GRACE_SECONDS)
    for endpoint_id, changed in StreamEndpoint.objects.filter(
            state=State.INTERRUPTED, state_changed_at__lte=limit).values_list("pk", "state_changed_at"):
        ended += end_if_not_back(endpoint_id, changed.isoformat()) if changed else 0
    return {"started": started, "ended": ended}


# --- keys and settings of the backstage page ----------------------------------------------


def rotate_key(user, session: Session) -> str:
    """A new stream key; the old one stops working, and whoever publishes with it is cut off."""
    from . import backends

    with transaction.atomic():
        endpoint = _locked(endpoint_for(session).pk)
        _require_backstage_access(user, session)
        endpoint.stream_key = secrets.token_urlsafe(24)
        endpoint.key_rotated_at = timezone.now()
        endpoint.save(update_fields=["stream_key", "key_rotated_at"])
        slug = endpoint.slug
    log.info("stream key of session %s rotated by user %s", session.pk, user.pk)
    backends.get().drop_publisher(slug)
    return endpoint.stream_key


def set_replay(user, session: Session, enabled: bool) -> dict:
    with transaction.atomic():
        endpoint = _locked(endpoint_for(session).pk)
        _require_backstage_access(user, session)
        endpoint.replay_enabled = enabled
        endpoint.save(update_fields=["replay_enabled"])
        _offer_replay_if_ready(endpoint)
        data = stage_data(endpoint)
        room_id = _room_id(endpoint)
        if room_id is not None and endpoint.state == State.REPLAY_AVAILABLE:  # show or hide the replay
            event = {**data, "previous": endpoint.state, "reason": "replay_setting"}
            broadcast.after_commit(broadcast.publish, room_id, "stage.state", event)
        return data


# --- media-server events (called by the backends' hook views) ----------------------------


def _by_stream(stream: str) -> StreamEndpoint:
    endpoint = StreamEndpoint.objects.select_for_update().select_related("session").filter(slug=stream).first()
    if endpoint is None:
        raise PublishRejected("unknown_stream", stream)
    return endpoint


def _check_publisher(endpoint: StreamEndpoint, key: str, publisher_id: str, now: dt.datetime) -> None:
    session = endpoint.session
    if endpoint.source != Source.INGEST:
        raise PublishRejected("external_source")
    if not key or not secrets.compare_digest(key.encode(), endpoint.stream_key.encode()):
        raise PublishRejected("wrong_key")
    if session.is_cancelled:
        raise PublishRejected("session_cancelled")
    opens = session.starts_at - dt.timedelta(minutes=settings.STREAMING_PUBLISH_EARLY_MINUTES)
    closes = session.ends_at + dt.timedelta(minutes=settings.STREAMING_PUBLISH_LATE_MINUTES)
    if not opens <= now <= closes:
        raise PublishRejected("outside_window", f"publishing is open from {opens:%Y-%m-%d %H:%M} to "
                                                f"{closes:%Y-%m-%d %H:%M} UTC")
    if endpoint.state in (State.ENDED, State.REPLAY_AVAILABLE):
        raise PublishRejected("stage_ended")
    if endpoint.publisher_id and endpoint.publisher_id != publisher_id:
        raise PublishRejected("already_publishing", f"connection {endpoint.publisher_id} is publishing")


def authorise_publish(stream: str, key: str, publisher_id: str, addr: str = "") -> int:
    """May this connection publish to this stream? Returns the endpoint id or raises
    PublishRejected (logged with the reason)."""
    try:
        with transaction.atomic():
            endpoint = _by_stream(stream)
            _check_publisher(endpoint, key, publisher_id, timezone.now())
            return endpoint.pk
    except PublishRejected as exc:
        log.warning("publish to %r from %s (connection %s) rejected: %s %s", stream, addr or "?", publisher_id,
                    exc.reason, exc.detail)
        raise


def stream_ready(stream: str, publisher_id: str) -> str:
    """The publisher's stream is up: backstage (or live again after an interruption, or live at
    once when the session goes live by itself and has started). Returns the state."""
    with transaction.atomic():
        try:
            endpoint = _by_stream(stream)
        except PublishRejected:
            log.warning("ready for unknown stream %r ignored", stream)
            raise
        if endpoint.publisher_id and endpoint.publisher_id != publisher_id:
            log.warning("ready of %r from connection %s ignored: %s is publishing", stream, publisher_id,
                        endpoint.publisher_id)
            return endpoint.state
        if endpoint.state in (State.ENDED, State.REPLAY_AVAILABLE):
            log.warning("ready of %r ignored: the stage has ended", stream)
            return endpoint.state
        endpoint.publisher_id = publisher_id
        endpoint.publisher_since = endpoint.publisher_since or timezone.now()
        endpoint.save(update_fields=["publisher_id", "publisher_since"])
        if endpoint.state == State.SCHEDULED:
            _transition(endpoint, State.BACKSTAGE, "publisher_connected")
        elif endpoint.state == State.INTERRUPTED:
            _transition(endpoint, State.LIVE, "publisher_back")
        if endpoint.state == State.BACKSTAGE and endpoint.auto_live and endpoint.session.starts_at <= timezone.now():
            _transition(endpoint, State.LIVE, "start_time")
        return endpoint.state


def stream_gone(stream: str, publisher_id: str) -> str:
    """The publisher stopped or dropped. A "done" from an older connection changes nothing."""
    with transaction.atomic():
        try:
            endpoint = _by_stream(stream)
        except PublishRejected:
            log.warning("done for unknown stream %r ignored", stream)
            raise
        if not endpoint.publisher_id or endpoint.publisher_id != publisher_id:
            log.info("done of %r from connection %s ignored (current publisher: %r)", stream, publisher_id,
                     endpoint.publisher_id)
            return endpoint.state
        endpoint.publisher_id = ""
        endpoint.publisher_since = None
        if endpoint.state == State.LIVE:
            _transition(endpoint, State.INTERRUPTED, "publisher_gone")
            assert endpoint.state_changed_at is not None
            transaction.on_commit(functools.partial(
                signals.stage_interrupted.send, StreamEndpoint, endpoint_id=endpoint.pk,
                interrupted_at=endpoint.state_changed_at.isoformat(), grace_seconds=settings.STREAMING_GRACE_SECONDS))
        elif endpoint.state == State.BACKSTAGE:
            _transition(endpoint, State.SCHEDULED, "publisher_gone")
        else:
            endpoint.save(update_fields=["publisher_id", "publisher_since"])
        return endpoint.state


def recording_done(stream: str, publisher_id: str, path: str) -> int | None:
    """The media server closed a recording file: register it (once) and have it remuxed."""
    record_dir = Path(settings.STREAMING_RECORD_DIR).resolve()
    source = Path(path).resolve()
    if not source.is_relative_to(record_dir):
        raise InvalidInput(f"Recording {path!r} is outside the recording directory.", code="bad_path")
    with transaction.atomic():
        try:
            endpoint = _by_stream(stream)
        except PublishRejected:
            log.warning("recording of unknown stream %r ignored", stream)
            raise
        recording, created = Recording.objects.get_or_create(
            source_path=str(source), defaults={"endpoint": endpoint, "publisher_id": publisher_id})
        if created:
            transaction.on_commit(functools.partial(signals.recording_registered.send, Recording,
                                                    recording_id=recording.pk))
        return recording.pk


def recording_remuxed(recording_id: int, replay_file: str, duration: float | None, error: str = "") -> None:
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording_id)
        endpoint = _locked(recording.endpoint_id)
        recording.status = Recording.Status.FAILED if error else Recording.Status.READY
        # The error is ffmpeg's output: stored as text that follows the platform's text rule.
        recording.replay_file, recording.duration, recording.error = replay_file, duration, scrub(error)
        recording.ready_at = timezone.now()
        recording.save()
        _offer_replay_if_ready(endpoint)
