from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from people import views as people_views

from .api import api
from .health import healthz

admin.site.site_header = "Conference platform — organisers"
admin.site.site_title = "Conference organisers"

handler429 = people_views.too_many_requests

urlpatterns = [
    path("admin/login/", people_views.organiser_login),  # one login page, with its throttling
    path("admin/", admin.site.urls),
    path("privacy/", people_views.privacy_policy, name="privacy"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says. The static URL is looked up per request:
    # in production it names the hashed file, known only once collectstatic has run.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("conference/favicon.ico"))),
    path("api/", api.urls),
    path("accounts/", include("people.urls")),
    path("", include("attendance.urls")),
    path("", include("reminders.urls")),
    path("", include("rooms.urls")),
    path("", include("streaming.urls")),
    path("", include("captions.urls")),
    path("", include("matchmaking.urls")),
    path("", include("programme.urls")),
]
