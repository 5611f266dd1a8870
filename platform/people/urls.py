import functools

from allauth.account import views as account_views
from allauth.socialaccount import views as social_views
from django.urls import include, path, re_path

from . import views


def with_error_status(view):
    """allauth answers a form with mistakes with 200; the platform answers bad input with a
    4xx: 400, or 429 when the login is throttled. The page with the messages is the same."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if request.method == "POST" and response.status_code == 200 and form is not None and form.errors:
            codes = {error.code for error in form.non_field_errors().as_data()}
            response.status_code = 429 if "too_many_login_attempts" in codes else 400
        return response

    return wrapper


# allauth's pages (password reset and change, email addresses, single sign-on) live under
# /accounts/; login, signup and logout keep their names from before allauth.
urlpatterns = [
    path("signup/", with_error_status(account_views.signup), name="signup"),
    path("login/", with_error_status(account_views.login), name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("password/change/", with_error_status(account_views.password_change), name="account_change_password"),
    path("password/set/", with_error_status(account_views.password_set), name="account_set_password"),
    path("password/reset/", with_error_status(account_views.password_reset), name="account_reset_password"),
    re_path(r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
            with_error_status(account_views.password_reset_from_key), name="account_reset_password_from_key"),
    path("3rdparty/signup/", with_error_status(social_views.signup), name="socialaccount_signup"),
    path("confirm-email/<str:key>/", views.confirm_email, name="account_confirm_email"),
    path("verify/", views.verify_email, name="verify-email"),
    path("profile/", views.profile, name="profile"),
    path("devices/", views.device_tokens, name="device-tokens"),
    path("data/", views.my_data, name="my-data"),
    path("data/export.json", views.export_data, name="my-data-export"),
    path("delete/", views.delete_account, name="account-delete"),
    path("", include("allauth.urls")),
]
