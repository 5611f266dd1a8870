"""Helpers shared by the server-rendered pages."""

import functools

from django.contrib import messages
from django.http import HttpResponseNotFound, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import NotFound, ServiceError


def back_to(request, fallback: str) -> str:
    """Where a form posts back to: a safe `next` parameter, else the fallback page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def page_errors(view):
    """Turn service errors into a 404 page, or a message shown after redirecting back."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            html = render_to_string("404.html", {"message": exc.message}, request=request)
            return HttpResponseNotFound(html)
        except ServiceError as exc:
            if request.method != "POST":
                raise
            messages.error(request, exc.message)
            return HttpResponseRedirect(back_to(request, request.path))

    return wrapper
