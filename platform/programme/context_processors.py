"""What every page's header needs: the edition whose navigation it shows. Pages about an edition
pass their own `edition`; every other page (agenda, notifications, profile…) shows the current one,
so the brand and the edition's links stay the same wherever people go."""

from django.utils.functional import SimpleLazyObject

from . import services


def navigation(request) -> dict:
    return {"nav_edition": SimpleLazyObject(services.current_edition)}
