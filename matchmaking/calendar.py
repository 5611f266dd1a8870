"""A participant's scheduled meetings as iCalendar events, for the personal agenda feed."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Event, vText

from attendance.agenda import AgendaEntry
from programme.ics import revision

from .models import MeetingRequest, Participant


def _scheduled(user):
    mine = Participant.objects.filter(user=user).values_list("pk", flat=True)
    return MeetingRequest.objects.filter(
        status=MeetingRequest.Status.SCHEDULED, seats__participant__in=list(mine)
    ).select_related("slot", "event__session__edition", "requester__user__profile", "recipient__user__profile")


def meeting_events(user) -> list[Event]:
    """One VEVENT per scheduled meeting. The UID follows the request, so a moved meeting
    updates the calendar's copy; the location is the table or the video link."""
    events = []
    for meeting in _scheduled(user):
        assert meeting.slot is not None  # scheduled meetings have a slot (database constraint)
        me = meeting.requester if meeting.requester.user_id == user.pk else meeting.recipient
        partner, session = meeting.partner_of(me), meeting.event.session
        event = Event()
        event.add("uid", f"meeting-{meeting.guid}")
        event.add("summary", f"B2B meeting: {partner.name} ({partner.organisation})")
        event.add("dtstart", meeting.slot.starts_at)
        event.add("dtend", meeting.slot.ends_at)
        event.add("dtstamp", meeting.updated_at)
        event.add("sequence", revision(meeting.created_at, meeting.updated_at))
        if meeting.table:
            where = ", ".join(p for p in (f"Table {meeting.table}", session.location, session.edition.venue_name) if p)
            event["location"] = vText(where)
        elif meeting.video_link:
            event["location"] = vText(meeting.video_link)
        event.add("description", f"{session.title}. Join online: {meeting.video_link}" if meeting.video_link
                  else session.title)
        event.add("url", settings.SITE_URL + reverse(
            "matchmaking-agenda", args=[session.edition.slug, session.slug]))
        event.add("categories", ["Matchmaking"])
        events.append(event)
    return events


def agenda_entries(user) -> list:
    """The person's scheduled B2B meetings on their agenda page (attendance.agenda)."""
    entries = []
    for meeting in _scheduled(user):
        assert meeting.slot is not None  # scheduled meetings have a slot (database constraint)
        me = meeting.requester if meeting.requester.user_id == user.pk else meeting.recipient
        partner, session = meeting.partner_of(me), meeting.event.session
        where = (", ".join(p for p in (_("Table %(n)s") % {"n": meeting.table}, session.location) if p)
                 if meeting.table else _("Video call") if meeting.video_link else "")
        entries.append(AgendaEntry(
            title=_("B2B meeting: %(name)s (%(organisation)s)") % {"name": partner.name,
                                                                  "organisation": partner.organisation},
            starts_at=meeting.slot.starts_at, ends_at=meeting.slot.ends_at, edition=session.edition,
            kind=_("B2B meeting"), location=where, within=session,
            url=reverse("matchmaking-agenda", args=[session.edition.slug, session.slug])))
    return entries
