"""The platform's JSON API (django-ninja), mounted at /api/.

Reads are public where the pages are public; writes and a person's own data need the
Django session cookie (conference.api_auth: 401 without a login, then the CSRF check on unsafe methods).
Every error body has the same shape as the service errors: {"code", "message", "field"?}.
The interactive docs at /api/docs use the Swagger UI files shipped inside django-ninja
(served as static files because "ninja" is in INSTALLED_APPS), so they work offline."""


from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from attendance.api import router as attendance_router
from captions.api import router as captions_router
from programme.api import router as programme_router

from .errors import ServiceError, TooManyRequests

DESCRIPTION = """\
JSON API of the hybrid conference platform: editions, the programme, your registration,
enrolment in side events (with a waiting list) and your personal agenda.

**Authentication.** Log in at `/accounts/login/`; the API uses the Django session cookie.
Requests that change anything (POST, PUT, PATCH, DELETE) must also send the `csrftoken`
cookie's value in the `X-CSRFToken` header.

**Times.** All moments are ISO 8601 in UTC; each edition and session carries the venue's
IANA `time_zone` so clients can show venue-local time next to the viewer's own.

**Errors.** `{"code": "...", "message": "...", "field": "..."}` (field only when one input
is at fault). Validation errors (422) add `detail`, a list of every problem found.
"""

UNSAFE = {"post", "put", "patch", "delete"}
CSRF_SCHEME = {
    "type": "apiKey", "in": "header", "name": "X-CSRFToken",
    "description": "The value of the `csrftoken` cookie (set by any page with a form, e.g. /accounts/login/). "
                   "Required with the session cookie on every request that changes something.",
}


class ConferenceAPI(NinjaAPI):
    """The document says what a generated client needs: the server's address, that unsafe calls send
    the CSRF header along with the session cookie, and that public reads need no authentication."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["servers"] = [{"url": settings.SITE_URL, "description": "This platform"}]
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        cookies = {name for name, scheme in schemes.items() if scheme.get("in") == "cookie"}
        schemes["CSRFToken"] = CSRF_SCHEME
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if not operation.get("security"):
                    operation["security"] = []  # public: no authentication at all
                elif method in UNSAFE:  # cookie authentication needs the CSRF header; a bearer token does not
                    operation["security"] = [{**requirement, "CSRFToken": []} if cookies & set(requirement)
                                             else requirement for requirement in operation["security"]]
        return schema


api = ConferenceAPI(
    title="Conference platform API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
)


# --- errors: one shape everywhere ---------------------------------------------------------


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "login_required", "message": "Log in first: the API uses your session cookie (/accounts/login/)."}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "csrf" in exc.message.lower():
        body = {
            "code": "csrf_failed",
            "message": "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.",
        }
    elif exc.status_code == 400 and "parse request body" in exc.message:
        body = {"code": "invalid_json", "message": "The request body is not valid JSON.", "field": "body"}
    else:
        body = {"code": f"http_{exc.status_code}", "message": exc.message}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "message": "Not found."}, status=404)


def _field_name(loc: list | tuple) -> str:
    """ninja locations look like ["body", "payload", "title"], ["query", "day"], ["path", "session_id"]:
    keep the part a client knows, the field's own name (dotted when nested)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] or parts[1:]  # drop "body" and the handler's parameter name
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"field": _field_name(err.get("loc", ())), "message": err.get("msg", "Invalid value."),
         "type": err.get("type", "invalid"), "loc": list(err.get("loc", ()))}
        for err in exc.errors
    ]
    first = detail[0] if detail else {"field": "body", "message": "Invalid request."}
    body = {
        "code": "validation_error",
        "message": "; ".join(f"{d['field']}: {d['message']}" for d in detail) or first["message"],
        "field": first["field"],
        "detail": detail,
    }
    return api.create_response(request, body, status=422)


api.add_router("/", programme_router)
api.add_router("/", attendance_router)
api.add_router("/", captions_router)
