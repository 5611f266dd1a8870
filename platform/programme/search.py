"""Full-text search of a programme: titles, abstracts and speakers' names.

On PostgreSQL the search uses its full-text engine (django.contrib.postgres): `websearch_to_tsquery`
understands what people type into search boxes — words, "a quoted phrase", -excluded, `or` — and
never fails on stray operators, quotes or brackets. On SQLite the same syntax is parsed here and
matched word by word (case-insensitive substrings), so searches behave alike in development.

Queries are cut to MAX_QUERY characters and MAX_TERMS terms: a pasted page of text is searched by
its beginning, and the page says so, instead of an error or a query that takes the server down."""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Session

MAX_QUERY = 200
MAX_TERMS = 12
# The text search configuration: English stemming ("clusters" finds "cluster"); words of other
# languages are still found as written.
CONFIG = "english"


@dataclass
class Query:
    """A parsed search: groups of terms joined by `or`; in each group every term must match."""

    text: str  # what was searched (after cutting)
    groups: list[list[tuple[str, bool]]] = field(default_factory=list)  # (term, negated)
    note: str = ""  # told to the person when their query was cut

    @property
    def empty(self) -> bool:
        return not any(term for group in self.groups for term, negated in group if not negated)


_UNSEARCHABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse(raw: str) -> Query:
    """Read a search box's text the way websearch_to_tsquery does, bounded in size."""
    # Control characters (NUL included) and lone surrogates cannot reach the database: spaces instead.
    text = " ".join(_UNSEARCHABLE.sub(" ", raw or "").split())
    note = ""
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY].rsplit(" ", 1)[0] or text[:MAX_QUERY]
        note = _("Your search was long: only its first %(n)d characters were used.") % {"n": MAX_QUERY}
    groups: list[list[tuple[str, bool]]] = [[]]
    terms = 0
    for match in _TOKEN.finditer(text):
        if match.group(3) is not None:
            word = match.group(3)
            if word.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated = word.startswith("-") and len(word) > 1
            term = word[1:] if negated else word
        else:
            negated, term = bool(match.group(1)), " ".join(match.group(2).split())
        term = term.strip("\"'()[]{}<>!&|:*")
        if not term:
            continue
        if terms == MAX_TERMS:
            note = note or _("Your search had many words: only the first %(n)d were used.") % {"n": MAX_TERMS}
            break
        groups[-1].append((term, negated))
        terms += 1
    return Query(text, [g for g in groups if g], note)


def _postgres(sessions: QuerySet[Session], query: Query) -> QuerySet[Session]:
    from django.contrib.postgres.search import SearchQuery, SearchVector

    search = SearchQuery(query.text, search_type="websearch", config=CONFIG)
    on_session = SearchVector("title", weight="A", config=CONFIG) + SearchVector("abstract", weight="B", config=CONFIG)
    ids = Session.objects.annotate(document=on_session).filter(document=search).values("pk")
    by_speaker = Session.objects.annotate(
        document=SearchVector("speakers__profile__name", "speakers__profile__organisation", config=CONFIG)
    ).filter(document=search).values("pk")
    return sessions.filter(Q(pk__in=ids) | Q(pk__in=by_speaker))


def _term_matches(term: str) -> Q:
    return (Q(title__icontains=term) | Q(abstract__icontains=term) | Q(speakers__profile__name__icontains=term)
            | Q(speakers__profile__organisation__icontains=term))


def _portable(sessions: QuerySet[Session], query: Query) -> QuerySet[Session]:
    any_group = Q(pk__in=[])
    for group in query.groups:
        wanted = [term for term, negated in group if not negated]
        if not wanted:
            continue
        ids = Session.objects.all()
        for term in wanted:
            ids = ids.filter(pk__in=Session.objects.filter(_term_matches(term)).values("pk"))
        for term in (term for term, negated in group if negated):
            ids = ids.exclude(pk__in=Session.objects.filter(_term_matches(term)).values("pk"))
        any_group |= Q(pk__in=ids.values("pk"))
    return sessions.filter(any_group)


def search(sessions: QuerySet[Session], query: Query) -> QuerySet[Session]:
    """The sessions among `sessions` that match; all of them for an empty query."""
    if query.empty:
        return sessions
    if connection.vendor == "postgresql":
        return _postgres(sessions, query)
    return _portable(sessions, query)
