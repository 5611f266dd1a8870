"""Who may be in a room, what they see on joining, and moderators' room controls."""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from attendance import services as attendance
from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from conference.text import clean_text
from people.services import display_name
from programme.permissions import AnonymousUser, User, can_moderate, is_organiser, is_speaker
from realtime import broadcast

from . import state
from .models import Announcement, Room

MAX_ANNOUNCEMENT = 1000


@dataclass(frozen=True)
class Membership:
    """What the socket layer needs to know about a person in a room (plain data)."""

    room_id: int
    edition_id: int
    session_id: int | None
    user_id: int | None
    name: str
    mode: str  # in_person | online: how the person attends (for presence counts)
    is_moderator: bool
    is_speaker: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _room(room_id: int) -> Room:
    room = Room.objects.select_related("edition", "session").filter(pk=room_id).first()
    if room is None or not room.edition.is_public:
        raise NotFound(f"No room with id {room_id}.")
    return room


def may_moderate(user: User, room: Room) -> bool:
    if room.session is not None:
        return can_moderate(user, room.session)
    if isinstance(user, AnonymousUser):
        return False
    return is_organiser(user, room.edition) or room.edition.roles.filter(user=user, role="moderator").exists()


def membership_for(user: User, room_id: int) -> tuple[Membership, Room]:
    """Check that `user` may be in the room now; raise a service error saying why not."""
    room = _room(room_id)
    moderator = may_moderate(user, room)
    speaker = room.session is not None and is_speaker(user, room.session)
    if not (moderator or speaker):
        if room.session is not None and not attendance.may_attend(user, room.session):
            if isinstance(user, AnonymousUser):
                raise Forbidden("Log in to join this room.", code="login_required")
            raise Forbidden("This room is for registered or invited participants.", code="not_allowed")
        if room.session is None and attendance.registration_of(user, room.edition) is None:
            raise Forbidden(f"Register for {room.edition.title} to join this room.", code="not_allowed")
        if room.state == Room.State.CLOSED:
            raise Conflict("This room is closed at the moment.", code="room_closed")
    registration = attendance.registration_of(user, room.edition)
    authenticated = not isinstance(user, AnonymousUser)
    membership = Membership(
        room_id=room.pk,
        edition_id=room.edition_id,
        session_id=room.session_id,
        user_id=user.pk if authenticated else None,
        name=display_name(user) if authenticated else "",
        mode=registration.mode if registration else "online",
        is_moderator=moderator,
        is_speaker=speaker,
    )
    return membership, room


def room_state(membership: Membership, room: Room) -> dict:
    session = room.session
    data = {
        "room": {"id": room.pk, "name": room.name, "kind": room.kind, "state": room.state,
                 "edition": room.edition.slug},
        "session": None if session is None else {
            "id": session.pk, "title": session.title, "starts_at": session.starts_at,
            "ends_at": session.ends_at, "attendance_format": session.attendance_format,
            "status": session.status,
        },
        "you": {"user_id": membership.user_id, "name": membership.name, "mode": membership.mode,
                "is_moderator": membership.is_moderator, "is_speaker": membership.is_speaker},
        "announcements": [_announcement(a) for a in recent_announcements(room)],
    }
    data.update(state.collect(membership, room))
    return data


def recent_announcements(room: Room, limit: int = 5):
    from django.db.models import Q

    return Announcement.objects.filter(Q(room=room) | Q(room__isnull=True, edition=room.edition)).order_by(
        "-created_at")[:limit]


def _announcement(item: Announcement) -> dict:
    return {"id": item.pk, "text": item.text, "created_at": item.created_at, "scope": "room" if item.room_id else
            "edition"}


@transaction.atomic
def set_room_state(user: User, room_id: int, new_state: str) -> dict:
    room = _room(room_id)
    if not may_moderate(user, room):
        raise Forbidden("Only moderators can open, pause or close this room.", code="not_moderator")
    if new_state not in Room.State.values:
        raise InvalidInput(f"Unknown room state “{new_state}”; use open, paused or closed.", field="state")
    Room.objects.filter(pk=room.pk).update(state=new_state)
    data = {"state": new_state, "changed_at": timezone.now()}
    broadcast.after_commit(broadcast.publish, room.pk, "room.state", data)
    return data


@transaction.atomic
def announce(user: User, text: str, *, room_id: int | None = None, edition_id: int | None = None) -> dict:
    """An announcement to one room (its moderators) or to every room of an edition (organisers)."""
    text = clean_text(text, max_length=MAX_ANNOUNCEMENT, multiline=True, what="announcement", field="text")
    author = None if isinstance(user, AnonymousUser) else user
    if room_id is not None:
        room = _room(room_id)
        if not may_moderate(user, room):
            raise Forbidden("Only moderators can make announcements in this room.", code="not_moderator")
        item = Announcement.objects.create(edition=room.edition, room=room, text=text, author=author)
        targets = [room.pk]
    else:
        any_room = Room.objects.select_related("edition").filter(edition_id=edition_id or 0).first()
        if any_room is None or not is_organiser(user, any_room.edition):
            raise Forbidden("Only organisers can make announcements to a whole edition.", code="not_organiser")
        item = Announcement.objects.create(edition=any_room.edition, room=None, text=text, author=author)
        targets = list(Room.objects.filter(edition_id=any_room.edition_id).values_list("pk", flat=True))
    data = _announcement(item)
    for pk in targets:
        broadcast.after_commit(broadcast.publish, pk, "room.announcement", data)
    return data
