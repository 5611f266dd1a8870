from django.utils.functional import SimpleLazyObject

from . import verification


def viewer_time_zone(request):
    return {"viewer_time_zone": getattr(request, "viewer_time_zone", "UTC")}


def email_verified(request):
    """`email_verified` in templates: looked up only by pages that use it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"email_verified": False}
    return {"email_verified": SimpleLazyObject(lambda: verification.email_verified(user))}
