from django.urls import path

from . import organiser_views, views

EVENT = "e/<slug:edition>/matchmaking/<slug:session>/"

urlpatterns = [
    path(EVENT, views.event_home, name="matchmaking-event"),
    path(EVENT + "profile/", views.my_profile, name="matchmaking-profile"),
    path(EVENT + "marketplace/", views.marketplace, name="matchmaking-marketplace"),
    path(EVENT + "p/<int:participant_id>/", views.participant, name="matchmaking-participant"),
    path(EVENT + "requests/", views.my_requests, name="matchmaking-requests"),
    path(EVENT + "requests/<int:request_id>/<slug:action>", views.request_action, name="matchmaking-request-action"),
    path(EVENT + "agenda/", views.my_agenda, name="matchmaking-agenda"),
    path(EVENT + "organise/", organiser_views.dashboard, name="matchmaking-dashboard"),
    path(EVENT + "organise/<slug:action>", organiser_views.change, name="matchmaking-change"),
]
