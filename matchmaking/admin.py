"""Organiser area for matchmaking. Settings changes and admin actions go through the services;
meetings are read-only here because moving them must respect seats and tables."""

from django import forms
from django.contrib import admin, messages

from conference.errors import ServiceError

from . import organiser
from .models import Listing, MatchmakingEvent, MeetingFeedback, MeetingRequest, Participant, Slot


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    fields = readonly_fields = ("starts_at", "ends_at", "kind", "label")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # slots are created from the session's times (action below or dashboard)


class MatchmakingEventForm(forms.ModelForm):
    class Meta:
        model = MatchmakingEvent
        fields = ["session", "meeting_minutes", "tables", "video_link_template", "slot_choice", "booking_closes_at"]

    def clean(self) -> dict:
        data = super().clean() or {}
        try:
            organiser.check_settings(self.instance, {k: v for k, v in data.items() if k in organiser.SETTINGS})
        except ServiceError as exc:
            raise forms.ValidationError({exc.field: exc.message} if exc.field in self.fields else exc.message) \
                from None
        return data


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(admin.ModelAdmin):
    form = MatchmakingEventForm
    readonly_fields = ["phase"]
    list_display = ["session", "phase", "meeting_minutes", "tables", "slot_choice", "booking_closes_at"]
    list_filter = ["phase", "session__edition"]
    search_fields = ["session__title"]
    autocomplete_fields = ["session"]
    inlines = [SlotInline]
    actions = ["create_slots"]

    def save_model(self, request, obj, form, change) -> None:
        """Through the service (the form already ran its checks). Phases change on the dashboard."""
        fields = {name: form.cleaned_data[name] for name in organiser.SETTINGS if name in form.cleaned_data}
        obj.pk = organiser.configure_event(request.user, obj.session, **fields).pk

    @admin.action(description="Create slots from the session's times (no breaks)")
    def create_slots(self, request, queryset) -> None:
        for event in queryset:
            try:
                slots = organiser.generate_slots(request.user, event)
                messages.success(request, f"{event}: {len(slots)} slots.")
            except ServiceError as exc:
                messages.error(request, f"{event}: {exc.message}")


class ListingInline(admin.TabularInline):
    model = Listing
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "event", "mode", "sector", "country"]
    list_filter = ["event", "mode", "sector", "country"]
    search_fields = ["organisation", "user__email", "user__profile__name", "cluster"]
    autocomplete_fields = ["user"]
    inlines = [ListingInline]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "status", "slot", "table", "locked", "created_at"]
    list_filter = ["event", "status", "locked"]
    search_fields = ["requester__organisation", "recipient__organisation", "requester__user__email",
                     "recipient__user__email"]
    readonly_fields = ["event", "guid", "requester", "recipient", "status", "slot", "table", "video_link",
                       "note", "reply_note", "locked", "created_at", "updated_at"]
    actions = ["lock", "unlock"]

    def has_add_permission(self, request) -> bool:
        return False  # participants request meetings on the matchmaking pages

    def _set_locked(self, request, queryset, locked: bool) -> None:
        for event_id in set(queryset.values_list("event", flat=True)):
            event = MatchmakingEvent.objects.get(pk=event_id)
            ids = list(queryset.filter(event=event).values_list("pk", flat=True))
            try:
                count = organiser.set_locked(request.user, event, ids, locked)
                messages.success(request, f"{count} meeting(s) {'locked' if locked else 'unlocked'}.")
            except ServiceError as exc:
                messages.error(request, exc.message)

    @admin.action(description="Lock the selected scheduled meetings")
    def lock(self, request, queryset) -> None:
        self._set_locked(request, queryset, True)

    @admin.action(description="Unlock the selected meetings")
    def unlock(self, request, queryset) -> None:
        self._set_locked(request, queryset, False)


@admin.register(MeetingFeedback)
class MeetingFeedbackAdmin(admin.ModelAdmin):
    list_display = ["request", "participant", "happened", "created_at"]
    list_filter = ["happened", "request__event"]
