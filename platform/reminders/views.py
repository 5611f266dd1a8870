from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from conference.errors import ServiceError
from conference.web import page_errors

from . import services
from .forms import PreferencesForm
from .rules import format_offset


@login_required
def preferences(request):
    current = services.preferences_of(request.user)
    initial = {"mode": current.mode, "offsets": ", ".join(format_offset(m) for m in current.offsets),
               "channels": list(current.channels)}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(request.user, mode=form.cleaned_data["mode"],
                                     offsets=form.cleaned_data["offsets"], channels=form.cleaned_data["channels"])
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Your reminder settings are saved.")
            return redirect("reminders-preferences")
    return render(request, "reminders/preferences.html", {
        "form": form, "emails": current.emails, "upcoming": services.upcoming_reminders(request.user)[:50],
    }, status=400 if form.errors else 200)


@csrf_exempt  # mail clients POST here without a CSRF token (RFC 8058); the signed token is the proof
def unsubscribe(request, token):
    """GET shows a one-button page (link scanners must not unsubscribe people); POST, from
    that button or from the mail client's own unsubscribe button, unsubscribes."""
    try:
        user = services.unsubscribe(token) if request.method == "POST" else services.user_for_unsubscribe(token)
    except ServiceError as exc:
        return render(request, "reminders/unsubscribe.html", {"error": exc.message}, status=exc.status)
    if request.method == "POST" and "List-Unsubscribe" in request.POST:
        return HttpResponse("Unsubscribed from reminder emails.", content_type="text/plain")
    return render(request, "reminders/unsubscribe.html", {"done": request.method == "POST", "email": user.email})


@login_required
def notifications(request):
    return render(request, "reminders/notifications.html", {
        "notifications": services.notifications_of(request.user),
        "unread": services.unread_count(request.user),
    })


@login_required
@require_POST
@page_errors
def open_notification(request, pk):
    notification = services.open_notification(request.user, pk)
    return HttpResponseRedirect(notification.url or "/notifications/")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("notifications")
