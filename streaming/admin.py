from django.contrib import admin

from .models import Recording, StreamEndpoint


class RecordingInline(admin.TabularInline):
    model = Recording
    extra = 0
    fields = ("status", "replay_file", "duration", "created_at", "error")
    readonly_fields = fields


@admin.register(StreamEndpoint)
class StreamEndpointAdmin(admin.ModelAdmin):
    list_display = ("session", "source", "state", "auto_live", "replay_enabled")
    list_filter = ("source", "state", "auto_live", "replay_enabled")
    search_fields = ("session__title", "slug")
    autocomplete_fields = ("session",)
    readonly_fields = ("slug", "state", "state_changed_at", "publisher_id", "publisher_since", "key_rotated_at")
    fields = ("session", "source", "external_url", "auto_live", "replay_enabled", "slug", "stream_key",
              "key_rotated_at", "state", "state_changed_at", "publisher_id", "publisher_since")
    inlines = [RecordingInline]
