from django.urls import path

from . import calendar_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("archive/", views.archive, name="archive"),
    path("e/<slug:edition>/", views.edition_home, name="edition"),
    path("e/<slug:edition>/programme/", views.programme, name="programme"),
    path("e/<slug:edition>/schedule.xml", calendar_views.schedule_xml, name="schedule-xml"),
    path("e/<slug:edition>/schedule.json", calendar_views.schedule_json, name="schedule-json"),
    path("e/<slug:edition>/s/<slug:session>/", views.session_detail, name="session"),
]
