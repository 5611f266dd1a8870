"""What attendance tells the rest of the platform (reminders follow a person's agenda and
registration) without importing it. Sent inside the transaction of the change, like
programme.signals; receivers are connected in their app's `AppConfig.ready`."""

from django.dispatch import Signal

# registration_changed(sender=Registration, user, edition): registered (also late), changed
# attendance mode, or cancelled.
registration_changed = Signal()
# agenda_changed(sender=Session, user, session): the session entered or left the person's
# agenda (bookmark added or removed, place booked, given up or promoted from the waiting list).
agenda_changed = Signal()
