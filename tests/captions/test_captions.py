"""Live captions: written by captioners (a page, or a service with a device token), refused to
others, rate-limited, broadcast to the room, and timed as WebVTT for the replay."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from captions import services, webvtt
from captions.models import Caption
from people.services import create_device_token
from programme.models import EditionRole
from realtime import broadcast
from streaming.models import Recording, StreamEndpoint
from tests.fixtures.factories import make_session, make_user

pytestmark = pytest.mark.django_db


def post(client: Client, session, text, **headers):
    return client.post(f"/api/sessions/{session.pk}/captions", json.dumps({"text": text}),
                       content_type="application/json", headers=headers)


def test_a_service_posts_captions_with_a_device_token(place):
    captioner = make_user("Cora Captioner")
    EditionRole.objects.create(edition=place.edition, user=captioner, role=EditionRole.Role.CAPTIONER)
    _, token = create_device_token(captioner, "Speech-to-text service")
    response = post(Client(enforce_csrf_checks=True), place.session, "  Welcome to the\nopening plenary. ",
                    Authorization=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert response.json()["text"] == "Welcome to the opening plenary."
    caption = Caption.objects.get()
    assert caption.author == captioner and caption.session == place.session


def test_the_session_cookie_needs_the_csrf_header(place):
    client = Client(enforce_csrf_checks=True)
    client.force_login(place.moderator)
    client.get("/agenda/")  # a page with a form sets the csrftoken cookie
    assert post(client, place.session, "Hello").status_code == 403
    response = post(client, place.session, "Hello", **{"X-CSRFToken": client.cookies["csrftoken"].value})
    assert response.status_code == 201


@pytest.mark.parametrize("who", ["online", "outsider", "speaker"])
def test_only_captioners_and_moderators_write_captions(place, who):
    client = Client()
    client.force_login(getattr(place, who))
    response = post(client, place.session, "I am not a captioner")
    assert (response.status_code, response.json()["code"]) == (403, "not_captioner")
    assert not Caption.objects.exists()
    assert post(Client(), place.session, "anonymous").status_code == 401
    assert post(Client(), place.session, "bad token", Authorization="Bearer dt_nope").status_code == 401


@pytest.mark.parametrize(("text", "status", "code"), [
    ("", 400, "invalid"), ("   ", 400, "invalid"), (" \x00\x07 ", 422, "validation_error"),
    ("x" * 501, 400, "too_long")])
def test_bad_caption_text_is_refused_and_nothing_is_stored(place, text, status, code):
    client = Client()
    client.force_login(place.moderator)
    response = post(client, place.session, text)
    assert response.status_code == status and response.json()["code"] == code
    assert not Caption.objects.exists()


def test_captions_flooding_is_rate_limited(place):
    client = Client()
    client.force_login(place.moderator)
    for n in range(services.RATE_LIMIT):
        assert post(client, place.session, f"line {n}").status_code == 201
    flooded = post(client, place.session, "one too many")
    assert flooded.status_code == 429
    assert flooded.json()["code"] == "rate_limited" and "coming too fast" in flooded.json()["message"]
    assert 1 <= int(flooded["Retry-After"]) <= services.RATE_WINDOW
    assert Caption.objects.count() == services.RATE_LIMIT


def test_a_session_held_in_the_hall_only_has_no_captions(place):
    hall = make_session(place.edition, title="Hall only", attendance_format="in_person", location="Hall 1")
    hall.moderators.add(place.moderator)
    client = Client()
    client.force_login(place.moderator)
    response = post(client, hall, "Hello")
    assert response.status_code == 409 and response.json()["code"] == "no_stage"


def test_captions_are_broadcast_to_the_room_log(place, live_redis, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # stands for the commit
        services.post_caption(place.moderator, place.session, "Live line")
    frames = [json.loads(fields[b"f"]) for _id, fields in live_redis.xrange(broadcast.log_key(place.room.pk))]
    added = [f for f in frames if f["type"] == "caption.added"]
    assert added and added[-1]["data"]["text"] == "Live line" and added[-1]["seq"] >= 1


def test_webvtt_times_lines_from_the_first_frame_and_escapes_them():
    start = dt.datetime(2030, 9, 26, 7, 0, tzinfo=dt.UTC)

    def line(seconds, text):
        return Caption(text=text, created_at=start + dt.timedelta(seconds=seconds))

    body = webvtt.render([line(-5, "before"), line(2.5, "Hello <b>&"), line(4, "next"), line(20, "last"),
                          line(100, "after")], start, length=60)
    assert body.startswith("WEBVTT\n\n")
    assert "00:00:02.500 --> 00:00:04.000\nHello &lt;b&gt;&amp;\n" in body
    assert "00:00:04.000 --> 00:00:11.000\nnext\n" in body  # at most 7 s when nothing follows soon
    assert "00:00:20.000 --> 00:00:27.000\nlast" in body
    assert "before" not in body and "after" not in body


def test_the_replay_track_is_timed_to_its_recording(place, client):
    endpoint = StreamEndpoint.objects.create(session=place.session, state=StreamEndpoint.State.REPLAY_AVAILABLE)
    recording = Recording.objects.create(endpoint=endpoint, source_path="/rec/a.flv", replay_file="a.mp4",
                                         duration=600.0, status=Recording.Status.READY)
    ended = timezone.now()
    Recording.objects.filter(pk=recording.pk).update(created_at=ended)  # registered when the file was closed
    Caption.objects.create(session=place.session, text="Ninety seconds in")
    Caption.objects.filter(text="Ninety seconds in").update(created_at=ended - dt.timedelta(seconds=510))
    client.force_login(place.online)
    response = client.get(f"/rooms/{place.room.pk}/captions/replay/a.mp4.vtt")
    assert response["Content-Type"].startswith("text/vtt")
    assert "00:01:30.000 --> 00:01:37.000\nNinety seconds in" in response.content.decode()
    client.force_login(place.outsider)
    assert client.get(f"/rooms/{place.room.pk}/captions/replay/a.mp4.vtt").status_code == 404
    assert client.get(f"/rooms/{place.room.pk}/captions/replay/none.mp4.vtt").status_code == 404


def test_the_captioner_page_is_for_captioners(place, client):
    url = f"/rooms/{place.room.pk}/captions/"
    client.force_login(place.online)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Only the captioners and moderators of this room can open the captioner page." in refused.content.decode()
    captioner = make_user("Cora Captioner")
    EditionRole.objects.create(edition=place.edition, user=captioner, role=EditionRole.Role.CAPTIONER)
    client.force_login(captioner)
    page = client.get(url).content.decode()
    assert 'data-api="/api/sessions/' in page and "Authorization: Bearer dt_" in page
    # The session page offers the captioner page to captioners only.
    session_page = client.get(f"/e/{place.edition.slug}/s/{place.session.slug}/").content.decode()
    assert f'href="{url}">Write captions</a>' in session_page
