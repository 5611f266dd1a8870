"""Who may see and do what in a matchmaking event."""

from django.utils import timezone

from conference.errors import Conflict, Forbidden, NotFound
from programme import services as programme
from programme.models import Session
from programme.permissions import AccountUser, AnonymousUser, User, is_organiser

from .models import MatchmakingEvent, Participant


def require_login(user: User) -> AccountUser:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Forbidden("Please log in first.", code="login_required")
    return user


def get_event(edition_slug: str, session_slug: str, user: User) -> MatchmakingEvent:
    edition = programme.get_edition(edition_slug, user)
    event = (
        MatchmakingEvent.objects.select_related("session__edition")
        .filter(session__edition=edition, session__slug=session_slug).first()
    )
    if event is None:
        raise NotFound(f"No matchmaking event at “{session_slug}” in {edition.title}.")
    return event


def participant_of(user: User, event: MatchmakingEvent) -> Participant | None:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return Participant.objects.filter(event=event, user=user).first()


def require_participant(user: User, event: MatchmakingEvent) -> Participant:
    participant = participant_of(require_login(user), event)
    if participant is None:
        raise Forbidden("Join this matchmaking event first.", code="not_participant")
    return participant


def require_organiser(user: User, event: MatchmakingEvent) -> AccountUser:
    user = require_login(user)
    if not is_organiser(user, event.session.edition):
        raise Forbidden("Only organisers of this edition can do this.", code="not_organiser")
    return user


def may_view_profiles(user: User, event: MatchmakingEvent) -> bool:
    """Participants and organisers always; anyone logged in only when the session is open to all.
    Profiles hold business contacts, so registered and invitation-only events keep them inside."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if event.session.access == Session.Access.OPEN:
        return True
    return participant_of(user, event) is not None or is_organiser(user, event.session.edition)


def require_profile_access(user: User, event: MatchmakingEvent) -> None:
    require_login(user)
    if not may_view_profiles(user, event):
        raise Forbidden("Only participants of this matchmaking event can see its profiles.", code="participants_only")


def booking_is_open(event: MatchmakingEvent) -> bool:
    if event.phase != MatchmakingEvent.Phase.BOOKING_OPEN:
        return False
    return event.booking_closes_at is None or timezone.now() < event.booking_closes_at


def require_booking_open(event: MatchmakingEvent) -> None:
    if not booking_is_open(event):
        if event.phase == MatchmakingEvent.Phase.REGISTRATION:
            raise Conflict("Booking has not opened yet: you can prepare your profile.", code="booking_not_open")
        raise Conflict("Booking is closed for this matchmaking event.", code="booking_closed")
