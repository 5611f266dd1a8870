from django.http import HttpResponse, JsonResponse

from attendance.services import registration_of
from conference.web import page_errors

from . import frab, services
from .ics import session_calendar


@page_errors
def session_ics(request, edition, session):
    edition = services.get_edition(edition, request.user)
    session = services.get_session(edition, session)
    registration = registration_of(request.user, edition)
    online = registration.mode == "online" if registration else edition.format == "virtual"
    response = HttpResponse(session_calendar(session, online=online), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    return response


@page_errors
def schedule_xml(request, edition):
    """frab schedule.xml for schedule apps (Giggity, ConfClerk) and recording tools."""
    edition = services.get_edition(edition, request.user)
    document = frab.build_schedule(edition, services.edition_sessions(edition))
    return HttpResponse(frab.to_xml(document), content_type="application/xml; charset=utf-8")


@page_errors
def schedule_json(request, edition):
    """The same schedule in the c3voc schedule.json shape."""
    edition = services.get_edition(edition, request.user)
    document = frab.build_schedule(edition, services.edition_sessions(edition))
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
