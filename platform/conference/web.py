"""Helpers shared by the server-rendered pages."""

import datetime as dt
import functools
import hashlib
import itertools

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseNotModified, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import http_date, url_has_allowed_host_and_scheme

from .errors import NotFound, ServiceError


def back_to(request, fallback: str) -> str:
    """Where a form posts back to: a safe `next` parameter, else the fallback page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _page_of(name: str, kwargs: dict) -> str:
    """The URL named `name` built from the view's own URL arguments (those it takes)."""
    for size in range(len(kwargs), -1, -1):
        for keys in itertools.combinations(kwargs, size):
            try:
                return reverse(name, kwargs={key: kwargs[key] for key in keys})
            except NoReverseMatch:
                continue
    raise NoReverseMatch(name)


def page_errors(view=None, *, back: str | None = None):
    """Turn service errors into a 404 page, or a message shown after redirecting back.

    A refused POST goes back to a safe `next`, else to the page named by `back` (reversed with
    the view's own URL arguments, e.g. the session page for the session's enrol URL), else to
    the same URL. POST-only views must name their page: redirecting a browser to a POST-only
    URL would end on a bare "405 Method Not Allowed" instead of the explanation."""

    def decorate(view):
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
                fallback = _page_of(back, kwargs) if back else request.path
                return HttpResponseRedirect(back_to(request, fallback))

        return wrapper

    return decorate(view) if view is not None else decorate


def feed_response(request, body: bytes, content_type: str, *, last_modified: dt.datetime | None = None,
                  public: bool = False) -> HttpResponse:
    """A calendar or schedule file that readers fetch again and again: with an ETag (a hash of the
    body) and Last-Modified, answering 304 Not Modified when the reader already has this body.

    Only If-None-Match decides a 304: the body also changes when an item leaves a feed (a removed
    bookmark, a deleted session), which no modification time records, whereas the hash always knows."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    matches = request.headers.get("If-None-Match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in matches.split(",")] or matches.strip() == "*":
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Readers must check back every time (cheap thanks to the ETag); personal feeds stay out of shared caches.
    response["Cache-Control"] = ("public" if public else "private") + ", no-cache"
    return response
