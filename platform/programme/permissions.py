"""Who may do what in an edition. Roles are explicit (EditionRole) or derived
from session assignments and registrations."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AccountUser

from .models import Edition, EditionRole, Session

# The default user model (the project sets no AUTH_USER_MODEL), or nobody logged in.
User = AccountUser | AnonymousUser


def is_organiser(user: User, edition: Edition) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return EditionRole.objects.filter(edition=edition, user=user, role=EditionRole.Role.ORGANISER).exists()


def can_moderate(user: User, session: Session) -> bool:
    if not user.is_authenticated:
        return False
    if is_organiser(user, session.edition) or session.moderators.filter(pk=user.pk).exists():
        return True
    return EditionRole.objects.filter(
        edition=session.edition, user=user, role=EditionRole.Role.MODERATOR
    ).exists()


def is_speaker(user: User, session: Session) -> bool:
    return user.is_authenticated and session.speakers.filter(pk=user.pk).exists()
