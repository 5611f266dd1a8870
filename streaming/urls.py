from django.urls import path, re_path

from . import views

urlpatterns = [
    path("streaming/hooks/<slug:backend>/<slug:event>", views.hook, name="streaming-hook"),
    re_path(r"^streaming/play/(?P<token>[^/]+)/(?P<kind>hls|replay)/(?P<path>[A-Za-z0-9_.-]+)$", views.play,
            name="streaming-play"),
    path("rooms/<int:room>/backstage/", views.backstage_page, name="room-backstage"),
    path("rooms/<int:room>/backstage/rotate-key", views.rotate_key, name="room-backstage-rotate"),
    path("rooms/<int:room>/backstage/replay", views.replay_setting, name="room-backstage-replay"),
]
