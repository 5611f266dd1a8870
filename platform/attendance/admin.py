from django.contrib import admin

from .models import Bookmark, Enrolment, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "mode", "status", "created_at"]
    list_filter = ["edition", "mode", "status"]
    search_fields = ["user__email", "user__profile__name", "user__profile__organisation"]
    autocomplete_fields = ["user"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "mode", "status", "requested_at"]
    list_filter = ["session__edition", "status", "mode", "session"]
    search_fields = ["user__email", "user__profile__name", "session__title"]
    autocomplete_fields = ["user", "session"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "created_at"]
    list_filter = ["session__edition"]
    search_fields = ["user__email", "session__title"]
    autocomplete_fields = ["user", "session"]
