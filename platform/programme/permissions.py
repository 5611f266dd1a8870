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


def roles_in(user: User, edition: Edition) -> set[str]:
    """Every role the user holds in the edition, explicit or derived."""
    if not user.is_authenticated:
        return set()
    roles = set(EditionRole.objects.filter(edition=edition, user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(EditionRole.Role.ORGANISER)
    if Session.objects.filter(edition=edition, speakers=user).exists():
        roles.add(EditionRole.Role.SPEAKER)
    if Session.objects.filter(edition=edition, moderators=user).exists():
        roles.add(EditionRole.Role.MODERATOR)
    if edition.registrations.filter(user=user, status="confirmed").exists():
        roles.add(EditionRole.Role.ATTENDEE)
    return roles
