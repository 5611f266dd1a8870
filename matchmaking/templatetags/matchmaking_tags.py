"""Slot times as participants read them: in their own zone, with the venue's when it differs."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def slot_label(slot, edition, with_date: bool = True) -> str:
    viewer = timezone.get_current_timezone()
    start, end = timezone.localtime(slot.starts_at, viewer), timezone.localtime(slot.ends_at, viewer)
    label = f"{start:%a %d %b, }" if with_date else ""
    label += f"{start:%H:%M}–{end:%H:%M}"
    venue = slot.starts_at.astimezone(edition.tz)
    if venue.utcoffset() != start.utcoffset():
        label += f" ({venue:%H:%M} at the venue)"
    return label


@register.filter
def get_plenary(blocked: dict, slot_id: int) -> str:
    """Title of the plenary blocking a slot (blocked: slot id → session)."""
    session = blocked.get(slot_id)
    return session.title if session else ""
