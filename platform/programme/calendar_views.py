from django.http import HttpResponse, JsonResponse

from conference.web import page_errors

from . import frab, services


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
