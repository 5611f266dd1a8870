"""Captions typed on the captioner page appear live under the stage in another browser, and in the
caption track of the replay."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from captions.models import Caption
from streaming.models import Recording, StreamEndpoint
from tests.e2e.test_live_room import browser_of, open_room
from tests.rooms.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.live]

LINE = "Welcome to the opening plenary: clusters & the <twin> transition."


@pytest.fixture
def world(transactional_db):
    return World()


def test_captions_typed_in_one_browser_appear_live_in_another_and_in_the_replay_track(world, live_server_url, page_in):
    captioner = browser_of(page_in, live_server_url, world.moderator)
    captioner.goto(f"{live_server_url}/rooms/{world.room.pk}/captions/")
    expect(captioner.locator("body")).to_have_attribute("data-captioner-ready", "true")
    attendee = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    expect(attendee.locator("[data-captions]")).to_be_hidden()  # nothing captioned yet

    captioner.get_by_label("Caption line").fill(LINE)
    captioner.get_by_label("Caption line").press("Enter")
    expect(captioner.locator("[data-caption-history]")).to_contain_text(LINE)
    lines = attendee.locator("[data-caption-lines]")
    expect(lines).to_contain_text(LINE)  # live, under the stage, in an aria-live log
    assert lines.get_attribute("aria-live") == "polite"
    captioner.get_by_label("Caption line").fill("Second line.")
    captioner.get_by_role("button", name="Send").click()
    expect(lines).to_contain_text("Second line.")
    assert Caption.objects.filter(session=world.session).count() == 2

    # The session ends and its recording becomes the replay: the player carries the captions as a track.
    endpoint, _ = StreamEndpoint.objects.get_or_create(session=world.session)
    StreamEndpoint.objects.filter(pk=endpoint.pk).update(state=StreamEndpoint.State.REPLAY_AVAILABLE)
    recording = Recording.objects.create(endpoint=endpoint, source_path="/recordings/opening.flv",
                                         replay_file="opening.mp4", duration=3600.0, status=Recording.Status.READY)
    Recording.objects.filter(pk=recording.pk).update(created_at=timezone.now() + dt.timedelta(seconds=5))
    later = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    track = later.locator("video[data-stage-replay] track")
    expect(track).to_have_attribute("kind", "captions")
    vtt = later.evaluate("(url) => fetch(url).then((r) => r.text())", track.get_attribute("src"))
    assert vtt.startswith("WEBVTT")
    assert "Welcome to the opening plenary: clusters &amp; the &lt;twin&gt; transition." in vtt
    assert "Second line." in vtt
