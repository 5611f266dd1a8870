"""Organiser area: reminder monitoring (queued, sent, failed…), edition defaults,
announcements with their progress. Changes go through reminders.services."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from conference.errors import ServiceError

from . import services
from .forms import EditionDefaultsForm
from .models import Announcement, EditionReminderSettings, Notification, Reminder
from .rules import parse_rules_text, rules_from_json, rules_to_text


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["due_at", "status", "kind", "channel", "user", "session", "attempts", "sent_at", "short_error"]
    list_filter = ["status", "kind", "channel", "session__edition"]
    search_fields = ["user__email", "session__title", "idempotency_key"]
    date_hierarchy = "due_at"
    list_select_related = ["user", "session"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request) -> bool:
        return False  # rows come from agendas and preferences, never typed in

    @admin.display(description="Last error")
    def short_error(self, reminder: Reminder) -> str:
        return reminder.last_error[:80]

    def changelist_view(self, request, extra_context=None):
        # Totals per status above the list: the monitoring view at a glance.
        totals = dict(Reminder.objects.values_list("status").annotate(n=Count("id")).order_by())
        extra_context = {**(extra_context or {}), "title": "Reminders: " + ", ".join(
            f"{label.lower()} {totals.get(value, 0)}" for value, label in Reminder.Status.choices)}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Try the selected failed reminders again (sessions not started yet)")
    def retry_failed(self, request, queryset):
        count = queryset.filter(status=Reminder.Status.FAILED, session__starts_at__gt=timezone.now()).update(
            status=Reminder.Status.PENDING, next_attempt_at=timezone.now(), attempts=0, claimed_by="",
            locked_until=None)
        self.message_user(request, f"{count} reminder(s) will be sent again within seconds.")


class DefaultsAdminForm(forms.ModelForm):
    rules_text = EditionDefaultsForm.base_fields["rules"]

    class Meta:
        model = EditionReminderSettings
        fields = ["edition"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules_text"].label = "Default reminders"
        self.fields["rules_text"].initial = rules_to_text(
            rules_from_json(self.instance.rules if self.instance.pk else None))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            rules = parse_rules_text(data["rules_text"])
            data["rules"] = services.check_edition_defaults(self.request_user, data["edition"], rules)
        except ServiceError as exc:
            self.add_error("rules_text" if exc.field == "rules" else None, exc.message)
        return data


@admin.register(EditionReminderSettings)
class EditionReminderSettingsAdmin(admin.ModelAdmin):
    form = DefaultsAdminForm
    list_display = ["edition", "summary", "updated_at"]

    @admin.display(description="Reminders")
    def summary(self, settings: EditionReminderSettings) -> str:
        return rules_to_text(rules_from_json(settings.rules)).replace("\n", "; ")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user  # type: ignore[attr-defined]  # for the permission check in clean()
        return form

    def save_model(self, request, obj, form, change):
        edition = form.cleaned_data["edition"]
        services.set_edition_defaults(request.user, edition, form.cleaned_data["rules"])
        obj.pk = EditionReminderSettings.objects.get(edition=edition).pk
        self.message_user(request, "Future reminders of everyone using the defaults are rescheduled.")


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["edition", "audience", "subject", "body"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_announcement(self.request_user, data["edition"], data["audience"], data["subject"],
                                        data["body"])
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["subject", "edition", "audience", "status", "progress", "sent", "failed", "created_at"]
    list_filter = ["edition", "status", "audience"]
    search_fields = ["subject", "body"]
    form = AnnouncementForm
    actions = ["resume"]

    @admin.display(description="Progress")
    def progress(self, announcement: Announcement) -> str:
        done = announcement.sent + announcement.failed
        percent = 100 * done // announcement.total if announcement.total else 100
        return f"{done} of {announcement.total} ({percent} %)"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "total", "sent", "failed"]
        return ["edition", "audience", "subject", "body", "status", "total", "sent", "failed", "created_by",
                "created_at", "finished_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user  # type: ignore[attr-defined]  # for the permission check in clean()
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return  # sent announcements are a record; nothing to edit
        created = services.announce(request.user, obj.edition, obj.audience, obj.subject, obj.body)
        obj.pk = created.pk
        self.message_user(request, f"Sending to {created.total} registrant(s) in the background; this list "
                                   "shows the progress.")

    @admin.action(description="Resume sending (after a worker outage)")
    def resume(self, request, queryset):
        from .announcements import enqueue

        for announcement in queryset.exclude(status=Announcement.Status.DONE):
            enqueue(announcement.pk)
        self.message_user(request, "Resumed; people already reached are not written to again.")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
