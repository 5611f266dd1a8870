"""The programme page: the day × room timetable, the list, search, filter chips and tracks."""

import re

import pytest
from django.db import connection

from programme import search, services
from programme.models import Session, Track
from tests.fixtures.factories import at, make_session, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(edition):
    jana = make_user("Jana Nováková", organisation="Moravian Cluster")
    opening = make_session(edition, title="Opening plenary", slug="opening", location="Forum Hall",
                           starts_at=at(edition, 0, 9), ends_at=at(edition, 0, 10, 30), track="Policy",
                           abstract="Welcome and keynote on industrial ecosystems.")
    opening.speakers.add(jana)
    make_session(edition, title="Hydrogen valleys workshop", slug="hydrogen", location="Room 2",
                 kind=Session.Kind.WORKSHOP, starts_at=at(edition, 0, 9, 30), ends_at=at(edition, 0, 11),
                 track="Green transition", abstract="Clusters building hydrogen supply chains.")
    make_session(edition, title="Digital skills panel", slug="skills", location="Forum Hall",
                 kind=Session.Kind.PANEL, starts_at=at(edition, 0, 11), ends_at=at(edition, 0, 12),
                 abstract="Training for the twin transition.")
    make_session(edition, title="Second day plenary", slug="day-two", location="Forum Hall",
                 starts_at=at(edition, 1, 9), ends_at=at(edition, 1, 10))
    return edition


def page(client, edition, query: str = "") -> str:
    response = client.get(f"/e/{edition.slug}/programme/{query}")
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    return re.findall(r'data-session="([^"]+)"', html)


def test_timetable_puts_each_session_in_its_room_column_for_its_duration(client, programme):
    html = page(client, programme, "?view=grid&day=2030-09-26")
    table = html[html.index("<table"):html.index("</table>")]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert headers == ["Forum Hall", "Room 2"]  # after the time column
    # Slots of 30 minutes from 09:00: the 90-minute opening spans 3 rows, the workshop starts a row later.
    assert re.search(r'<td rowspan="3" class="cell tracked track-policy" data-session="opening">', table)
    assert re.search(r'<td rowspan="3" class="cell tracked track-green-transition" data-session="hydrogen">', table)
    rows = table.split("<tr")
    first_row = next(r for r in rows if 'data-session="opening"' in r)
    assert '<time datetime="2030-09-26T09:00:00+02:00">09:00</time>' in first_row
    assert "hydrogen" not in first_row
    assert 'data-session="hydrogen"' in next(r for r in rows if ">09:30</time>" in r)
    assert "day-two" not in table  # another day
    assert "Second day plenary" not in table


def test_timetable_of_a_day_with_a_search_shows_only_the_matches(client, programme):
    html = page(client, programme, "?view=grid&day=2030-09-26&q=hydrogen")
    assert titles(html) == ["hydrogen"]
    assert "1 session matches." in html
    assert 'value="hydrogen"' in html  # the search box keeps the query


def test_search_finds_titles_abstracts_and_speakers(client, programme):
    assert titles(page(client, programme, "?q=welcome")) == ["opening"]  # abstract
    assert titles(page(client, programme, "?q=Nov%C3%A1kov%C3%A1")) == ["opening"]  # speaker
    assert titles(page(client, programme, "?q=moravian")) == ["opening"]  # speaker's organisation
    assert set(titles(page(client, programme, "?q=supply+chains"))) == {"hydrogen"}  # every word, anywhere


def test_search_operators_phrases_exclusion_and_or(client, programme):
    assert titles(page(client, programme, '?q="twin transition"')) == ["skills"]
    assert titles(page(client, programme, '?q="transition twin"')) == []
    assert titles(page(client, programme, "?q=supply+-hydrogen")) == []
    assert titles(page(client, programme, "?q=training+-hydrogen")) == ["skills"]
    assert set(titles(page(client, programme, "?q=hydrogen+or+keynote"))) == {"opening", "hydrogen"}


@pytest.mark.parametrize("query", ['"(((', "&|!:*", "-", "AND OR NOT", "hydrogen)", "'; DROP TABLE x; --"])
def test_odd_searches_are_answered_not_crashed(client, programme, query):
    response = client.get(f"/e/{programme.slug}/programme/", {"q": query})
    assert response.status_code == 200
    if "hydrogen" in query:
        assert titles(response.content.decode()) == ["hydrogen"]


def test_a_search_with_a_control_character_gets_a_clear_400(client, programme):
    response = client.get(f"/e/{programme.slug}/programme/", {"q": "\x00hydrogen"})
    assert response.status_code == 400  # the platform's text rule, before any view


def test_a_search_of_ten_thousand_characters_is_cut_and_says_so(client, programme):
    response = client.get(f"/e/{programme.slug}/programme/", {"q": "hydrogen " + "x" * 10_000})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"only its first {search.MAX_QUERY} characters were used" in html
    assert titles(html) == ["hydrogen"]  # searched by its beginning (up to the last whole word)
    many = " ".join(f"w{n}" for n in range(50))
    html = client.get(f"/e/{programme.slug}/programme/", {"q": many}).content.decode()
    assert f"only the first {search.MAX_TERMS} were used" in html


def test_parse_reads_what_people_type():
    query = search.parse('cluster "green deal" -hydrogen or skills')
    assert query.groups == [[("cluster", False), ("green deal", False), ("hydrogen", True)], [("skills", False)]]
    assert search.parse("  -only  ").empty
    assert search.parse("\ud800x\x00y").text == "x y"  # nothing the database cannot store


def test_filter_chips_toggle_kinds_and_tracks(client, programme):
    html = page(client, programme, "?kind=workshop")
    assert titles(html) == ["hydrogen"]
    # The active chip removes its filter; another chip adds to it.
    assert 'href="?" aria-current="true">Workshop' in html
    assert 'href="?kind=workshop&amp;kind=panel"' in html
    assert set(titles(page(client, programme, "?kind=workshop&kind=panel"))) == {"hydrogen", "skills"}
    assert titles(page(client, programme, "?track=policy")) == ["opening"]
    # Unknown values are ignored rather than refused.
    assert len(titles(page(client, programme, "?kind=bogus&track=nope&view=tables&day=notaday"))) == 4


def test_tracks_have_colours_in_a_stylesheet(client, programme):
    policy = Track.objects.get(edition=programme, name="Policy")
    assert re.fullmatch(r"#[0-9a-f]{6}", policy.colour)
    css = client.get(f"/e/{programme.slug}/tracks.css")
    assert css["Content-Type"].startswith("text/css")
    assert f".track-policy {{ --track: {policy.colour}; }}" in css.content.decode()
    # The track's name is always written next to its colour.
    assert '<span class="swatch" aria-hidden="true"></span>Policy' in page(client, programme)


def test_a_track_named_again_is_the_same_track(edition):
    organiser = make_user()
    from programme.models import EditionRole

    EditionRole.objects.create(edition=edition, user=organiser, role="organiser")
    first = services.create_session(organiser, edition, title="A", starts_at=at(edition, 0, 9),
                                    ends_at=at(edition, 0, 10), track="Digital")
    second = services.create_session(organiser, edition, title="B", starts_at=at(edition, 0, 10),
                                     ends_at=at(edition, 0, 11), track=" digital ")
    assert first.track == second.track
    assert edition.tracks.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search (stemming)")
def test_postgresql_search_stems_words(client, programme):
    assert set(titles(page(client, programme, "?q=cluster"))) >= {"hydrogen"}  # "Clusters building…"
