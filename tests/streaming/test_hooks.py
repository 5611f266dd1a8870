"""Media-server hooks and the stage state machine, through the hook views (both backends):
bad input is refused with the reason logged, and the stage never goes wrong."""

import datetime as dt
import json
import logging

import pytest
from django.utils import timezone

from conference.errors import Conflict, Forbidden
from streaming import mediamtx_hook, services
from streaming.models import Recording, StreamEndpoint
from streaming.services import State

from .conftest import HOOK_SECRET, Stage

NGINX = "/streaming/hooks/nginx-rtmp/"


@pytest.fixture
def stage(db, settings, tmp_path):
    settings.STREAMING_HOOK_SECRET = HOOK_SECRET
    settings.STREAMING_RECORD_DIR = str(tmp_path)
    return Stage()


def nginx(client, call: str, endpoint: StreamEndpoint, *, clientid: str = "1", key: str | None = None,
          secret: str = HOOK_SECRET, **fields):
    data = {"call": call, "app": "live", "name": endpoint.slug, "clientid": clientid, "addr": "192.0.2.7",
            **fields}
    if key is not None:
        data["key"] = key
    return client.post(f"{NGINX}{call}?secret={secret}", data)


def state_of(endpoint: StreamEndpoint) -> str:
    endpoint.refresh_from_db()
    return endpoint.state


def test_hooks_without_the_shared_secret_are_refused(client, stage, caplog):
    endpoint = stage.endpoint
    assert nginx(client, "publish", endpoint, key=endpoint.stream_key, secret="guess").status_code == 403
    assert client.post(f"{NGINX}publish", {"name": endpoint.slug, "key": endpoint.stream_key}).status_code == 403
    assert state_of(endpoint) == State.SCHEDULED
    assert "wrong or missing secret" in caplog.text


def test_right_key_goes_backstage_wrong_or_rotated_key_is_refused_with_the_reason(client, stage, caplog):
    endpoint = stage.endpoint
    caplog.set_level(logging.WARNING, "streaming")
    assert nginx(client, "publish", endpoint, key="nope").status_code == 403
    assert "wrong_key" in caplog.text and state_of(endpoint) == State.SCHEDULED
    old_key = endpoint.stream_key
    new_key = services.rotate_key(stage.speaker, stage.session)
    assert new_key != old_key
    assert nginx(client, "publish", endpoint, key=old_key).status_code == 403
    assert nginx(client, "publish", endpoint, key=new_key).status_code == 200
    assert state_of(endpoint) == State.BACKSTAGE
    with pytest.raises(Forbidden):
        services.rotate_key(stage.online, stage.session)


def test_unknown_streams_and_publishing_outside_the_window_are_refused(client, stage, caplog):
    caplog.set_level(logging.WARNING, "streaming")
    response = client.post(f"{NGINX}publish?secret={HOOK_SECRET}", {"call": "publish", "name": "nosuch",
                                                                     "key": "x", "clientid": "1"})
    assert response.status_code == 403 and "unknown_stream" in caplog.text
    session = stage.session
    session.starts_at = timezone.now() + dt.timedelta(days=2)
    session.ends_at = session.starts_at + dt.timedelta(hours=1)
    session.save()
    assert nginx(client, "publish", stage.endpoint, key=stage.endpoint.stream_key).status_code == 403
    assert "outside_window" in caplog.text and state_of(stage.endpoint) == State.SCHEDULED


def test_second_publisher_refused_and_late_done_of_an_older_connection_ignored(client, stage, caplog):
    endpoint, key = stage.endpoint, stage.endpoint.stream_key
    assert nginx(client, "publish", endpoint, clientid="10", key=key).status_code == 200
    assert nginx(client, "publish", endpoint, clientid="10", key=key).status_code == 200  # repeated hook
    assert nginx(client, "publish", endpoint, clientid="11", key=key).status_code == 403
    assert "already_publishing" in caplog.text
    services.go_live(stage.moderator, stage.room.pk)
    assert nginx(client, "publish_done", endpoint, clientid="11").status_code == 200  # refused one leaves
    assert state_of(endpoint) == State.LIVE
    assert nginx(client, "publish_done", endpoint, clientid="10").status_code == 200
    assert state_of(endpoint) == State.INTERRUPTED
    assert nginx(client, "publish", endpoint, clientid="12", key=key).status_code == 200  # back in time
    assert state_of(endpoint) == State.LIVE
    assert nginx(client, "publish_done", endpoint, clientid="10").status_code == 200  # late, old connection
    assert state_of(endpoint) == State.LIVE
    interrupted_before = timezone.now().isoformat()
    assert not services.end_if_not_back(endpoint.pk, interrupted_before)  # publisher is back: no end
    assert state_of(endpoint) == State.LIVE


def test_grace_period_ends_the_stage_once_and_replay_follows_the_recording(client, stage, tmp_path):
    endpoint, key = stage.endpoint, stage.endpoint.stream_key
    nginx(client, "publish", endpoint, key=key)
    services.go_live(stage.moderator, stage.room.pk)
    nginx(client, "publish_done", endpoint)
    endpoint.refresh_from_db()
    marker = endpoint.state_changed_at.isoformat()
    flv = tmp_path / "talk.flv"
    flv.write_bytes(b"")
    assert nginx(client, "record_done", endpoint, path=str(flv), recorder="").status_code == 200
    assert nginx(client, "record_done", endpoint, path=str(flv), recorder="").status_code == 200
    assert Recording.objects.filter(endpoint=endpoint).count() == 1  # registered once
    assert services.end_if_not_back(endpoint.pk, marker)
    assert not services.end_if_not_back(endpoint.pk, marker)  # the task may run twice
    assert state_of(endpoint) == State.ENDED  # the recording is still being remuxed
    recording = Recording.objects.get(endpoint=endpoint)
    services.recording_remuxed(recording.pk, "talk.mp4", 12.5)
    assert state_of(endpoint) == State.REPLAY_AVAILABLE
    assert services.stage_data(endpoint)["replays"] == [{"name": "talk.mp4", "duration": 12.5}]


def test_replay_opt_out_keeps_the_stage_ended(client, stage, tmp_path):
    endpoint = stage.endpoint
    services.set_replay(stage.speaker, stage.session, False)
    nginx(client, "publish", endpoint, key=endpoint.stream_key)
    flv = tmp_path / "talk.flv"
    flv.write_bytes(b"")
    nginx(client, "record_done", endpoint, path=str(flv))
    services.end_stream(stage.moderator, stage.room.pk)
    services.recording_remuxed(Recording.objects.get().pk, "talk.mp4", 3.0)
    assert state_of(endpoint) == State.ENDED


def test_recordings_outside_the_recording_directory_are_refused(client, stage):
    response = nginx(client, "record_done", stage.endpoint, path="/etc/passwd")
    assert response.status_code == 403
    assert not Recording.objects.exists()


def test_only_moderators_drive_the_stage_and_only_along_allowed_transitions(client, stage):
    with pytest.raises(Conflict) as nobody:
        services.go_live(stage.moderator, stage.room.pk)
    assert nobody.value.code == "not_publishing"
    nginx(client, "publish", stage.endpoint, key=stage.endpoint.stream_key)
    with pytest.raises(Forbidden):
        services.go_live(stage.speaker, stage.room.pk)
    services.end_stream(stage.moderator, stage.room.pk)
    with pytest.raises(Conflict) as ended:
        services.go_live(stage.moderator, stage.room.pk)
    assert ended.value.code == "bad_transition"
    assert nginx(client, "publish", stage.endpoint, clientid="2", key=stage.endpoint.stream_key).status_code == 403


def test_auto_live_at_the_start_time(client, stage):
    endpoint = stage.endpoint
    endpoint.auto_live = True
    endpoint.save()
    session = stage.session
    session.starts_at = timezone.now() + dt.timedelta(minutes=10)
    session.save()
    nginx(client, "publish", endpoint, key=endpoint.stream_key)
    assert state_of(endpoint) == State.BACKSTAGE  # not before the start
    assert services.sweep()["started"] == 0
    assert services.sweep(now=session.starts_at + dt.timedelta(seconds=1))["started"] == 1
    assert state_of(endpoint) == State.LIVE


# --- MediaMTX: contract tests from its documented hook formats ------------------------------

MTX = "/streaming/hooks/mediamtx/"


def mtx_auth(client, endpoint, *, action="publish", query="", password="", secret=HOOK_SECRET):
    # https://github.com/bluenviron/mediamtx#http-based (authMethod: http): the JSON it POSTs.
    body = {"user": "", "password": password, "token": "", "ip": "192.0.2.9", "action": action,
            "path": f"live/{endpoint.slug}", "protocol": "rtmp" if action == "publish" else "hls",
            "id": "0f6a6b6e-3b1c-4f6e-9d7a-2a1f0c9e1d11" if action == "publish" else None, "query": query}
    return client.post(f"{MTX}auth?secret={secret}", json.dumps(body), content_type="application/json")


def mtx_run(client, event: str, endpoint, source_id="0f6a6b6e-3b1c-4f6e-9d7a-2a1f0c9e1d11", **extra):
    """What `python -m streaming.mediamtx_hook <event>` sends, from MediaMTX's runOn* environment."""
    environ = {"MTX_PATH": f"live/{endpoint.slug}", "MTX_QUERY": "key=secret", "MTX_SOURCE_TYPE": "rtmpConn",
               "MTX_SOURCE_ID": source_id, "CONFERENCE_STREAMING_HOOK_SECRET": HOOK_SECRET,
               "CONFERENCE_STREAMING_HOOK_URL": "http://web:8000/streaming/hooks/mediamtx", **extra}
    request = mediamtx_hook.request_for(event, environ)
    assert request.full_url == f"http://web:8000/streaming/hooks/mediamtx/{event}"
    return client.post(f"{MTX}{event}", request.data, content_type="application/json",
                       headers={"X-Hook-Secret": request.get_header("X-hook-secret")})


def test_mediamtx_publish_auth_ready_and_not_ready(client, stage, settings):
    settings.STREAMING_BACKEND = "mediamtx"
    endpoint = stage.endpoint
    assert mtx_auth(client, endpoint, query="key=wrong").status_code == 401
    assert mtx_auth(client, endpoint, query=f"key={endpoint.stream_key}", secret="x").status_code == 403
    assert mtx_auth(client, endpoint, query=f"key={endpoint.stream_key}").status_code == 200
    assert state_of(endpoint) == State.SCHEDULED  # authorised, not yet ready
    assert mtx_run(client, "ready", endpoint).status_code == 200
    assert state_of(endpoint) == State.BACKSTAGE
    assert mtx_run(client, "not_ready", endpoint, source_id="another").status_code == 200  # not the publisher
    assert state_of(endpoint) == State.BACKSTAGE
    assert mtx_run(client, "not_ready", endpoint).status_code == 200
    assert state_of(endpoint) == State.SCHEDULED


def test_mediamtx_read_needs_a_valid_playback_token_for_that_room(client, stage):
    endpoint = stage.endpoint
    token = services.playback_token(stage.room.pk, stage.online.pk)
    assert mtx_auth(client, endpoint, action="read", query=f"token={token}").status_code == 200
    assert mtx_auth(client, endpoint, action="read", query="token=forged").status_code == 401
    assert mtx_auth(client, endpoint, action="read").status_code == 401


def test_mediamtx_recording_segment_is_registered(client, stage, tmp_path):
    segment = tmp_path / "live" / stage.endpoint.slug / "2026-09-26_09-00-00-000000.mp4"
    segment.parent.mkdir(parents=True)
    segment.write_bytes(b"")
    assert mtx_run(client, "record_done", stage.endpoint, MTX_SEGMENT_PATH=str(segment)).status_code == 200
    assert Recording.objects.get().source_path == str(segment)


def test_mediamtx_malformed_payloads_are_refused(client, stage):
    assert client.post(f"{MTX}auth?secret={HOOK_SECRET}", "not json",
                       content_type="application/json").status_code == 400
    assert client.post(f"{MTX}auth?secret={HOOK_SECRET}", json.dumps({"action": "publish", "path": "other/x"}),
                       content_type="application/json").status_code == 400


def test_external_sources_embed_privacy_friendly_players():
    assert services.embed_url("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ") == \
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert services.embed_url("youtube", "https://youtu.be/dQw4w9WgXcQ") == \
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert services.embed_url("vimeo", "https://vimeo.com/76979871") == "https://player.vimeo.com/video/76979871?dnt=1"
    assert services.embed_url("youtube", "https://evil.example/watch?v=x") == ""


def test_session_page_offers_the_replay_and_the_programme_shows_an_opt_out(client, stage):
    endpoint = stage.endpoint
    session_url = f"/e/{stage.edition.slug}/s/{stage.session.slug}/"
    StreamEndpoint.objects.filter(pk=endpoint.pk).update(state=State.REPLAY_AVAILABLE)
    client.force_login(stage.online)
    page = client.get(session_url).content.decode()
    assert "Watch the replay" in page and "No replay" not in page
    services.set_replay(stage.speaker, stage.session, False)
    page = client.get(session_url).content.decode()
    assert "Watch the replay" not in page and "No replay" in page
    assert "No replay" in client.get(f"/e/{stage.edition.slug}/programme/").content.decode()


def test_playback_checks_the_signed_link_and_hands_files_to_nginx_when_configured(client, stage, settings,
                                                                                   tmp_path):
    settings.STREAMING_HLS_DIR = str(tmp_path)
    (tmp_path / stage.endpoint.slug).mkdir()
    (tmp_path / stage.endpoint.slug / "index.m3u8").write_text("#EXTM3U\n")
    StreamEndpoint.objects.filter(pk=stage.endpoint.pk).update(state=State.LIVE)
    url = services.playback_base(stage.room.pk, stage.online.pk) + "hls/index.m3u8"
    assert client.get(url).status_code == 403  # not logged in as the person it was issued to
    client.force_login(stage.online)
    assert b"".join(client.get(url).streaming_content) == b"#EXTM3U\n"
    assert client.get(url.replace("index.m3u8", "..%2Fsecret")).status_code == 404
    settings.STREAMING_ACCEL_REDIRECT = "/internal-media"
    response = client.get(url)
    assert response["X-Accel-Redirect"] == f"/internal-media/hls/{stage.endpoint.slug}/index.m3u8"
    settings.STREAMING_PLAYBACK_TTL_SECONDS = -1
    assert client.get(url).status_code == 403  # expired
