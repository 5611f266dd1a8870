"""Speaker pages (photo, bio, organisation, sessions) and session materials (slides, links)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programme.models import Material, Session
from tests.fixtures.factories import at, make_organiser, make_session, make_user, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5cad").save(buffer, "PNG")
    return buffer.getvalue()


def pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def speaker(edition):
    person = make_user("Jana Nováková", organisation="Moravian Cluster", country="CZ",
                       bio="Runs a cluster of 120 companies.")
    session = make_session(edition, title="Opening plenary", slug="opening", starts_at=at(edition, 0, 9),
                           ends_at=at(edition, 0, 10))
    session.speakers.add(person)
    return person


def test_speaker_page_has_bio_organisation_and_sessions(client, edition, speaker):
    html = client.get(f"/e/{edition.slug}/speakers/").content.decode()
    assert f'href="/e/{edition.slug}/speakers/{speaker.pk}/"' in html and "Moravian Cluster" in html
    html = client.get(f"/e/{edition.slug}/speakers/{speaker.pk}/").content.decode()
    assert "<h1>Jana Nováková</h1>" in html
    assert "Moravian Cluster · Czechia" in html
    assert "Runs a cluster of 120 companies." in html
    assert 'data-session="opening"' in html
    # The session page links to the speaker page.
    session_page = client.get(f"/e/{edition.slug}/s/opening/").content.decode()
    assert f'href="/e/{edition.slug}/speakers/{speaker.pk}/"' in session_page


def test_people_who_do_not_speak_have_no_page(client, edition, speaker):
    other = make_user("Quiet Attendee")
    response = client.get(f"/e/{edition.slug}/speakers/{other.pk}/")
    assert response.status_code == 404
    assert "Nobody with this number speaks" in response.content.decode()
    assert client.get(f"/e/{edition.slug}/speakers/{other.pk}/photo").status_code == 404


def test_a_speaker_uploads_a_photo_shown_on_their_page(client, edition, speaker):
    client.force_login(speaker)
    url = f"/e/{edition.slug}/speakers/{speaker.pk}/"
    response = client.post(url, {"photo": SimpleUploadedFile("me.png", png(), "image/png")}, follow=True)
    assert "The photo is saved." in response.content.decode()
    speaker.profile.refresh_from_db()
    assert speaker.profile.photo.name.endswith(".png")
    html = client.get(url).content.decode()
    assert f'src="/e/{edition.slug}/speakers/{speaker.pk}/photo"' in html and 'alt="Photo of Jana Nováková"' in html
    client.logout()
    photo = client.get(url + "photo")
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == speaker.profile.photo.read()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("me.png", b"not an image at all", "not a photo we can show"),
    ("me.gif", b"GIF89a" + b"\x00" * 20, "not a photo we can show"),
])
def test_a_file_that_is_not_a_photo_is_refused(client, edition, speaker, name, content, message):
    client.force_login(speaker)
    response = client.post(f"/e/{edition.slug}/speakers/{speaker.pk}/",
                           {"photo": SimpleUploadedFile(name, content)}, follow=True)
    assert message in response.content.decode()
    speaker.profile.refresh_from_db()
    assert not speaker.profile.photo


def test_a_photo_too_large_is_refused(client, edition, speaker, settings):
    settings.PHOTO_MAX_MB = 0
    client.force_login(speaker)
    response = client.post(f"/e/{edition.slug}/speakers/{speaker.pk}/",
                           {"photo": SimpleUploadedFile("me.png", png(), "image/png")}, follow=True)
    assert "The photo is larger than 0 MB." in response.content.decode()


def test_others_cannot_change_a_speakers_photo(client, edition, speaker):
    client.force_login(make_user("Mallory"))
    client.post(f"/e/{edition.slug}/speakers/{speaker.pk}/", {"photo": SimpleUploadedFile("x.png", png())})
    speaker.profile.refresh_from_db()
    assert not speaker.profile.photo


def add(client, edition, **data):
    return client.post(f"/e/{edition.slug}/s/opening/materials", data, follow=True)


def test_speaker_uploads_slides_and_adds_a_link(client, edition, speaker):
    client.force_login(speaker)
    response = add(client, edition, title="Slides", kind="slides", file=SimpleUploadedFile("talk.pdf", PDF))
    assert "“Slides” is added to the session." in response.content.decode()
    response = add(client, edition, title="Recording notes", kind="paper", url="https://example.org/notes")
    html = response.content.decode()
    slides = Material.objects.get(title="Slides")
    assert slides.size == len(PDF) and slides.file.name.endswith("talk.pdf")
    assert f'href="/e/{edition.slug}/s/opening/materials/{slides.pk}/">Slides</a>' in html
    assert "PDF, 88 B" in html or "PDF" in html
    download = client.get(f"/e/{edition.slug}/s/opening/materials/{slides.pk}/")
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == PDF
    link = Material.objects.get(title="Recording notes")
    assert client.get(f"/e/{edition.slug}/s/opening/materials/{link.pk}/")["Location"] == "https://example.org/notes"
    # A PowerPoint file is a zip with its manifest and slides.
    add(client, edition, title="Deck", file=SimpleUploadedFile("deck.pptx", pptx()))
    assert Material.objects.filter(title="Deck").exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("talk.pdf", b"MZ\x90\x00 this is a program", "This file is not a PDF document"),
    ("talk.exe", b"MZ\x90\x00", "Upload a document: PDF, PowerPoint"),
    ("deck.pptx", b"PK\x03\x04 broken zip", "This file is not a PPTX document"),
    ("talk.html", b"<script>alert(1)</script>", "Upload a document"),
])
def test_files_that_are_not_documents_are_refused_and_nothing_is_kept(client, edition, speaker, settings,
                                                                       name, content, message):
    client.force_login(speaker)
    response = add(client, edition, title="Slides", file=SimpleUploadedFile(name, content))
    assert response.redirect_chain[-1][0] == f"/e/{edition.slug}/s/opening/"
    assert message in response.content.decode()
    assert not Material.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.*"))


def test_a_file_over_the_limit_is_refused(client, edition, speaker, settings):
    settings.MATERIALS_MAX_MB = 1
    client.force_login(speaker)
    big = PDF + b"0" * (1024 * 1024)
    response = add(client, edition, title="Slides", file=SimpleUploadedFile("talk.pdf", big))
    assert "The file is larger than 1 MB" in response.content.decode()
    assert not Material.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "", "url": "https://example.org"}, "Give the material a title"),
    ({"title": "Link", "url": "javascript:alert(1)"}, "Enter a full web address"),
    ({"title": "Nothing"}, "Choose a file to upload or give a link"),
])
def test_bad_material_input_is_explained(client, edition, speaker, data, message):
    client.force_login(speaker)
    assert message in add(client, edition, **data).content.decode()
    assert not Material.objects.exists()


def test_only_speakers_and_organisers_manage_materials(client, edition, speaker):
    client.force_login(make_user("Anna Attendee"))
    html = client.get(f"/e/{edition.slug}/s/opening/").content.decode()
    assert "Add slides, a paper or a link" not in html
    response = add(client, edition, title="Spam", url="https://spam.example")
    assert "speakers and the organisers can add materials." in response.content.decode()
    client.force_login(make_organiser(edition))
    add(client, edition, title="Programme notes", url="https://example.org/notes")
    material = Material.objects.get()
    client.force_login(speaker)
    client.post(f"/e/{edition.slug}/s/opening/materials/{material.pk}/delete")
    assert not Material.objects.exists()


def test_past_sessions_offer_materials_and_no_agenda_button(client, db):
    import datetime as dt

    from django.utils import timezone

    from streaming.models import StreamEndpoint
    from tests.fixtures.factories import make_edition

    now = timezone.now()
    edition = make_edition(start_date=(now - dt.timedelta(days=2)).date(), end_date=now.date(), time_zone="UTC")
    past = make_session(edition, title="Yesterday's panel", slug="yesterday", starts_at=now - dt.timedelta(days=1),
                        ends_at=now - dt.timedelta(days=1) + dt.timedelta(hours=1))
    Material.objects.create(session=past, title="Panel slides", url="https://example.org/slides.pdf")
    StreamEndpoint.objects.create(session=past, state=StreamEndpoint.State.REPLAY_AVAILABLE)
    reader = make_user("Archive Reader")
    register(reader, edition, "online")  # replays are for those who may be in the room
    client.force_login(reader)
    html = client.get(f"/e/{edition.slug}/programme/").content.decode()
    item = html[html.index('data-session="yesterday"'):]
    item = item[:item.index("</article>")]
    assert "Add to agenda" not in item
    assert "Panel slides" in item
    assert f'href="/rooms/{past.room.pk}/#stage"' in item and "Replay" in item
    html = client.get(f"/e/{edition.slug}/s/yesterday/").content.decode()
    assert "Add to my agenda" not in html and "Watch the replay" in html and "Panel slides" in html


def test_cancelled_sessions_never_offer_materials_upload_to_strangers(client, edition, speaker):
    Session.objects.filter(slug="opening").update(status=Session.Status.CANCELLED)
    response = client.get(f"/e/{edition.slug}/speakers/{speaker.pk}/")
    assert response.status_code == 404  # a speaker of cancelled sessions only has no public page
