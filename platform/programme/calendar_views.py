import json

from django.core.serializers.json import DjangoJSONEncoder

from conference.web import feed_response, page_errors

from . import frab, services


def _schedule(request, edition_slug):
    edition = services.get_edition(edition_slug, request.user)
    sessions = list(services.edition_sessions(edition))
    latest = max((s.updated_at for s in sessions), default=None)
    return frab.build_schedule(edition, sessions), latest, edition.is_public


@page_errors
def schedule_xml(request, edition):
    """frab schedule.xml for schedule apps (Giggity, ConfClerk) and recording tools."""
    document, latest, public = _schedule(request, edition)
    return feed_response(request, frab.to_xml(document), "application/xml; charset=utf-8",
                         last_modified=latest, public=public)


@page_errors
def schedule_json(request, edition):
    """The same schedule in the c3voc schedule.json shape."""
    document, latest, public = _schedule(request, edition)
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
    return feed_response(request, body, "application/json", last_modified=latest, public=public)
