"""A person's B2B matchmaking: profiles, offers and requests, availability, meetings and
feedback (a section of people.personal_data). Deletion goes through
matchmaking.services.withdraw."""

from people import personal_data
from people.personal_data import moment

from . import services
from .models import MeetingRequest, Participant


def _meeting(request: MeetingRequest, mine: Participant) -> dict:
    partner = request.partner_of(mine)
    return {
        "with": partner.organisation, "status": request.status, "i_asked": request.requester_id == mine.pk,
        "slot_starts_at": moment(request.slot.starts_at) if request.slot else None, "table": request.table,
        "video_link": request.video_link, "my_note": request.note if request.requester_id == mine.pk
        else request.reply_note, "requested_at": moment(request.created_at),
    }


def export(user) -> list:
    result = []
    for participant in Participant.objects.filter(user=user).select_related("event__session__edition"):
        meetings = (participant.requests_sent.all() | participant.requests_received.all()).select_related(
            "slot", "requester", "recipient")
        result.append({
            "event": f"{participant.event.session.title} ({participant.event.session.edition.title})",
            "mode": participant.mode, "organisation": participant.organisation, "sector": participant.sector,
            "country": participant.country.code or "", "cluster": participant.cluster,
            "description": participant.description, "joined_at": moment(participant.joined_at),
            "offers_and_requests": [{"direction": li.direction, "category": li.category, "title": li.title,
                                     "description": li.description, "tags": li.tags}
                                    for li in participant.listings.all()],
            "unavailable_slots": [moment(u.slot.starts_at) for u in participant.unavailable.select_related("slot")],
            "meetings": [_meeting(m, participant) for m in meetings.distinct().order_by("created_at")],
            "feedback": [{"meeting_with": f.request.partner_of(participant).organisation, "happened": f.happened}
                         for f in participant.feedback.select_related("request__requester", "request__recipient")],
        })
    return result


def erase(user) -> None:
    services.withdraw(user)


def register() -> None:
    personal_data.register("matchmaking", models=[Participant], export=export, erase=erase, order=20)
