"""How live rooms follow the programme (connected in RoomsConfig.ready)."""

from programme.signals import SessionSaved

from .models import Room


def give_session_a_room(sender, event: SessionSaved, **kwargs) -> None:
    """Sessions with an online part get a live room; the room follows the title."""
    session = event.session
    if not session.has_online_part:
        return
    Room.objects.update_or_create(
        session=session,
        defaults={"edition": session.edition, "kind": Room.Kind.SESSION, "name": session.title,
                  "slug": session.slug},
    )
