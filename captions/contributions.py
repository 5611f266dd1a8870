"""What live captions add to the room pages (rooms.extensions) and the session page (programme.extensions)."""

from django.urls import reverse

from . import services


def _captioned(room) -> bool:
    return room.session is not None and room.session.has_online_part


def page_config(request, access, page) -> dict:
    if page not in ("room", "backstage") or not _captioned(access.room):
        return {}
    # The player adds <name>.vtt for each recording it shows.
    base = reverse("captions-replay", args=[access.room.pk, "x"]).removesuffix("x.vtt")
    return {"captions": {"replayTrackBase": base,
                         "lang": access.room.session.language or "en"}}


def page_context(request, access, page) -> dict:
    return {"captions_on": page == "room" and _captioned(access.room)}


def session_page(request, session) -> dict:
    room = getattr(session, "room", None)
    if room is None or not session.has_online_part or not services.may_caption(request.user, session):
        return {}
    return {"captions_url": reverse("captioner", args=[room.pk])}
