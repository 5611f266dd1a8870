from django.urls import path

from . import views

urlpatterns = [
    path("rooms/<int:room>/", views.room_page, name="room"),
    path("rooms/<int:room>/moderate/", views.moderate_page, name="room-moderate"),
    path("rooms/<int:room>/speaker/", views.speaker_page, name="room-speaker"),
    path("rooms/<int:room>/projector/", views.projector_page, name="room-projector"),
]
