"""A person's roles in editions and sessions, and the materials they added (sections of
people.personal_data). On deletion the roles go: the person is no longer listed as a speaker,
moderator or invitee. Slides and links they added stay with the session (they are part of the
conference's record, like the session itself) without saying who added them."""

from people import personal_data
from people.personal_data import moment

from .models import EditionRole, Material, Session


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


def export_materials(user) -> list:
    return [{"session": m.session.title, "title": m.title, "kind": m.kind, "link": m.url or None,
             "file": m.file.name.rsplit("/", 1)[-1] if m.file else None, "added_at": moment(m.created_at)}
            for m in Material.objects.filter(uploaded_by=user).select_related("session").order_by("pk")]


def erase_materials(user) -> None:
    Material.objects.filter(uploaded_by=user).update(uploaded_by=None)


def register() -> None:
    personal_data.register("roles", models=[EditionRole, Session], export=export, erase=erase, order=60)
    personal_data.register("materials", models=[Material], export=export_materials, erase=erase_materials,
                           order=60)
