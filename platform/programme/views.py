import datetime as dt
import hashlib

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from conference.errors import ServiceError
from conference.web import page_errors
from people import services as people

from . import extensions, materials, services, timetable
from .filters import ProgrammeFilters
from .permissions import is_organiser
from .templatetags.programme_tags import clocks_differ


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


def _grid_day(days: list[dt.date], wanted: dt.date | None, edition) -> dt.date | None:
    """The day the timetable shows: the one asked for, else today at the venue, else the first."""
    if not days:
        return None
    if wanted in days:
        return wanted
    today = timezone.now().astimezone(edition.tz).date()
    return today if today in days else days[0]


@page_errors
def programme(request, edition):
    edition = services.get_edition(edition, request.user)
    filters = ProgrammeFilters.from_request(request, edition)
    every_session = services.edition_sessions(edition)
    sessions = filters.apply(every_session)
    all_days = services.session_days(edition)
    context = {
        "edition": edition,
        "filters": filters,
        "chips": filters.chips(edition),
        "all_days": all_days,
        "session_count": sessions.count(),
        "show_viewer_zone": clocks_differ(edition, request.viewer_time_zone),
        **extensions.programme_page.collect(request, edition),  # agenda bookmarks, replays
    }
    if filters.view == "grid":
        day = _grid_day(all_days, filters.day, edition)
        context["day"] = day
        context["grid"] = timetable.build(edition, list(sessions), day) if day else None
        context["day_links"] = [(d, filters.url(day=d.isoformat())) for d in all_days]
    else:
        if filters.day:
            start = dt.datetime.combine(filters.day, dt.time(), tzinfo=edition.tz)
            sessions = sessions.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
        context["days"] = services.programme_days(edition, sessions)
        context["day_links"] = [(d, filters.url(day=d.isoformat())) for d in all_days]
        context["all_days_url"] = filters.url(day="")
    context["list_url"] = filters.url(view="list")
    context["grid_url"] = filters.url(view="grid")
    context["clear_url"] = "?view=grid" if filters.view == "grid" else "?"
    return render(request, "programme/programme.html", context)


@require_GET
@page_errors
def tracks_css(request, edition):
    """The edition's track colours as a stylesheet (classes track-<slug>), so pages need no inline styles."""
    edition = services.get_edition(edition, request.user)
    rules = [f".track-{t.slug} {{ --track: {t.colour}; }}" for t in edition.tracks.all()]
    body = "\n".join(rules) + "\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["ETag"] = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@page_errors
def session_detail(request, edition, session):
    edition = services.get_edition(edition, request.user)
    session = services.get_session(edition, session)
    context = {
        "edition": edition,
        "session": session,
        "show_viewer_zone": clocks_differ(edition, request.viewer_time_zone),
        "ics_url": reverse("session-ics", args=[edition.slug, session.slug]),
        "materials": session.materials.all(),
        "may_manage_materials": materials.may_manage(request.user, session),
        "material_kinds": materials.Material.Kind.choices,
        "materials_max_mb": materials.max_bytes() // (1024 * 1024),
        **extensions.session_page.collect(request, session),  # registration, enrolment, live room...
    }
    return render(request, "programme/session.html", context)


@page_errors
def speakers(request, edition):
    edition = services.get_edition(edition, request.user)
    return render(request, "programme/speakers.html",
                  {"edition": edition, "speakers": services.edition_speakers(edition)})


@page_errors
def speaker(request, edition, person):
    edition = services.get_edition(edition, request.user)
    user, sessions = services.get_speaker(edition, person)
    own = request.user.is_authenticated and (request.user.pk == user.pk or is_organiser(request.user, edition))
    if request.method == "POST" and own:
        try:
            people.set_photo(user, None if request.POST.get("action") == "remove" else request.FILES.get("photo"))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The photo is saved.") if request.POST.get("action") != "remove"
                             else _("The photo is removed."))
        return redirect("speaker", edition=edition.slug, person=user.pk)
    return render(request, "programme/speaker.html", {
        "edition": edition, "speaker": user, "profile": getattr(user, "profile", None), "sessions": sessions,
        "may_edit": own, "photo_max_mb": settings.PHOTO_MAX_MB,
        "show_viewer_zone": clocks_differ(edition, request.viewer_time_zone),
        **extensions.programme_page.collect(request, edition),  # agenda bookmarks, replays
    })


@page_errors
def speaker_photo(request, edition, person):
    edition = services.get_edition(edition, request.user)
    user, _sessions = services.get_speaker(edition, person)
    profile = getattr(user, "profile", None)
    if profile is None or not profile.photo:
        raise Http404
    response = FileResponse(profile.photo.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"  # a new photo gets a new file name
    return response


def archive(request):
    return render(request, "programme/archive.html", {"editions": services.past_editions()})
