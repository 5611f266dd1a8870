from django.contrib import admin
from django.db import models

from .models import Edition, EditionRole, Material, Series, Session, Track
from .services import CALENDAR_FIELDS
from .signals import send_session_saved


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class EditionRoleInline(admin.TabularInline):
    model = EditionRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "year", "format", "city", "start_date", "end_date", "status"]
    list_filter = ["series", "format", "status", "year"]
    search_fields = ["title", "theme", "city", "venue_name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EditionRoleInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "kind", "starts_at", "ends_at", "attendance_format", "location",
                    "capacity", "access", "status"]
    list_filter = ["edition", "kind", "attendance_format", "access", "status"]
    search_fields = ["title", "abstract", "location", "speakers__profile__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["speakers", "moderators", "invitees"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["guid", "sequence"]

    def save_model(self, request, obj, form, change):
        if change and CALENDAR_FIELDS & set(form.changed_data):
            obj.sequence += 1  # calendars replace their copy (iCalendar SEQUENCE)
        # Saving here must reach rooms and reminders just as through programme.services
        # (pages and API): a new online session gets its live room, a move reaches reminders.
        previous = Session.objects.filter(pk=obj.pk).values("starts_at", "status").first() if change else None
        super().save_model(request, obj, form, change)
        if previous:
            send_session_saved(obj, previous_starts_at=previous["starts_at"], previous_status=previous["status"])
        else:
            send_session_saved(obj)


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    """Tracks and their colours (a session's track can also be named in the session's form)."""

    list_display = ["name", "colour", "edition"]
    list_filter = ["edition"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    """Slides and links (speakers add them on the session page; this is the back office)."""

    list_display = ["title", "session", "kind", "size", "uploaded_by", "created_at"]
    list_filter = ["session__edition", "kind"]
    search_fields = ["title", "session__title"]
    readonly_fields = ["size", "uploaded_by"]
    autocomplete_fields = ["session"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # links are https unless written otherwise


@admin.register(EditionRole)
class EditionRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "edition"]
    list_filter = ["edition", "role"]
    search_fields = ["user__email", "user__profile__name"]
    autocomplete_fields = ["user"]
