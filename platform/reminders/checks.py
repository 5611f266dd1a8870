"""Start-up check of the reminder settings (`manage.py check`, and every process's start)."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning

from .rules import MIN_MINUTES


def lease_shorter_than_the_lead_time(app_configs, **kwargs) -> list[CheckWarning]:
    """A row held by a worker that died goes out again after its lease and the next dispatcher
    run: that must fit inside the shortest lead time, or such a reminder arrives after its
    session began."""
    recovery = settings.REMINDERS_LEASE_SECONDS + settings.REMINDERS_DISPATCH_INTERVAL
    if recovery < MIN_MINUTES * 60:
        return []
    return [CheckWarning(
        f"REMINDERS_LEASE_SECONDS + REMINDERS_DISPATCH_INTERVAL ({recovery:g} s) is not shorter than the shortest "
        f"reminder lead time ({MIN_MINUTES} minute): a reminder held by a worker that dies could arrive after its "
        "session began.",
        hint="Keep CONFERENCE_REMINDERS_LEASE_SECONDS at its default (30); the send task renews the lease while it "
             "works, so a short lease never overtakes a live worker.",
        id="reminders.W001")]
