from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from conference.errors import ServiceError
from conference.schema import as_id
from conference.web import back_to

from . import services
from .forms import ProfileForm, SignUpForm


def sign_up(request):
    form = SignUpForm(request.POST or None, initial={"time_zone": request.COOKIES.get("tz", "")})
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.sign_up(**form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, profile.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {profile.name}! Your account is ready.")
            return redirect(back_to(request, "/"))
    status = 400 if form.errors else 200
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "people/signup.html", {"form": form, "next": next_url}, status=status)


@login_required
def profile(request):
    current = services.profile_of(request.user)
    initial = {f: getattr(current, f) for f in ["name", "organisation", "country", "time_zone", "bio"]}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    status = 400 if form.errors else 200
    return render(request, "people/profile.html", {"form": form}, status=status)


@login_required
def device_tokens(request):
    """Tokens for non-browser clients (projector PCs, tablets, scripts)."""
    new_token = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                services.revoke_device_token(request.user, as_id(request.POST.get("token"), field="token"))
                messages.success(request, "The token is revoked; devices using it are refused from now on.")
                return redirect("device-tokens")
            token, new_token = services.create_device_token(request.user, request.POST.get("label", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("device-tokens")
    tokens = request.user.device_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "people/device_tokens.html", {"tokens": tokens, "new_token": new_token})
