"""The personal agenda as an iCalendar feed."""

from matchmaking.calendar import meeting_events
from programme.ics import new_calendar, session_event

from .models import AttendanceMode, Registration


def agenda_calendar(user, sessions) -> bytes:
    modes = dict(
        Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED).values_list("edition_id", "mode")
    )
    calendar = new_calendar("My conference agenda")
    for session in sessions:
        online = modes.get(session.edition_id) == AttendanceMode.ONLINE
        calendar.add_component(session_event(session, online=online))
    for meeting in meeting_events(user):  # one-to-one B2B meetings
        calendar.add_component(meeting)
    return calendar.to_ical()
