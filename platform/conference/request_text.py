"""Addresses and query strings follow the platform's text rule (conference.text) too.

Path segments (slugs) and query parameters (filters, searches) reach the services as lookup
keys, with no form or schema in between: a `%00` in them would make PostgreSQL fail with a
server error. This middleware answers such a request with a 400 that says what is wrong, as a
page or, under /api/, as the API's error body. Form fields and JSON bodies are checked field
by field by their forms and schemas (conference.forms, conference.schema)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from . import text


def _problem(request: HttpRequest) -> tuple[str, str] | None:
    """(where, why) for the first forbidden character in the path or the query, or None."""
    reason = text.problem(request.path, multiline=True)
    if reason:
        return "path", f"The address {reason}."
    for key, values in request.GET.lists():
        for value in [key, *values]:
            reason = text.problem(value, multiline=True)
            if reason:
                name = key if text.problem(key, multiline=True) is None else "query"
                return name, f"The parameter “{name}” {reason}."
    return None


class RefuseForbiddenCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _problem(request)
        if found is None:
            return self.get_response(request)
        field, message = found
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "invalid", "message": message, "field": field}, status=400)
        html = render_to_string("400.html", {"message": message}, request=request)
        return HttpResponse(html, status=400)
