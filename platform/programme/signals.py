"""What the programme tells the rest of the platform, so that it never imports the features
that react (rooms give a session its live room, reminders follow a moved or cancelled
session). Receivers are connected in their app's `AppConfig.ready`.

Signals are sent inside the transaction of the change: a receiver's own writes commit or
roll back with it, and anything that leaves the process (a broadcast, an email) is deferred
by the receiver to the commit."""

import datetime as dt
from dataclasses import dataclass

from django.dispatch import Signal

from .models import Session


@dataclass(frozen=True)
class SessionSaved:
    session: Session
    created: bool
    previous_starts_at: dt.datetime | None  # None when created
    previous_status: str | None


# Sent with `event=SessionSaved(...)` whenever a session is created or changed.
session_saved = Signal()


def send_session_saved(session: Session, *, previous_starts_at: dt.datetime | None = None,
                       previous_status: str | None = None) -> None:
    created = previous_status is None
    session_saved.send(Session, event=SessionSaved(session, created, previous_starts_at, previous_status))
