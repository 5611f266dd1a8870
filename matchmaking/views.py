"""Participants' pages: the event, profile and offers, marketplace, requests and agenda."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attendance.services import registration_of
from conference.errors import ServiceError
from conference.schema import as_id
from conference.web import back_to, page_errors
from programme.permissions import is_organiser

from . import access, availability, queries, services
from .forms import ListingForm, ProfileForm
from .models import Listing, MatchmakingEvent, Sector


def matchmaking_page(view):
    """page_errors, plus: a refusal on a page (not a form) is shown as a page with its message
    and status (403 for participants-only pages, 409 when booking is closed...), not a 500."""

    @functools.wraps(view)
    @page_errors
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            if request.method == "POST" or exc.status == 404:
                raise
            event_url = reverse("matchmaking-event", args=[kwargs["edition"], kwargs["session"]])
            return render(request, "matchmaking/refused.html", {"message": exc.message, "event_url": event_url},
                          status=exc.status)

    return wrapper


def _context(request, event: MatchmakingEvent, **extra) -> dict:
    edition = event.session.edition
    return {
        "event": event, "edition": edition, "session": event.session,
        "me": access.participant_of(request.user, event),
        "is_organiser": is_organiser(request.user, edition),
        "booking_open": access.booking_is_open(event),
        "show_viewer_zone": request.viewer_time_zone != edition.time_zone,
        **extra,
    }


def _back(event: MatchmakingEvent, page: str = "matchmaking-event", *args):
    return redirect(page, event.session.edition.slug, event.session.slug, *args)


def _form_errors(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@matchmaking_page
def event_home(request, edition, session):
    event = access.get_event(edition, session, request.user)
    form = ProfileForm(request.POST or None, initial=_profile_defaults(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.join(request.user, event, **form.cleaned_data)
        except ServiceError as exc:
            if exc.field not in form.fields:  # not about a field: say it above the page
                messages.error(request, exc.message)
                return _back(event)
            _form_errors(form, exc)
        else:
            messages.success(request, "You take part in the matchmaking. Add what you offer and look for.")
            return _back(event, "matchmaking-profile")
    context = _context(request, event, form=form,
                       registration=registration_of(request.user, event.session.edition),
                       slots=list(event.slots.all()))
    return render(request, "matchmaking/event.html", context, status=400 if form.errors else 200)


def _profile_defaults(user) -> dict:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None:
        return {}
    return {"organisation": profile.organisation, "country": profile.country}


@login_required
@matchmaking_page
def my_profile(request, edition, session):
    event = access.get_event(edition, session, request.user)
    me = access.require_participant(request.user, event)
    fields = ["organisation", "sector", "country", "cluster", "description"]
    form = ProfileForm(request.POST if request.POST.get("action") == "profile" else None,
                       initial={f: getattr(me, f) for f in fields})
    listing_form = ListingForm(request.POST if request.POST.get("action") == "listing" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "profile" and form.is_valid():
                services.update_profile(request.user, event, **form.cleaned_data)
                messages.success(request, "Your matchmaking profile is saved.")
                return _back(event, "matchmaking-profile")
            if action == "listing" and listing_form.is_valid():
                services.add_listing(request.user, event, **listing_form.cleaned_data)
                messages.success(request, "Added to your offers and requests.")
                return _back(event, "matchmaking-profile")
            if action == "remove-listing":
                services.remove_listing(request.user, event, as_id(request.POST.get("listing"), field="listing"))
                messages.success(request, "Removed.")
                return _back(event, "matchmaking-profile")
            if action == "availability":
                services.set_availability(request.user, event, request.POST.getlist("away"))
                messages.success(request, "Your availability is saved.")
                return _back(event, "matchmaking-profile")
        except ServiceError as exc:
            if action == "profile":
                _form_errors(form, exc)
            elif action == "listing":
                _form_errors(listing_form, exc)
            else:
                messages.error(request, exc.message)
                return _back(event, "matchmaking-profile")
    away = set(me.unavailable.values_list("slot_id", flat=True))
    busy = set(me.seats.values_list("slot_id", flat=True))
    bookable = {s.pk for s in availability.bookable_slots(event)}
    slots = [(s, s.pk in away, s.pk in busy) for s in event.slots.all() if s.pk in bookable]
    context = _context(request, event, form=form, listing_form=listing_form, slots=slots,
                       listings=me.listings.all())
    status = 400 if form.errors or listing_form.errors else 200
    return render(request, "matchmaking/profile.html", context, status=status)


@login_required
@matchmaking_page
def marketplace(request, edition, session):
    event = access.get_event(edition, session, request.user)
    filters = queries.Filters.from_query(request.GET)
    found = list(queries.marketplace(request.user, event, filters))
    me = access.participant_of(request.user, event)
    context = _context(
        request, event, found=found, filters=filters, sectors=Sector.choices, categories=Listing.Category.choices,
        countries=sorted({p.country for p in event.participants.exclude(country="")}, key=lambda c: c.name),
        open_with=queries.open_requests_with(me) if me else {},
    )
    return render(request, "matchmaking/marketplace.html", context)


@login_required
@matchmaking_page
def participant(request, edition, session, participant_id):
    event = access.get_event(edition, session, request.user)
    other = queries.profile(request.user, event, participant_id)
    if request.method == "POST":
        try:
            services.request_meeting(request.user, event, other.pk, request.POST.get("note", ""),
                                     request.POST.get("slot") or None)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return _back(event, "matchmaking-participant", other.pk)
        messages.success(request, f"Your meeting request is sent to {other.name}.")
        return _back(event, "matchmaking-requests")
    me = access.participant_of(request.user, event)
    context = _context(request, event, other=other,
                       existing=queries.open_requests_with(me).get(other.pk) if me else None,
                       free_slots=queries.free_slots_for(event, me, other) if me and me.pk != other.pk else [])
    return render(request, "matchmaking/participant.html", context)


@login_required
@matchmaking_page
def my_requests(request, edition, session):
    event = access.get_event(edition, session, request.user)
    me = access.require_participant(request.user, event)
    lists = queries.requests_of(me)
    for item in lists["incoming"]:
        if item.status == item.Status.PENDING:
            item.free_slots = queries.free_slots_for(event, me, item.requester)
    context = _context(request, event, **lists)
    return render(request, "matchmaking/requests.html", context)


@login_required
@require_POST
@matchmaking_page
def request_action(request, edition, session, request_id, action):
    event = access.get_event(edition, session, request.user)
    note, slot = request.POST.get("note", ""), request.POST.get("slot") or None
    done = {
        "accept": lambda: services.accept(request.user, event, request_id, note, slot),
        "decline": lambda: services.decline(request.user, event, request_id, note),
        "cancel": lambda: services.cancel(request.user, event, request_id, note),
        "reschedule": lambda: services.reschedule(request.user, event, request_id, slot),
        "feedback": lambda: services.record_feedback(request.user, event, request_id,
                                                     request.POST.get("happened") == "yes"),
    }
    if action not in done:
        messages.error(request, "Unknown action.")
        return redirect(back_to(request, services.event_url(event, "matchmaking-requests")))
    try:
        done[action]()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, {
            "accept": "Meeting accepted.", "decline": "Request declined.", "cancel": "Cancelled.",
            "reschedule": "Meeting moved.", "feedback": "Thank you for your feedback.",
        }[action])
    return redirect(back_to(request, services.event_url(event, "matchmaking-requests")))


@login_required
@matchmaking_page
def my_agenda(request, edition, session):
    event = access.get_event(edition, session, request.user)
    me, items = queries.agenda(request.user, event)
    if access.booking_is_open(event):
        for item in items:  # where each movable meeting could go instead
            if not item.held and not item.request.locked and not item.over:
                item.free_slots = queries.free_slots_for(event, me, item.partner)
    return render(request, "matchmaking/agenda.html", _context(request, event, items=items))
