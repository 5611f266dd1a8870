"""Organiser area for chat, mutes, polls and room settings. Actions that change what
people in a live room see go through the services, so the rooms hear about them.
(Q&A's admin lives in its own module, imported at the end.)"""

import contextlib

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from conference.errors import ServiceError

from . import polls, services
from .models import Message, Mute, Poll, PollOption, RoomSettings


def _each(request: HttpRequest, queryset: QuerySet, action, done: str) -> None:
    """Run a service action on each selected row as the organiser; report the outcome."""
    count, failures = 0, []
    for item in queryset:
        try:
            action(services.actor_for(request.user, item.room_id), item)
            count += 1
        except ServiceError as exc:
            failures.append(f"{item}: {exc.message}")
    if count:
        messages.success(request, f"{done}: {count}.")
    for failure in failures:
        messages.error(request, failure)


@admin.register(RoomSettings)
class RoomSettingsAdmin(admin.ModelAdmin):
    list_display = ["room", "slow_mode_seconds", "qa_premoderation", "qa_allow_anonymous"]
    list_filter = ["room__edition", "qa_premoderation"]
    search_fields = ["room__name"]
    autocomplete_fields = ["room"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["text", "author", "room", "created_at", "deleted_at"]
    list_filter = ["room__edition", ("deleted_at", admin.EmptyFieldListFilter), "room"]
    search_fields = ["text", "author__email", "author__profile__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["room", "author", "text", "created_at", "deleted_at", "deleted_by"]
    list_select_related = ["author", "room"]
    actions = ["hide_messages"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages are posted in the room

    @admin.action(description="Delete the selected messages from the room (everyone sees them go)")
    def hide_messages(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(request, queryset.filter(deleted_at__isnull=True),
              lambda actor, message: services.delete_message(actor, message.pk), "Messages deleted")


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "room", "until", "lifted_at", "reason", "created_by", "created_at"]
    list_filter = ["edition", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__profile__name", "reason"]
    autocomplete_fields = ["user", "room"]
    readonly_fields = ["created_by", "created_at", "lifted_at"]
    actions = ["lift"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Lift the selected mutes")
    def lift(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for mute in queryset.filter(lifted_at__isnull=True):
            if mute.room_id is None:
                # An edition-wide mute: lift it directly (no room to act from).
                Mute.objects.filter(pk=mute.pk).update(lifted_at=timezone.now())
                count += 1
                continue
            with contextlib.suppress(ServiceError):
                count += bool(services.unmute(services.actor_for(request.user, mute.room_id), mute.user_id,
                                              "room")["lifted"])
        messages.success(request, f"Mutes lifted: {count}.")


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 2
    fields = ["position", "text"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "room", "status", "multiple", "results", "created_at"]
    list_filter = ["status", "results", "room__edition"]
    search_fields = ["question", "room__name"]
    autocomplete_fields = ["room"]
    readonly_fields = ["status", "created_by", "created_at", "opened_at", "closed_at"]
    inlines = [PollOptionInline]
    actions = ["open_polls", "close_polls"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Open the selected draft polls in their rooms")
    def open_polls(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(request, queryset.filter(status=Poll.Status.DRAFT),
              lambda actor, poll: polls.open_poll(actor, poll.pk), "Polls opened")

    @admin.action(description="Close the selected open polls")
    def close_polls(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(request, queryset.filter(status=Poll.Status.OPEN),
              lambda actor, poll: polls.close_poll(actor, poll.pk), "Polls closed")


# Q&A's admin (Question, QuestionVote) is written in chat/qa_admin.py.
from . import qa_admin  # noqa: E402,F401
