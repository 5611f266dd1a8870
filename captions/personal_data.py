"""Captions a person wrote as a captioner (a section of people.personal_data). On deletion the
lines stay with the session and its replay (they transcribe what speakers said, not the
captioner's own data) without saying who wrote them."""

from people import personal_data
from people.personal_data import moment

from .models import Caption


def export(user) -> list:
    return [{"session": c.session.title, "text": c.text, "written_at": moment(c.created_at)}
            for c in Caption.objects.filter(author=user).select_related("session").order_by("pk")]


def erase(user) -> None:
    Caption.objects.filter(author=user).update(author=None)


def register() -> None:
    personal_data.register("captions", models=[Caption], export=export, erase=erase, order=40)
