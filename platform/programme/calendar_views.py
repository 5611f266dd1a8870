from django.http import HttpResponse

from attendance.services import registration_of
from conference.web import page_errors

from . import services
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
