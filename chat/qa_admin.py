"""Organiser area for Q&A: questions of every room, with the moderation actions of the
live room (through chat.qa, so the people in the room see the change at once).
Imported by chat.admin. Unlike the websocket, the organiser area shows who asked an
anonymous question (organisers need it to deal with abuse)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from conference.errors import ServiceError

from . import qa, services
from .models import Question


def _moderate(request: HttpRequest, queryset: QuerySet, action: str, done: str) -> None:
    count, failures = 0, []
    for question in queryset:
        try:
            qa.moderate(services.actor_for(request.user, question.room_id), question.pk, action)
            count += 1
        except ServiceError as exc:
            failures.append(f"{question}: {exc.message}")
    if count:
        messages.success(request, f"{done}: {count}.")
    for failure in failures:
        messages.error(request, failure)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "room", "status", "votes", "highlighted", "anonymous", "author", "created_at"]
    list_filter = ["status", "room__edition", "room", "highlighted", "anonymous"]
    search_fields = ["text", "original_text"]
    date_hierarchy = "created_at"
    list_select_related = ["room", "author"]
    actions = ["approve", "dismiss"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # questions are asked in the room

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # changes go through the actions (and the live room), which tell the room

    @admin.action(description="Approve the selected questions (everyone in the room sees them)")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        _moderate(request, queryset.exclude(status=Question.Status.VISIBLE), "approve", "Questions approved")

    @admin.action(description="Dismiss the selected questions (their askers are not told)")
    def dismiss(self, request: HttpRequest, queryset: QuerySet) -> None:
        _moderate(request, queryset.exclude(status=Question.Status.DISMISSED), "dismiss", "Questions dismissed")
