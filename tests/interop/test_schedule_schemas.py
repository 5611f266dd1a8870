"""Every edition's schedule.xml and schedule.json pass the c3voc validators (the XSD and the JSON
schema the voc tools use, vendored in tests/interop/c3voc/ with their EUPL licence)."""

import json
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from demo.builder import load_demo
from programme.models import Edition, Material, Session
from tests.fixtures.factories import at, make_session, make_user

pytestmark = pytest.mark.django_db

C3VOC = Path(__file__).parent / "c3voc"


@pytest.fixture(scope="module")
def xsd():
    return xmlschema.XMLSchema(C3VOC / "schedule.xml.xsd")


@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads((C3VOC / "schema.json").read_text())
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def check(client, edition: Edition, xsd, json_validator) -> dict:
    xml = client.get(f"/e/{edition.slug}/schedule.xml")
    assert xml.status_code == 200
    errors = [str(error) for error in xsd.iter_errors(xml.content)]
    assert errors == [], f"{edition.slug}: schedule.xml: {errors[:3]}"
    document = json.loads(client.get(f"/e/{edition.slug}/schedule.json").content)
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in json_validator.iter_errors(document)]
    assert problems == [], f"{edition.slug}: schedule.json: {problems[:3]}"
    return document


def test_every_demo_edition_passes_the_c3voc_schemas(client, xsd, json_validator):
    load_demo()
    editions = list(Edition.objects.all())
    assert {e.slug for e in editions} >= {"ecc-2020", "ecc-2022", "demo"}
    for edition in editions:
        document = check(client, edition, xsd, json_validator)
        assert document["schedule"]["conference"]["acronym"] == edition.slug.replace("-", "")


def test_odd_slugs_tracks_materials_and_people_still_pass(client, xsd, json_validator, edition, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    edition.slug = "ecc"  # shorter than an acronym may be
    edition.save()
    session = make_session(edition, title="Q&A", slug="qa", track="2030 vision", location="Hall “A” & <B>",
                           starts_at=at(edition, 0, 9, 7), ends_at=at(edition, 0, 9, 52))
    session.speakers.add(make_user("Zoë <O'Brien> & Co"))
    Material.objects.create(session=session, title="Slides", url="https://example.org/slides.pdf")
    Material.objects.create(session=session, title="Notes", kind=Material.Kind.LINK, url="https://example.org/n")
    make_session(edition, title="Online only", slug="online_only_", attendance_format="online",
                 starts_at=at(edition, 1, 23), ends_at=at(edition, 1, 23, 59), track="Green_Deal")
    make_session(edition, title="Called off", status=Session.Status.CANCELLED, starts_at=at(edition, 0, 9, 7),
                 ends_at=at(edition, 0, 10), location="Hall “A” & <B>")
    document = check(client, edition, xsd, json_validator)
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "ecc2030"
    assert {t["slug"] for t in conference["tracks"]} == {"track-2030-vision", "green-deal"}
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    assert {e["slug"] for e in events} == {f"ecc2030-session-{session.pk}-qa", "ecc2030-online_only"}
    [qa] = [e for e in events if e["title"] == "Q&A"]
    assert {"url": "https://example.org/slides.pdf", "title": "Slides", "type": "slides"} in qa["links"]
