"""Chat of a live room: send, history, delete, mute and unmute, slow mode.

Every function takes the caller's `Membership` of the room (rooms.services), which the
socket layer verified when the caller joined; room state, mutes and moderator rights are
read again from the database on every call, so a room closed or a right withdrawn since
the join takes effect at once. Other callers (admin, tasks) get a membership with
`actor_for(user, room_id)`.

Text is stored as typed (minus surrounding whitespace; the platform's text rule, conference.text,
refuses control characters) and is never HTML: clients render it as text. Messages are in the
database before they are broadcast."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conference.errors import Conflict, Forbidden, InvalidInput, NotFound
from conference.text import clean_text
from people.services import display_name
from people.verification import require_verified_email
from programme.models import EditionRole
from programme.permissions import is_organiser
from realtime import broadcast, ratelimit
from rooms.models import Room
from rooms.services import Membership, may_moderate, membership_for

from .models import Message, Mute, RoomSettings

MAX_MESSAGE = 1000
HISTORY_LIMIT = 50  # default page size, and messages in the join state
MAX_HISTORY_LIMIT = 100
RATE_LIMIT = 5  # messages per user and room ...
RATE_WINDOW = 10  # ... per this many seconds
MAX_SLOW_MODE = 3600
MAX_MUTE_MINUTES = 60 * 24 * 30
MAX_REASON = 200
SCOPES = ("room", "edition")


# --- who and where -----------------------------------------------------------------------


def actor_for(user, room_id: int) -> Membership:
    """The membership of a user acting outside a socket (admin, views): same access rules."""
    return membership_for(user, room_id)[0]


def _user(user_id: int | None):
    if user_id is None:
        raise Forbidden("Log in to take part.", code="login_required")
    return get_user_model().objects.select_related("profile").get(pk=user_id)


def require_login(member: Membership) -> int:
    if member.user_id is None:
        raise Forbidden("Log in to take part.", code="login_required")
    return member.user_id


def require_contributor(member: Membership) -> int:
    """The member's user id if they may write or vote: logged in, with a confirmed email
    address (one per person, so limits per person cannot be multiplied with accounts)."""
    user_id = require_login(member)
    require_verified_email(user_id)
    return user_id


def room_of(member: Membership) -> Room:
    return Room.objects.select_related("edition", "session").get(pk=member.room_id)


def require_moderator(member: Membership, room: Room | None = None) -> Room:
    """The room, if the caller moderates it now (checked against the database)."""
    room = room or room_of(member)
    if member.user_id is None or not may_moderate(_user(member.user_id), room):
        raise Forbidden("Only the room's moderators can do this.", code="not_moderator")
    return room


def require_open(room: Room, member: Membership, *, paused_allowed: bool = False) -> None:
    """Closed rooms take no contributions; paused rooms take none from attendees."""
    if room.state == Room.State.CLOSED:
        raise Conflict("The room is closed.", code="room_closed")
    if room.state == Room.State.PAUSED and not paused_allowed and not member.is_moderator:
        raise Conflict("The room is paused; please wait until the moderators resume it.", code="room_paused")


def room_settings(room_id: int) -> RoomSettings:
    settings, _ = RoomSettings.objects.get_or_create(room_id=room_id)
    return settings


def slow_mode_seconds(room_id: int) -> int:
    value = RoomSettings.objects.filter(room_id=room_id).values_list("slow_mode_seconds", flat=True).first()
    return value or 0


# --- messages -----------------------------------------------------------------------------


def message_data(message: Message) -> dict:
    return {"id": message.pk, "author": {"id": message.author_id, "name": display_name(message.author)},
            "text": message.text, "created_at": message.created_at}


def post_message(member: Membership, text: str) -> dict:
    """Store a chat message and broadcast it (event chat.message)."""
    user_id = require_contributor(member)
    text = clean_text(text, max_length=MAX_MESSAGE, multiline=True, what="message", field="text")
    room = room_of(member)
    require_open(room, member)
    muted = active_mute(user_id, room)
    if muted is not None:
        until = f" until {muted.until:%H:%M} UTC" if muted.until else ""
        raise Forbidden(f"A moderator muted you in this {'room' if muted.room_id else 'event'}{until}.",
                        code="muted")
    wait = ratelimit.hit(f"{{room:{room.pk}}}:chat-rate:{user_id}", RATE_LIMIT, RATE_WINDOW)
    if wait is not None:
        raise Conflict(f"You are sending messages too fast; wait {wait} s.", code="rate_limited")
    seconds = slow_mode_seconds(room.pk)
    if seconds and not member.is_moderator:
        wait = ratelimit.claim(f"{{room:{room.pk}}}:slow:{user_id}", seconds)
        if wait is not None:
            raise Conflict(f"Slow mode is on: one message every {seconds} s; wait {wait} s.", code="slow_mode")
    with transaction.atomic():
        message = Message.objects.create(room=room, author_id=user_id, text=text)
        data = {"id": message.pk, "author": {"id": user_id, "name": member.name}, "text": message.text,
                "created_at": message.created_at}
        broadcast.after_commit(broadcast.publish, room.pk, "chat.message", data)
    return data


def recent_messages(room_id: int, *, before: int | None = None, limit: int = HISTORY_LIMIT) -> tuple[list, bool]:
    """Up to `limit` visible messages before the message id `before`, oldest first,
    and whether there are older ones."""
    query = Message.objects.filter(room_id=room_id, deleted_at__isnull=True)
    if before is not None:
        query = query.filter(pk__lt=before)
    page = list(query.select_related("author__profile").order_by("-pk")[:limit + 1])
    more = len(page) > limit
    return [message_data(m) for m in reversed(page[:limit])], more


def history(member: Membership, *, before: int | None = None, limit: int = HISTORY_LIMIT) -> dict:
    if not 1 <= limit <= MAX_HISTORY_LIMIT:
        raise InvalidInput(f"limit is between 1 and {MAX_HISTORY_LIMIT}.", field="limit")
    messages, more = recent_messages(member.room_id, before=before, limit=limit)
    return {"messages": messages, "next_before": messages[0]["id"] if more and messages else None}


def delete_message(member: Membership, message_id: int) -> dict:
    """Delete one's own message, or (moderators) anyone's: it disappears for everyone."""
    user_id = require_login(member)
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(
            pk=message_id, room_id=member.room_id, deleted_at__isnull=True).first()
        if message is None:
            raise NotFound("No such message in this room.", field="message")
        if message.author_id != user_id:
            require_moderator(member)
        message.deleted_at = timezone.now()
        message.deleted_by_id = user_id
        message.save(update_fields=["deleted_at", "deleted_by"])
        data = {"id": message.pk}
        broadcast.after_commit(broadcast.publish, member.room_id, "chat.deleted", data)
    return data


def erase_messages_of(user_id: int) -> None:
    """Account deletion: the person's messages disappear for everyone and lose their text;
    the rows stay, so rooms' message counts stay right."""
    with transaction.atomic():
        shown = list(Message.objects.filter(author_id=user_id, deleted_at__isnull=True).values_list("pk", "room_id"))
        Message.objects.filter(author_id=user_id, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), deleted_by_id=user_id)
        Message.objects.filter(author_id=user_id).update(text="")
        Mute.objects.filter(user_id=user_id).update(reason="")  # what a moderator wrote about the person
        for message_id, room_id in shown:
            broadcast.after_commit(broadcast.publish, room_id, "chat.deleted", {"id": message_id})


# --- mutes ---------------------------------------------------------------------------------


def _active_mutes(user_id: int, room: Room, now: dt.datetime):
    return Mute.objects.filter(
        Q(room=room) | Q(room__isnull=True, edition_id=room.edition_id),
        user_id=user_id, lifted_at__isnull=True,
    ).filter(Q(until__isnull=True) | Q(until__gt=now))


def active_mute(user_id: int | None, room: Room) -> Mute | None:
    """The mute that keeps the user from posting in the room now (the longest), if any."""
    if user_id is None:
        return None
    mutes = list(_active_mutes(user_id, room, timezone.now()))
    if not mutes:
        return None
    return max(mutes, key=lambda m: (m.until is None, m.until or timezone.now()))


def is_muted(user_id: int | None, room: Room) -> bool:
    return active_mute(user_id, room) is not None


def _require_scope_rights(member: Membership, room: Room, scope: str) -> None:
    if scope not in SCOPES:
        raise InvalidInput("scope is “room” or “edition”.", field="scope")
    require_moderator(member, room)
    if scope == "edition":
        user = _user(member.user_id)
        if not (is_organiser(user, room.edition) or EditionRole.objects.filter(
                edition=room.edition, user=user, role=EditionRole.Role.MODERATOR).exists()):
            raise Forbidden("Only organisers and edition-wide moderators can mute across the event.",
                            code="not_moderator")


def _scope_filter(room: Room, scope: str) -> Q:
    return Q(room=room) if scope == "room" else Q(room__isnull=True, edition_id=room.edition_id)


def mute(member: Membership, user_id: int, scope: str = "room", minutes: int | None = None,
         reason: str = "") -> dict:
    """Keep a user from chatting in this room, or in every room of the edition, for
    `minutes` or until lifted. Replaces the user's earlier mute of the same scope."""
    room = room_of(member)
    _require_scope_rights(member, room, scope)
    if minutes is not None and not 1 <= minutes <= MAX_MUTE_MINUTES:
        raise InvalidInput(f"minutes is between 1 and {MAX_MUTE_MINUTES}, or empty for “until lifted”.",
                           field="minutes")
    reason = clean_text(reason or "", max_length=MAX_REASON, required=False, what="reason")
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise NotFound("No such user.", field="user")
    if target.pk == member.user_id or may_moderate(target, room):
        raise Forbidden("Moderators of the room cannot be muted.", code="not_allowed", field="user")
    now = timezone.now()
    until = now + dt.timedelta(minutes=minutes) if minutes else None
    with transaction.atomic():
        Mute.objects.filter(_scope_filter(room, scope), user=target, lifted_at__isnull=True).update(lifted_at=now)
        Mute.objects.create(user=target, edition_id=room.edition_id, room=room if scope == "room" else None,
                            until=until, reason=reason, created_by_id=member.user_id)
        data = {"room": room.pk, "scope": scope, "until": until}
        broadcast.after_commit(broadcast.publish_to_user, target.pk, "chat.muted", data)
    return {"user": target.pk, **data}


def unmute(member: Membership, user_id: int, scope: str = "room") -> dict:
    room = room_of(member)
    _require_scope_rights(member, room, scope)
    with transaction.atomic():
        lifted = Mute.objects.filter(_scope_filter(room, scope), user_id=user_id, lifted_at__isnull=True).update(
            lifted_at=timezone.now())
        data = {"room": room.pk, "scope": scope, "until": None}
        if lifted:
            broadcast.after_commit(broadcast.publish_to_user, user_id, "chat.unmuted", data)
    return {"user": user_id, "scope": scope, "lifted": lifted}


# --- slow mode -----------------------------------------------------------------------------


def set_slow_mode(member: Membership, seconds: int) -> dict:
    """At most one message per `seconds` per attendee (0: off); moderators are exempt."""
    if not 0 <= seconds <= MAX_SLOW_MODE:
        raise InvalidInput(f"Slow mode is between 0 (off) and {MAX_SLOW_MODE} seconds.", field="seconds")
    room = require_moderator(member)
    with transaction.atomic():
        room_settings(room.pk)
        RoomSettings.objects.filter(room=room).update(slow_mode_seconds=seconds)
        data = {"slow_mode_seconds": seconds}
        broadcast.after_commit(broadcast.publish, room.pk, "chat.settings", data)
    return data


# --- join state ----------------------------------------------------------------------------


def chat_state(member: Membership, room: Room) -> dict:
    messages, _ = recent_messages(room.pk)
    return {"messages": messages, "slow_mode_seconds": slow_mode_seconds(room.pk),
            "muted": is_muted(member.user_id, room)}
