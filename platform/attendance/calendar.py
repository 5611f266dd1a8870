"""The personal agenda as an iCalendar feed."""

from collections.abc import Callable, Iterable

from icalendar import Event

from programme.ics import new_calendar, session_event

from .models import AttendanceMode, Registration

# Other apps add their own events to a person's feed (e.g. matchmaking: one-to-one B2B
# meetings), registered in their AppConfig.ready: fn(user) -> iterable of icalendar Events.
FeedContributor = Callable[[object], Iterable[Event]]
feed_contributors: list[FeedContributor] = []


def contribute_to_feed(fn: FeedContributor) -> FeedContributor:
    if fn not in feed_contributors:
        feed_contributors.append(fn)
    return fn


def agenda_calendar(user, sessions) -> bytes:
    modes = dict(
        Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED).values_list("edition_id", "mode")
    )
    calendar = new_calendar("My conference agenda")
    for session in sessions:
        online = modes.get(session.edition_id) == AttendanceMode.ONLINE
        calendar.add_component(session_event(session, online=online))
    for contributor in feed_contributors:
        for event in contributor(user):
            calendar.add_component(event)
    return calendar.to_ical()
