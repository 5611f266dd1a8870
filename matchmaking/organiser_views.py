"""The organisers' dashboard: counts, settings and slots, phases, automatic scheduling,
locking and publishing the final agendas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from conference.errors import ServiceError

from . import access, availability, organiser, queries
from .forms import SettingsForm, SlotsForm
from .models import MatchmakingEvent, MeetingRequest
from .views import _back, _context, matchmaking_page

REPORT_KEY = "matchmaking-report-{}"  # the last scheduler report, kept in the organiser's session


def _settings_initial(event: MatchmakingEvent) -> dict:
    closes = event.booking_closes_at.astimezone(event.session.edition.tz) if event.booking_closes_at else None
    return {"meeting_minutes": event.meeting_minutes, "tables": event.tables,
            "video_link_template": event.video_link_template, "slot_choice": event.slot_choice,
            "booking_closes_at": closes.replace(tzinfo=None) if closes else None}


@login_required
@matchmaking_page
def dashboard(request, edition, session):
    event = access.get_event(edition, session, request.user)
    counts = queries.dashboard(request.user, event)  # checks the organiser role
    meetings = event.requests.filter(status__in=[MeetingRequest.Status.SCHEDULED, MeetingRequest.Status.ACCEPTED])
    context = _context(
        request, event, counts=counts, report=request.session.get(REPORT_KEY.format(event.pk)),
        settings_form=SettingsForm(initial=_settings_initial(event)), slots_form=SlotsForm(),
        slots=list(event.slots.all()), blocked=availability.plenary_blocks(event, list(event.slots.all())),
        meetings=meetings.select_related("requester__user__profile", "recipient__user__profile", "slot")
        .order_by("slot__starts_at", "table", "id"),
        next_phases=[(p, MatchmakingEvent.Phase(p).label) for p in MatchmakingEvent.Phase.values
                     if p in organiser.NEXT_PHASES[MatchmakingEvent.Phase(event.phase)]],
    )
    return render(request, "matchmaking/dashboard.html", context)


@login_required
@require_POST
@matchmaking_page
def change(request, edition, session, action):
    event = access.get_event(edition, session, request.user)
    try:
        _change(request, event, action)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(event, "matchmaking-dashboard")


def _change(request, event: MatchmakingEvent, action: str) -> None:
    if action == "settings":
        form = SettingsForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(f"{form.fields[name].label}: {' '.join(str(m) for m in errors)}"
                                              for name, errors in form.errors.items()))
            return
        fields = dict(form.cleaned_data)
        if fields["booking_closes_at"]:  # typed in venue time
            fields["booking_closes_at"] = timezone.make_aware(fields["booking_closes_at"].replace(tzinfo=None),
                                                              event.session.edition.tz)
        organiser.configure_event(request.user, event.session, **fields)
        messages.success(request, "Settings saved.")
    elif action == "slots":
        slots_form = SlotsForm(request.POST)
        slots_form.is_valid()
        breaks = availability.parse_breaks(slots_form.cleaned_data.get("breaks", ""))
        created = organiser.generate_slots(request.user, event, breaks)
        messages.success(request, f"{len(created)} slots created.")
    elif action == "phase":
        event = organiser.set_phase(request.user, event, request.POST.get("phase", ""))
        messages.success(request, f"The event is now in phase “{event.get_phase_display()}”.")
    elif action == "schedule":
        _schedule(request, event)
    elif action == "lock":
        ids = request.POST.getlist("meeting") or None
        count = organiser.set_locked(request.user, event, ids, request.POST.get("locked", "1") == "1")
        messages.success(request, f"{count} meeting{'s' if count != 1 else ''} updated.")
    else:
        messages.error(request, "Unknown action.")


def _schedule(request, event: MatchmakingEvent) -> None:
    report = organiser.schedule_accepted(request.user, event)
    names = {}
    for r in event.requests.filter(pk__in=[u.request_id for u in report.unplaced]).select_related(
            "requester__user__profile", "recipient__user__profile"):
        names[r.pk] = f"{r.requester.name} and {r.recipient.name}"
    request.session[REPORT_KEY.format(event.pk)] = {
        "placed": report.placed_count, "seconds": round(report.seconds, 3),
        "unplaced": [{"pair": names.get(u.request_id, "?"), "why": u.message} for u in report.unplaced],
    }
    messages.success(request, f"The scheduler placed {report.placed_count} meetings; "
                              f"{len(report.unplaced)} could not be placed.")

