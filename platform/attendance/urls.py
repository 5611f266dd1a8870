from django.urls import path

from . import views

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/renew-link", views.rotate_feed, name="agenda-rotate"),
    path("agenda/<str:token>.ics", views.agenda_feed, name="agenda-feed"),
    path("e/<slug:edition>/register/", views.register, name="register"),
    path("e/<slug:edition>/s/<slug:session>/enrol", views.enrol, name="enrol"),
    path("e/<slug:edition>/s/<slug:session>/bookmark", views.bookmark, name="bookmark"),
    path("e/<slug:edition>/s/<slug:session>.ics", views.session_ics, name="session-ics"),
]
