"""End to end with real parts: nginx-rtmp, ffmpeg publishing, Daphne, a Celery worker, and a
websocket client in the room watching the stage change."""

import asyncio
import subprocess
import urllib.error
import urllib.request

import pytest
from asgiref.sync import sync_to_async

from streaming import services
from streaming.models import StreamEndpoint
from tests.fixtures.servers import stop, wait_for_async
from tests.fixtures.ws import WsClient, session_cookie

from .conftest import GRACE_SECONDS, HOOK_SECRET, probe, publish

pytestmark = pytest.mark.live


def fetch(url: str, cookie: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 (http URL of the test server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def plays(rtmp_url: str) -> bool:
    """Whether ffprobe can read the stream's codecs over RTMP."""
    result = subprocess.run(["ffprobe", "-v", "error", "-rw_timeout", "15000000", "-show_entries",  # noqa: S603
                             "stream=codec_name", "-of", "json", rtmp_url],
                            capture_output=True, text=True, timeout=60, check=False)
    return result.returncode == 0 and "h264" in result.stdout


async def test_publish_go_live_stop_and_replay(media, stage, tmp_path):
    room = stage.room.pk
    endpoint = stage.endpoint
    attendee = await WsClient.connect(media.url, stage.online)
    joined = await attendee.ok("room.join", room=room)
    assert joined["state"]["stage"]["state"] == "scheduled"
    playback = joined["state"]["stage"]["hls_url"]
    moderator = await WsClient.connect(media.url, stage.moderator)
    await moderator.ok("room.join", room=room)

    # A wrong key is refused by the platform (nginx-rtmp drops the publisher): no event.
    wrong = publish(f"{media.rtmp}/{endpoint.slug}?key=not-the-key", seconds=5, log_path=tmp_path / "wrong.log")
    assert wrong.wait(30) != 0
    assert "wrong_key" in media.daphne_log.read_text()
    assert not [p for p in attendee.pushes if p["type"] == "stage.state"]

    # The right key: the speaker is backstage; attendees are told, but nothing plays yet.
    ffmpeg = publish(f"{media.rtmp}/{endpoint.slug}?key={endpoint.stream_key}", seconds=120,
                     log_path=tmp_path / "ffmpeg.log")
    try:
        backstage = await attendee.next_push("stage.state", room, timeout=30)
        assert backstage["data"]["state"] == "backstage" and backstage["data"]["reason"] == "publisher_connected"
        cookie = await sync_to_async(session_cookie)(stage.online)
        status, _ = await asyncio.to_thread(fetch, media.url + playback, cookie)
        assert status == 404  # not on stage yet

        # A second publisher on the same key is refused; the first one keeps the stage.
        second = publish(f"{media.rtmp}/{endpoint.slug}?key={endpoint.stream_key}", seconds=5,
                         log_path=tmp_path / "second.log")
        second.wait(30)
        assert "already_publishing" in media.daphne_log.read_text()

        # Attendees cannot put it on stage; the moderator can.
        attendee_try = await attendee.request("stage.go_live", room=room)
        assert attendee_try["error"]["code"] == "not_moderator"
        await moderator.ok("stage.go_live", room=room)
        live = await attendee.next_push("stage.state", room)
        assert live["data"]["state"] == "live" and live["data"]["previous"] == "backstage"

        # The live HLS plays for the attendee through their signed URL, and decodes as H.264/AAC.
        def playlist():
            status, body = fetch(media.url + playback, cookie)
            return body.decode() if status == 200 and b".ts" in body else None

        text = await wait_for_async(playlist, "the HLS playlist")
        segment = next(line for line in text.splitlines() if line.endswith(".ts"))
        segment_url = media.url + playback.rsplit("/", 1)[0] + "/" + segment
        status, data = await asyncio.to_thread(fetch, segment_url, cookie)
        assert status == 200
        (tmp_path / "segment.ts").write_bytes(data)
        codecs = {s["codec_type"]: s["codec_name"] for s in probe(str(tmp_path / "segment.ts"))["streams"]}
        assert codecs == {"video": "h264", "audio": "aac"}
        # Someone else's link, or no login, does not play.
        outsider_cookie = await sync_to_async(session_cookie)(stage.outsider)
        assert (await asyncio.to_thread(fetch, media.url + playback, outsider_cookie))[0] == 403
        assert (await asyncio.to_thread(fetch, media.url + playback, ""))[0] == 403
        # Nor does RTMP straight from the media server without a playback token (the platform's
        # on_play hook decides); with the attendee's token it plays.
        stream = f"{media.rtmp}/{endpoint.slug}"
        assert await asyncio.to_thread(plays, stream) is False
        assert await asyncio.to_thread(plays, f"{stream}?token=forged") is False
        token = joined["state"]["stage"]["playback"].split("/")[3]
        assert await asyncio.to_thread(plays, f"{stream}?token={token}") is True
    finally:
        stop(ffmpeg)

    # The publisher is gone: reconnecting…, then ended after the grace period, then the replay.
    interrupted = await attendee.next_push("stage.state", room, timeout=30)
    assert interrupted["data"]["state"] == "interrupted"
    ended = await attendee.next_push("stage.state", room, timeout=GRACE_SECONDS + 30)
    assert ended["data"]["state"] == "ended" and ended["data"]["reason"] == "publisher_gone"
    replay = await attendee.next_push("stage.state", room, timeout=60)
    assert replay["data"]["state"] == "replay_available"
    (recording,) = replay["data"]["replays"]
    assert recording["duration"] > 0
    replay_url = joined["state"]["stage"]["playback"] + "replay/" + recording["name"]
    status, data = await asyncio.to_thread(fetch, media.url + replay_url, cookie)
    assert status == 200
    (tmp_path / "replay.mp4").write_bytes(data)
    info = probe(str(tmp_path / "replay.mp4"))
    assert float(info["format"]["duration"]) > 0
    assert {s["codec_name"] for s in info["streams"]} == {"h264", "aac"}

    # Publishing again to an ended stage is refused.
    again = publish(f"{media.rtmp}/{endpoint.slug}?key={endpoint.stream_key}", seconds=3)
    assert again.wait(30) != 0
    assert (await sync_to_async(StreamEndpoint.objects.get)(pk=endpoint.pk)).state == "replay_available"
    await attendee.close()
    await moderator.close()


async def test_rotating_the_key_cuts_off_the_publisher_and_the_old_key(media, stage, settings, tmp_path):
    settings.STREAMING_CONTROL_URL = media.control_url
    settings.STREAMING_HOOK_SECRET = HOOK_SECRET
    room, endpoint = stage.room.pk, stage.endpoint
    attendee = await WsClient.connect(media.url, stage.online)
    await attendee.ok("room.join", room=room)
    old = f"{media.rtmp}/{endpoint.slug}?key={endpoint.stream_key}"
    ffmpeg = publish(old, seconds=120, log_path=tmp_path / "old.log")
    try:
        assert (await attendee.next_push("stage.state", room, timeout=30))["data"]["state"] == "backstage"
        # The control endpoint obeys only the platform (the shared secret): anyone else is refused.
        drop = f"{media.control_url}/drop/publisher?app=live&name={endpoint.slug}"
        assert (await asyncio.to_thread(fetch, drop, ""))[0] == 403
        assert ffmpeg.poll() is None  # still publishing
        new_key = await sync_to_async(services.rotate_key)(stage.speaker, stage.session)
        # nginx-rtmp drops the publisher: ffmpeg stops, and the stage is back to scheduled.
        await asyncio.to_thread(ffmpeg.wait, 30)
        gone = await attendee.next_push("stage.state", room, timeout=30)
        assert gone["data"]["state"] == "scheduled" and gone["data"]["reason"] == "publisher_gone"
    finally:
        stop(ffmpeg)
    retry = publish(old, seconds=5, log_path=tmp_path / "retry.log")
    assert await asyncio.to_thread(retry.wait, 30) != 0
    fresh = publish(f"{media.rtmp}/{endpoint.slug}?key={new_key}", seconds=120, log_path=tmp_path / "new.log")
    try:
        assert (await attendee.next_push("stage.state", room, timeout=30))["data"]["state"] == "backstage"
    finally:
        stop(fresh)
    await attendee.close()
