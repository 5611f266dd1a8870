import datetime as dt

import pytest

from conference.errors import Forbidden, InvalidInput, NotFound
from programme import services
from programme.models import Edition, Session
from rooms.models import Room
from tests.fixtures.factories import at, make_edition, make_session, make_user

pytestmark = pytest.mark.django_db


def test_organiser_creates_session_with_live_room(edition, organiser):
    session = services.create_session(
        organiser, edition, title="Opening plenary", starts_at=at(edition, 0, 14), ends_at=at(edition, 0, 15),
        attendance_format="hybrid", location="Main hall",
    )
    assert session.slug == "opening-plenary"
    assert Room.objects.get(session=session).name == "Opening plenary"


def test_in_person_session_gets_no_live_room(edition, organiser):
    session = services.create_session(
        organiser, edition, title="Site visit", starts_at=at(edition, 0, 14), ends_at=at(edition, 0, 15),
        attendance_format="in_person",
    )
    assert not Room.objects.filter(session=session).exists()


def test_reversed_times_are_rejected_and_nothing_is_stored(edition, organiser):
    with pytest.raises(InvalidInput) as error:
        services.create_session(organiser, edition, title="Backwards", starts_at=at(edition, 0, 15),
                                ends_at=at(edition, 0, 14))
    assert error.value.field == "ends_at"
    assert "end after it starts" in error.value.message
    assert not Session.objects.filter(title="Backwards").exists()


def test_overlap_in_the_same_location_is_rejected(edition, organiser):
    make_session(edition, title="Keynote", location="Main hall", starts_at=at(edition, 0, 9),
                 ends_at=at(edition, 0, 10))
    with pytest.raises(InvalidInput, match="Main hall is already used by “Keynote”"):
        services.create_session(organiser, edition, title="Clash", location="main hall",
                                starts_at=at(edition, 0, 9, 30), ends_at=at(edition, 0, 11))
    # Parallel sessions in other rooms, and back-to-back sessions, are normal.
    services.create_session(organiser, edition, title="Parallel", location="Room B",
                            starts_at=at(edition, 0, 9, 30), ends_at=at(edition, 0, 11))
    services.create_session(organiser, edition, title="Next", location="Main hall",
                            starts_at=at(edition, 0, 10), ends_at=at(edition, 0, 11))
    assert not Session.objects.filter(title="Clash").exists()


def test_session_outside_edition_dates_is_rejected(edition, organiser):
    with pytest.raises(InvalidInput, match="during the edition"):
        services.create_session(organiser, edition, title="Too late", starts_at=at(edition, 5, 9),
                                ends_at=at(edition, 5, 10))


def test_non_organiser_cannot_edit_programme(edition):
    session = make_session(edition, title="Original")
    outsider = make_user("Mallory")
    with pytest.raises(Forbidden):
        services.update_session(outsider, session, title="Hijacked")
    with pytest.raises(Forbidden):
        services.create_session(outsider, edition, title="New", starts_at=at(edition, 0, 9),
                                ends_at=at(edition, 0, 10))
    session.refresh_from_db()
    assert session.title == "Original"


def test_moving_a_session_keeps_its_guid_and_checks_times(edition, organiser):
    session = make_session(edition, location="Main hall")
    guid = session.guid
    moved = services.update_session(organiser, session, starts_at=at(edition, 1, 9), ends_at=at(edition, 1, 10))
    assert moved.guid == guid and moved.starts_at == at(edition, 1, 9)
    with pytest.raises(InvalidInput):
        services.update_session(organiser, session, ends_at=at(edition, 1, 8))
    session.refresh_from_db()
    assert session.ends_at == at(edition, 1, 10)


def test_unknown_fields_and_bad_choices_are_rejected(edition, organiser):
    with pytest.raises(InvalidInput, match="Unknown field"):
        services.create_session(organiser, edition, title="X", colour="red",
                                starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    with pytest.raises(InvalidInput) as error:
        services.create_session(organiser, edition, title="X", kind="party",
                                starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10))
    assert error.value.field == "kind"


def test_programme_days_group_by_venue_date():
    edition = make_edition(time_zone="America/Los_Angeles", start_date=dt.date(2030, 3, 1),
                           end_date=dt.date(2030, 3, 2))
    late = make_session(edition, title="Late", starts_at=at(edition, 0, 22), ends_at=at(edition, 0, 23))
    early = make_session(edition, title="Early", starts_at=at(edition, 1, 8), ends_at=at(edition, 1, 9))
    days = services.programme_days(edition)
    # 22:00 in Los Angeles is already the next day in UTC, but belongs to day one at the venue.
    assert [(d.date, [s.title for s in d.sessions]) for d in days] == [
        (dt.date(2030, 3, 1), [late.title]), (dt.date(2030, 3, 2), [early.title])]


def test_draft_editions_are_hidden_from_the_public(organiser):
    draft = make_edition(status=Edition.Status.DRAFT)
    with pytest.raises(NotFound):
        services.get_edition(draft.slug, make_user())
    from programme.models import EditionRole

    EditionRole.objects.create(edition=draft, user=organiser, role="organiser")
    assert services.get_edition(draft.slug, organiser) == draft


def test_unknown_time_zone_is_rejected_on_editions():
    from django.core.exceptions import ValidationError

    edition = make_edition()
    edition.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError, match="Unknown time zone"):
        edition.full_clean()
