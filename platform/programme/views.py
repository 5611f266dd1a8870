from django.shortcuts import redirect, render
from django.urls import reverse

from conference.web import page_errors

from . import extensions, services
from .permissions import is_organiser


def home(request):
    edition = services.current_edition()
    if edition is None:
        return render(request, "programme/empty.html")
    return redirect("edition", edition=edition.slug)


@page_errors
def edition_home(request, edition):
    edition = services.get_edition(edition, request.user)
    sessions = services.edition_sessions(edition)
    context = {
        "edition": edition,
        "side_events": [s for s in sessions if s.kind == s.Kind.SIDE_EVENT or s.kind == s.Kind.MATCHMAKING],
        "session_count": len(sessions),
        "happening": services.happening_now(sessions),
        "is_organiser": is_organiser(request.user, edition),
        **extensions.edition_page.collect(request, edition),
    }
    return render(request, "programme/edition.html", context)


@page_errors
def programme(request, edition):
    edition = services.get_edition(edition, request.user)
    sessions = services.edition_sessions(edition)
    kind = request.GET.get("kind", "")
    if kind:
        sessions = sessions.filter(kind=kind)
    context = {
        "edition": edition,
        "days": services.programme_days(edition, sessions),
        "kinds": sessions.model.Kind.choices,
        "kind": kind,
        "show_viewer_zone": request.viewer_time_zone != edition.time_zone,
        **extensions.programme_page.collect(request, edition),
    }
    return render(request, "programme/programme.html", context)


@page_errors
def session_detail(request, edition, session):
    edition = services.get_edition(edition, request.user)
    session = services.get_session(edition, session)
    context = {
        "edition": edition,
        "session": session,
        "show_viewer_zone": request.viewer_time_zone != edition.time_zone,
        "ics_url": reverse("session-ics", args=[edition.slug, session.slug]),
        **extensions.session_page.collect(request, session),  # registration, enrolment, live room...
    }
    return render(request, "programme/session.html", context)


def archive(request):
    return render(request, "programme/archive.html", {"editions": services.past_editions()})
