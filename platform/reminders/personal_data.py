"""A person's reminders, reminder settings, notifications and announcement deliveries, and
the announcements they wrote as an organiser (a section of people.personal_data). On
deletion everything addressed to the person goes; an announcement's sent and failed
counts stay on the announcement, and announcements they wrote stay for the edition."""

from people import personal_data
from people.personal_data import moment

from .models import Announcement, AnnouncementRecipient, Notification, Reminder, ReminderPreference


def export(user) -> dict:
    preference = ReminderPreference.objects.filter(user=user).first()
    return {
        "settings": None if preference is None else {
            "enabled": preference.enabled, "emails": preference.emails, "rules": preference.rules},
        "reminders": [
            {"session": r.session.title, "kind": r.kind, "channel": r.channel, "due_at": moment(r.due_at),
             "status": r.status, "sent_at": moment(r.sent_at)}
            for r in Reminder.objects.filter(user=user).select_related("session")],
        "notifications": [
            {"title": n.title, "text": n.body, "link": n.url, "at": moment(n.created), "read_at": moment(n.read_at)}
            for n in Notification.objects.filter(user=user)],
        "announcements_received": [
            {"edition": r.announcement.edition.title, "subject": r.announcement.subject, "status": r.status}
            for r in AnnouncementRecipient.objects.filter(user=user).select_related("announcement__edition")],
        "announcements_written": [
            {"edition": a.edition.title, "subject": a.subject, "text": a.body, "at": moment(a.created_at)}
            for a in Announcement.objects.filter(created_by=user).select_related("edition")],
    }


def erase(user) -> None:
    Reminder.objects.filter(user=user).delete()
    ReminderPreference.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    AnnouncementRecipient.objects.filter(user=user).delete()


def register() -> None:
    # After attendance (order 50): cancelling registrations reschedules reminders first.
    personal_data.register("reminders", models=[Reminder, ReminderPreference, Notification, Announcement,
                                                AnnouncementRecipient], export=export, erase=erase, order=80)
