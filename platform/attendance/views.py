import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conference.web import back_to, feed_response, page_errors
from people.models import Profile
from people.services import profile_of, rotate_feed_token
from people.verification import email_verified
from people.views import verification_required
from programme import services as programme
from programme.ics import session_calendar

from . import services
from .agenda import entries_of
from .calendar import agenda_calendar
from .models import Enrolment


@login_required
@page_errors
def register(request, edition):
    edition = programme.get_edition(edition, request.user)
    registration = services.registration_of(request.user, edition)
    if registration is None and not email_verified(request.user):
        return verification_required(request, f"register for {edition.title}")
    if request.method == "POST":
        action = request.POST.get("action", "register")
        if action == "cancel":
            services.cancel_registration(request.user, edition)
            messages.success(request, f"Your registration for {edition.title} is cancelled.")
        elif registration:
            services.change_mode(request.user, edition, request.POST.get("mode", ""))
            messages.success(request, "Your attendance mode is changed.")
        else:
            services.register(request.user, edition, request.POST.get("mode", ""))
            messages.success(request, f"You are registered for {edition.title}.")
        return redirect(back_to(request, reverse("edition", args=[edition.slug])))
    return render(request, "attendance/register.html",
                  {"edition": edition, "registration": registration, "modes": services.modes_for(edition)})


def _session(request, edition_slug, session_slug):
    edition = programme.get_edition(edition_slug, request.user)
    return programme.get_session(edition, session_slug)


@login_required
@require_POST
@page_errors(back="session")
def enrol(request, edition, session):
    session = _session(request, edition, session)
    if request.POST.get("action") == "leave":
        services.leave(request.user, session)
        messages.success(request, f"You left “{session.title}”.")
    else:
        enrolment = services.enrol(request.user, session)
        if enrolment.status == Enrolment.Status.WAITLISTED:
            messages.warning(request, f"“{session.title}” is full: you are number "
                                      f"{services.waiting_position(enrolment)} on the waiting list.")
        else:
            messages.success(request, f"You have a place in “{session.title}”.")
    return redirect(back_to(request, reverse("session", args=[session.edition.slug, session.slug])))


@login_required
@require_POST
@page_errors(back="session")
def bookmark(request, edition, session):
    session = _session(request, edition, session)
    if request.POST.get("action") == "remove":
        services.remove_bookmark(request.user, session)
        messages.success(request, f"Removed “{session.title}” from your agenda.")
    else:
        services.bookmark(request.user, session)
        messages.success(request, f"Added “{session.title}” to your agenda.")
    return redirect(back_to(request, reverse("session", args=[session.edition.slug, session.slug])))


@login_required
def agenda(request):
    entries = entries_of(request.user)
    feed_url = request.build_absolute_uri(reverse("agenda-feed", args=[profile_of(request.user).feed_token]))
    return render(request, "attendance/agenda.html", {
        "entries": entries, "feed_url": feed_url, "conflicts": sum(1 for e in entries if e.conflicts),
        "editions": list({e.edition.pk: e.edition for e in entries}.values()),  # for their track colours
    })


def agenda_feed(request, token):
    """Calendar subscription URL: the secret token stands in for a login."""
    # Tokens are URL-safe base64 (secrets.token_urlsafe). str.isalnum() would also accept
    # non-ASCII letters and digits such as "é", so match the alphabet exactly.
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token):
        return HttpResponse("Malformed calendar token.", status=400, content_type="text/plain")
    profile = Profile.objects.filter(feed_token=token).select_related("user").first()
    if profile is None:
        return HttpResponse("Unknown or revoked calendar token.", status=404, content_type="text/plain")
    sessions = list(services.agenda(profile.user))
    body = agenda_calendar(profile.user, sessions)
    latest = max((s.updated_at for s in sessions), default=None)
    return feed_response(request, body, "text/calendar; charset=utf-8", last_modified=latest)


@login_required
@require_POST
def rotate_feed(request):
    rotate_feed_token(request.user)
    messages.success(request, "Your calendar link is renewed; the old one no longer works.")
    return redirect("agenda")




@page_errors
def session_ics(request, edition, session):
    """One session as .ics; its location is the join link for someone attending online."""
    edition = programme.get_edition(edition, request.user)
    session = programme.get_session(edition, session)
    registration = services.registration_of(request.user, edition)
    online = registration.mode == "online" if registration else edition.format == "virtual"
    response = feed_response(request, session_calendar(session, online=online), "text/calendar; charset=utf-8",
                             last_modified=session.updated_at, public=edition.is_public and registration is None)
    response["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    return response
