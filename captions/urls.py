from django.urls import path, re_path

from . import views

urlpatterns = [
    path("rooms/<int:room>/captions/", views.captioner_page, name="captioner"),
    path("rooms/<int:room>/captions.vtt", views.session_track, name="captions-session"),
    re_path(r"^rooms/(?P<room>[0-9]+)/captions/replay/(?P<name>[A-Za-z0-9_.-]+)\.vtt$", views.replay_track,
            name="captions-replay"),
]
