"""Pages of live rooms: the attendee room, the moderator console, the speaker view and the
projector view. Each is a server-rendered shell; the live parts are drawn by the ES modules
in rooms/static/rooms/ over the one websocket (/ws/, see rooms.protocol)."""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from conference.errors import NotFound, ServiceError

from . import extensions, services
from .models import Room


@dataclass
class Access:
    """Who is looking at a room page, or why they may not."""

    room: Room
    membership: services.Membership | None
    error: ServiceError | None

    @property
    def may_moderate(self) -> bool:
        return self.membership is not None and self.membership.is_moderator

    @property
    def may_see_speaker_view(self) -> bool:
        return self.membership is not None and (self.membership.is_moderator or self.membership.is_speaker)


def check_access(request: HttpRequest, room_id: int) -> Access:
    """The person's membership of the room, or the reason they have none (NotFound propagates)."""
    try:
        membership, room = services.membership_for(request.user, room_id)
    except NotFound:
        raise
    except ServiceError as exc:
        room = Room.objects.select_related("edition", "session").get(pk=room_id)
        return Access(room, None, exc)
    return Access(room, membership, None)


def room_link(user, session) -> dict | None:
    """What the session page offers about its live room: a join button, or why not, plus
    the moderator and speaker views for those who may open them."""
    room = getattr(session, "room", None) if session.has_online_part else None
    if room is None or session.is_cancelled:
        return None
    link = {"room": room, "url": reverse("room", args=[room.pk]), "may_join": True, "reason": "", "code": "",
            "moderate_url": "", "speaker_url": "", "replay": False, **extensions.link_facts.collect(session)}
    try:
        membership, _ = services.membership_for(user, room.pk)
    except ServiceError as exc:
        link.update(may_join=False, reason=exc.message, code=exc.code)
        return link
    if membership.is_moderator:
        link["moderate_url"] = reverse("room-moderate", args=[room.pk])
    if membership.is_moderator or membership.is_speaker:
        link["speaker_url"] = reverse("room-speaker", args=[room.pk])
    return link


def session_page(request: HttpRequest, session) -> dict:
    """Rooms' contribution to the session page (programme.extensions)."""
    return {"live_room": room_link(request.user, session)}


def denied(request: HttpRequest, room: Room, message: str, code: str, status: int = 403) -> HttpResponse:
    """A page saying why this person cannot see this room page, with the way forward."""
    here = quote(request.get_full_path())
    context = {
        "room": room,
        "edition": room.edition,
        "session": room.session,
        "message": message,
        "code": code,
        "login_url": f"{reverse('login')}?next={here}",
        "register_url": f"{reverse('register', args=[room.edition.slug])}?next={here}",
        "session_url": _join_path(room),
    }
    return render(request, "rooms/denied.html", context, status=status)


def refused(request: HttpRequest, access: Access) -> HttpResponse:
    assert access.error is not None
    return denied(request, access.room, access.error.message, access.error.code, access.error.status)


def role_required(request: HttpRequest, access: Access, who: str, page: str) -> HttpResponse:
    """`who` is plural: "moderators", "speakers and moderators"."""
    if not request.user.is_authenticated:
        return denied(request, access.room, f"Log in to open the {page}: it is for the {who} of this room.",
                       "login_required")
    return denied(request, access.room, f"Only the {who} of this room can open the {page}.", "not_moderator")


def page_context(request: HttpRequest, access: Access, page: str) -> dict:
    room, membership = access.room, access.membership
    assert membership is not None
    session = room.session
    config = {
        "page": page,
        "room": room.pk,
        "wsPath": "/ws/",
        "viewerZone": getattr(request, "viewer_time_zone", "UTC"),
        "you": membership.as_dict(),
        "loggedIn": request.user.is_authenticated,
        "loginUrl": f"{reverse('login')}?next={quote(request.get_full_path())}",
        **extensions.page_config.collect(request, access, page),  # e.g. chat's reaction set
    }
    return {
        "room": room,
        "edition": room.edition,
        "session": session,
        "membership": membership,
        "page": page,
        "config": config,
        "session_url": _join_path(room),
        "moderate_url": reverse("room-moderate", args=[room.pk]) if membership.is_moderator else "",
        "speaker_url": reverse("room-speaker", args=[room.pk]) if access.may_see_speaker_view else "",
        "projector_url": reverse("room-projector", args=[room.pk]),
        "room_url": reverse("room", args=[room.pk]),
        "show_viewer_zone": getattr(request, "viewer_time_zone", "UTC") != room.edition.time_zone,
        **extensions.page_context.collect(request, access, page),  # e.g. chat's reactions and questions
    }


def _join_path(room: Room) -> str:
    """Where people go to join: the session's page (it has the join button), or the room itself."""
    if room.session is not None:
        return reverse("session", args=[room.edition.slug, room.session.slug])
    return reverse("room", args=[room.pk])


def room_page(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if access.error is not None:
        return refused(request, access)
    return render(request, "rooms/room.html", page_context(request, access, "room"))


def moderate_page(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if not access.may_moderate:
        return role_required(request, access, "moderators", "moderator console")
    return render(request, "rooms/moderate.html", page_context(request, access, "moderate"))


def speaker_page(request: HttpRequest, room: int) -> HttpResponse:
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if not access.may_see_speaker_view:
        return role_required(request, access, "speakers and moderators", "speaker view")
    return render(request, "rooms/speaker.html", page_context(request, access, "speaker"))


def projector_page(request: HttpRequest, room: int) -> HttpResponse:
    """Full-screen view for the hall: whoever may be in the room may show it (it shows
    nothing the room page does not), typically on a venue PC logged in as a moderator."""
    access = page_access(request, room)
    if isinstance(access, HttpResponse):
        return access
    if access.error is not None:
        return refused(request, access)
    context = page_context(request, access, "projector")  # chat adds the highlighted and top questions
    join_url = projector_join_url(access.room)
    context.update(join_url=join_url, join_url_display=join_url.split("://", 1)[-1], qr_svg=qr_svg(join_url))
    return render(request, "rooms/projector.html", context)


def page_access(request: HttpRequest, room_id: int) -> Access | HttpResponse:
    try:
        return check_access(request, room_id)
    except NotFound as exc:
        return render(request, "404.html", {"message": exc.message}, status=404)


def projector_join_url(room: Room) -> str:
    """The address people in the hall scan: the session's page, or the edition's for a standing room."""
    if room.session is not None:
        return settings.SITE_URL + reverse("session", args=[room.edition.slug, room.session.slug])
    return settings.SITE_URL + reverse("edition", args=[room.edition.slug])


def qr_svg(data: str) -> str:
    """A QR code as inline SVG (no width/height: CSS sizes it)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2,
                         error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    start = svg.index("<svg")
    header_end = svg.index(">", start)
    header = svg[start:header_end]
    for attribute in ("width", "height"):
        at = header.find(f' {attribute}="')
        if at >= 0:
            end = header.index('"', at + len(attribute) + 3)
            header = header[:at] + header[end + 1:]
    header += ' role="img" aria-labelledby="qr-title"'
    body = svg[header_end:]
    body = body.replace(">", "><title id=\"qr-title\">QR code to join this session</title>", 1)
    return mark_safe(header + body)  # noqa: S308 (generated by qrcode from our own URL, no user markup)
