"""A person's roles in editions and sessions (a section of people.personal_data). On
deletion the roles go: the person is no longer listed as a speaker, moderator or invitee."""

from people import personal_data
from people.personal_data import moment

from .models import EditionRole, Session


def _sessions(queryset) -> list:
    return [{"session": s.title, "edition": s.edition.title, "starts_at": moment(s.starts_at)}
            for s in queryset.select_related("edition").order_by("starts_at")]


def export(user) -> dict:
    return {
        "edition_roles": [{"edition": r.edition.title, "role": r.role}
                          for r in EditionRole.objects.filter(user=user).select_related("edition")],
        "speaking": _sessions(Session.objects.filter(speakers=user)),
        "moderating": _sessions(Session.objects.filter(moderators=user)),
        "invited_to": _sessions(Session.objects.filter(invitees=user)),
    }


def erase(user) -> None:
    EditionRole.objects.filter(user=user).delete()
    for relation in (Session.speakers, Session.moderators, Session.invitees):
        relation.through.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("roles", models=[EditionRole, Session], export=export, erase=erase, order=60)
