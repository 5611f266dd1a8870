"""The stage in headless Chromium: an attendee's room page plays the live HLS (hls.js from the
project's static files), shows reconnecting/ended, then the replay; the speaker's backstage page
shows the ingest details and previews the stream; external sources render their embed or link.
Prints the measured glass-to-glass delay and the time from stop to replay."""

import time

import pytest
from playwright.sync_api import expect

from streaming.models import StreamEndpoint
from tests.e2e.test_live_room import browser_of, open_room
from tests.fixtures.servers import stop

from .conftest import GRACE_SECONDS, publish

pytestmark = [pytest.mark.browser, pytest.mark.live]

FLASH_AT = 12  # seconds into the published stream: the picture turns white

# Samples the playing video into a canvas every 20 ms and notes when it first turns white.
WATCH_FOR_FLASH = """(video) => {
  const canvas = document.createElement("canvas");
  canvas.width = 32; canvas.height = 24;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  window.__flashSeenAt = null;
  const timer = setInterval(() => {
    if (video.readyState < 2) return;
    context.drawImage(video, 0, 0, 32, 24);
    const pixels = context.getImageData(0, 0, 32, 24).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += pixels[i] + pixels[i + 1] + pixels[i + 2];
    if (sum / (pixels.length / 4) / 3 > 240) { window.__flashSeenAt = Date.now(); clearInterval(timer); }
  }, 20);
}"""


def test_attendee_watches_live_then_replay_and_speaker_sees_backstage(media, stage, page_in, tmp_path):
    endpoint = stage.endpoint
    attendee = open_room(browser_of(page_in, media.url, stage.online), media.url, stage.room.pk)
    screen = attendee.locator("[data-stage]")
    expect(screen).to_have_attribute("data-stage-phase", "scheduled")
    expect(screen).to_contain_text("Starting soon")
    expect(screen.locator("[data-stage-countdown]")).to_be_visible()

    speaker = open_room(browser_of(page_in, media.url, stage.speaker), media.url, stage.room.pk, "backstage")
    expect(speaker.locator("[data-stream-key]")).to_contain_text(f"{endpoint.slug}?key={endpoint.stream_key}")
    expect(speaker.get_by_role("link", name="Speaker view")).to_be_visible()  # the questions to answer
    expect(speaker.locator("[data-go-live]")).to_have_count(0)  # moderators put the stream on stage
    moderator = open_room(browser_of(page_in, media.url, stage.moderator), media.url, stage.room.pk, "backstage")

    published_at = time.time()
    ffmpeg = publish(f"{media.rtmp}/{endpoint.slug}?key={endpoint.stream_key}", seconds=FLASH_AT + 6,
                     log_path=tmp_path / "ffmpeg.log", flash_at=FLASH_AT)
    try:
        expect(screen).to_have_attribute("data-stage-phase", "backstage", timeout=30000)
        expect(screen).to_contain_text("The speaker is getting ready")
        expect(screen.locator("video")).to_have_count(0)  # attendees see nothing before Go live
        # The speaker previews their own stream while backstage.
        expect(speaker.locator("[data-stage]")).to_have_attribute("data-playing", "true", timeout=30000)
        expect(speaker.locator("[data-backstage-state]")).to_contain_text("Backstage")

        moderator.get_by_role("button", name="Go live").click()
        expect(screen).to_have_attribute("data-stage-phase", "live")
        video = screen.locator("video[data-stage-video]")
        expect(screen).to_have_attribute("data-playing", "true", timeout=30000)
        playing_after = time.time() - published_at
        assert attendee.evaluate("Boolean(window.Hls && window.Hls.isSupported())")
        video.evaluate(WATCH_FOR_FLASH)
        # A function, not an expression: Playwright would eval an expression, which the CSP forbids.
        attendee.wait_for_function("() => window.__flashSeenAt !== null", timeout=30000)
        glass_to_glass = attendee.evaluate("window.__flashSeenAt") / 1000 - (published_at + FLASH_AT)
        ffmpeg.wait(FLASH_AT + 60)
    finally:
        stop(ffmpeg)
    stopped_at = time.time()

    expect(screen).to_contain_text("Reconnecting…", timeout=30000)
    expect(screen).to_have_attribute("data-stage-phase", "replay_available", timeout=(GRACE_SECONDS + 60) * 1000)
    replay_after = time.time() - stopped_at
    replay = screen.locator("video[data-stage-replay]")
    expect(replay).to_have_count(1)
    attendee.wait_for_function("() => document.querySelector('video[data-stage-replay]').readyState >= 1")
    assert replay.evaluate("(v) => v.duration") > FLASH_AT
    assert StreamEndpoint.objects.get(pk=endpoint.pk).state == "replay_available"
    print(f"\nSTREAMING FIGURES: publish→playing in Chromium {playing_after:.1f} s (includes the moderator's "
          f"Go live); glass-to-glass {glass_to_glass:.2f} s; stop→replay shown {replay_after:.1f} s "
          f"(grace period {GRACE_SECONDS} s)")


@pytest.mark.parametrize(("source", "url", "selector", "expected"), [
    ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "iframe",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("call", "https://meet.jit.si/ecc-table-12", "a[data-stage-call]", "https://meet.jit.si/ecc-table-12"),
])
def test_external_sources_show_their_embed_or_call_link(live_server_url, stage, page_in, source, url, selector,
                                                        expected):
    StreamEndpoint.objects.filter(pk=stage.endpoint.pk).update(source=source, external_url=url)
    attendee = open_room(browser_of(page_in, live_server_url, stage.online), live_server_url, stage.room.pk)
    element = attendee.locator(f"[data-stage] {selector}")
    expect(element).to_have_attribute("src" if selector == "iframe" else "href", expected)
    if source == "call":
        expect(element).to_have_text("Join the video call")
