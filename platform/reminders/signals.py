"""Background work that reminders' services ask for, sent after the commit. reminders.tasks
connects the Celery jobs to them, so that only tasks.py knows Celery and the services never
import the tasks that call them."""

from django.dispatch import Signal

# announcement_ready(sender=Announcement, announcement_id): send (or resume sending) it
announcement_ready = Signal()
