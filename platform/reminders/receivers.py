"""How reminders follow the programme and people's agendas (connected in RemindersConfig.ready)."""

from programme.signals import SessionSaved

from . import services


def follow_session(sender, event: SessionSaved, **kwargs) -> None:
    """Moving or cancelling a session reschedules or cancels its reminders and tells the people concerned."""
    if event.created or event.previous_starts_at is None or event.previous_status is None:
        return
    services.session_changed(event.session, previous_starts_at=event.previous_starts_at,
                             previous_status=event.previous_status)


def follow_registration(sender, user, edition, **kwargs) -> None:
    services.registration_changed(user, edition)


def follow_agenda(sender, user, session, **kwargs) -> None:
    services.agenda_changed(user, session)
