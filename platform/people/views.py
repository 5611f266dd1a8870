import datetime as dt
import json

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress, get_emailconfirmation_model
from allauth.account.views import ConfirmEmailView
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from conference.errors import ServiceError
from conference.schema import as_id
from conference.web import back_to

from . import privacy, services, throttle, verification
from .forms import ProfileForm


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
    return render(request, "people/profile.html",
                  {"form": form, "email_verified": verification.email_verified(request.user)}, status=status)


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


# --- email verification ----------------------------------------------------------------


def verification_required(request: HttpRequest, purpose: str) -> HttpResponse:
    """The page shown instead of something that needs a confirmed address (e.g. registering):
    what to do, and a button to get a new link. After confirming, the person comes back here."""
    request.session["after_verification"] = request.get_full_path()
    return _verification_page(request, purpose=purpose, next_url=request.get_full_path(), status=403)


def _verification_page(request, *, purpose: str = "", next_url: str = "", status: int = 200) -> HttpResponse:
    address = verification.address_of(request.user)
    return render(request, "people/verify_email.html", {
        "email": address.email if address else request.user.email,
        "verified": verification.email_verified(request.user),
        "purpose": purpose, "next": next_url,
        "expire_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
    }, status=status)


@login_required
def verify_email(request):
    next_url = back_to(request, "")
    if request.method == "POST":
        if next_url:
            request.session["after_verification"] = next_url
        result = verification.resend_verification(request, request.user)
        if result.sent:
            messages.success(request, f"We sent a new link to {result.email}. It may take a few minutes to arrive.")
        elif result.retry_in is not None:
            messages.warning(request, f"We sent a link to {result.email} moments ago: look for it in your inbox (and "
                                      f"spam folder). You can ask for another one in "
                                      f"{throttle.in_words(result.retry_in)}.")
        url = reverse("verify-email")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    return _verification_page(request, next_url=next_url)


class ConfirmEmail(ConfirmEmailView):
    """allauth's confirmation page, telling a used link from an expired or broken one."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expire_days"] = allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
        if self.object is None:
            context["link_state"], context["email"] = self.link_state(self.kwargs["key"])
        return context

    @staticmethod
    def link_state(key: str) -> tuple[str, str]:
        try:
            pk = signing.loads(key, max_age=allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS * 86400,
                               salt=allauth_settings.SALT)
        except signing.SignatureExpired:
            return "expired", ""
        except signing.BadSignature:
            return "invalid", ""
        address = EmailAddress.objects.filter(pk=pk, verified=True).first()
        return ("used", address.email) if address else ("invalid", "")

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        if self.object is None:
            response.status_code = 400  # a reused, expired or broken link: explained on the page
        return response

    def post(self, *args, **kwargs):
        if get_emailconfirmation_model().from_key(self.kwargs["key"]) is None:
            return self.get(*args, **kwargs)  # explain instead of allauth's bare 404; nothing is changed
        return super().post(*args, **kwargs)


confirm_email = ConfirmEmail.as_view()


# --- privacy, export and deletion ---------------------------------------------------------


def privacy_policy(request):
    policy = privacy.current_policy()
    consent = privacy.latest_consent(request.user) if request.user.is_authenticated else None
    if request.method == "POST" and request.user.is_authenticated:
        try:
            privacy.record_consent(request.user, request.POST.get("version", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"You accepted version {policy.version} of the privacy policy.")
        return redirect("privacy")
    return render(request, "people/privacy.html", {
        "policy": policy, "consent": consent,
        "needs_new_consent": consent is not None and consent.policy_id != policy.pk,
    })


@login_required
def my_data(request, errors=(), status=200):
    return render(request, "people/my_data.html",
                  {"consent": privacy.latest_consent(request.user), "errors": errors}, status=status)


@login_required
def export_data(request):
    data = privacy.export_personal_data(request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.now():%Y-%m-%d}.json"'
    return response


@login_required
@require_POST
def delete_account(request):
    # Guessing the password here is throttled like any confirmation with a password.
    if not ratelimit.consume(request, action="reauthenticate", user=request.user):
        return too_many_requests(request)
    try:
        privacy.delete_account(request.user, password=request.POST.get("password", ""))
    except ServiceError as exc:
        return my_data(request, errors=[exc.message], status=exc.status)
    logout(request)
    messages.success(request, "Your account is deleted. Thank you for taking part.")
    return redirect("home")


# --- refusals ------------------------------------------------------------------------------

# Which rate limit (ACCOUNT_RATE_LIMITS) a page's 429 comes from, to say when to retry.
THROTTLED_ACTIONS = {
    "signup": "signup", "account_signup": "signup", "login": "login", "account_login": "login",
    "account_reset_password": "reset_password", "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password", "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate", "account-delete": "reauthenticate",
}
THROTTLED_MESSAGES = {
    "signup": "Too many accounts were created from your network in a short time.",
    "reset_password": "Too many password reset emails were asked for in a short time.",
}


def too_many_requests(request, exception=None):
    """Django's handler for allauth's rate limits (ROOT_URLCONF.handler429)."""
    match = request.resolver_match
    action = THROTTLED_ACTIONS.get(match.url_name if match else "", "")
    wait = throttle.retry_after(request, action) if action else None
    context = {
        "message": THROTTLED_MESSAGES.get(action, ""),
        "retry_in_words": throttle.in_words(wait) if wait else "",
        "retry_at": timezone.localtime(timezone.now() + dt.timedelta(seconds=wait)) if wait else None,
    }
    response = render(request, "429.html", context, status=429)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def organiser_login(request):
    """The organiser area logs in through the one login page (and its throttling)."""
    next_url = back_to(request, reverse("admin:index"))
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url)
        return render(request, "people/not_organiser.html", status=403)
    return redirect(f"{reverse('login')}?next={next_url}")
