from django.contrib import admin

from .models import Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "kind", "state", "session"]
    list_filter = ["edition", "kind", "state"]
    search_fields = ["name", "session__title"]
    autocomplete_fields = ["session"]
