from django.contrib import admin
from django.urls import include, path

from .api import api
from .health import healthz

admin.site.site_header = "Conference platform — organisers"
admin.site.site_title = "Conference organisers"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("accounts/", include("people.urls")),
    path("", include("attendance.urls")),
    path("", include("reminders.urls")),
    path("", include("rooms.urls")),
    path("", include("streaming.urls")),
    path("", include("matchmaking.urls")),
    path("", include("programme.urls")),
]
