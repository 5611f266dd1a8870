from django.urls import path

from . import views

urlpatterns = [
    path("reminders/", views.preferences, name="reminders-preferences"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="reminders-unsubscribe"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open", views.open_notification, name="notification-open"),
    path("notifications/read-all", views.mark_all_read, name="notifications-read-all"),
]
