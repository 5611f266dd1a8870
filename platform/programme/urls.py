from django.urls import path

from . import calendar_views, material_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("archive/", views.archive, name="archive"),
    path("e/<slug:edition>/", views.edition_home, name="edition"),
    path("e/<slug:edition>/programme/", views.programme, name="programme"),
    path("e/<slug:edition>/tracks.css", views.tracks_css, name="tracks-css"),
    path("e/<slug:edition>/speakers/", views.speakers, name="speakers"),
    path("e/<slug:edition>/speakers/<int:person>/", views.speaker, name="speaker"),
    path("e/<slug:edition>/speakers/<int:person>/photo", views.speaker_photo, name="speaker-photo"),
    path("e/<slug:edition>/schedule.xml", calendar_views.schedule_xml, name="schedule-xml"),
    path("e/<slug:edition>/schedule.json", calendar_views.schedule_json, name="schedule-json"),
    path("e/<slug:edition>/s/<slug:session>/", views.session_detail, name="session"),
    path("e/<slug:edition>/s/<slug:session>/materials", material_views.add_material, name="material-add"),
    path("e/<slug:edition>/s/<slug:session>/materials/<int:material>/", material_views.download, name="material"),
    path("e/<slug:edition>/s/<slug:session>/materials/<int:material>/delete", material_views.delete,
         name="material-delete"),
]
