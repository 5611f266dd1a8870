"""Authentication of the JSON API: the Django session cookie, as ninja's `django_auth`, but
a request without a logged-in session gets 401 `login_required` (docs/api.md) before the
CSRF check, instead of a 403 `csrf_failed` that would send a script looking for a missing
header when what it lacks is a login. A logged-in session must still pass the CSRF check on
unsafe methods (POST, PUT, PATCH, DELETE)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth


class LoggedInSession(SessionAuth):
    def __call__(self, request: HttpRequest) -> Any | None:
        if not request.user.is_authenticated:
            return None  # ninja answers 401 (conference.api turns it into login_required)
        return super().__call__(request)


session_auth = LoggedInSession()
