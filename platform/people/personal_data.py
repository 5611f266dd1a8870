"""What the platform keeps about a person, section by section: for the personal data export
(GDPR article 15) and for account deletion (article 17).

Every app that stores data about people registers its sections here from its
`AppConfig.ready`, so the core (people) never imports the features that build on it. A
section names the models it covers; a test fails when a model that points at the user is
covered by no section, so new apps cannot forget to.

Deletion keeps what organisers count (registrations by mode, messages per room, votes) on
rows that stay tied to the account, which is itself emptied of everything that identifies
the person (people.services.delete_account). What a person wrote or said about themselves
is erased. docs/accounts.md lists what happens to each kind of data."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

Exporter = Callable[[models.Model], object]
Eraser = Callable[[models.Model], None]


@dataclass(frozen=True)
class Section:
    name: str  # key in the export, e.g. "chat"
    models: tuple[type[models.Model], ...]  # the models whose rows about the person it covers
    export: Exporter  # the person's data as JSON-serialisable values
    erase: Eraser  # removes or anonymises it; runs inside the deletion's transaction
    order: int = 100  # erase order: features (low) before the core they build on (high)


_sections: dict[str, Section] = {}


def register(name: str, *, models: tuple[type[models.Model], ...] | list, export: Exporter, erase: Eraser,
             order: int = 100) -> None:
    if name in _sections and _sections[name].export is not export:
        raise ValueError(f"Personal data section {name!r} is registered twice")
    _sections[name] = Section(name, tuple(models), export, erase, order)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def covered_models() -> set[type[models.Model]]:
    return {model for section in _sections.values() for model in section.models}


def export(user) -> dict:
    return {section.name: section.export(user) for section in sorted(_sections.values(), key=lambda s: s.name)}


def erase(user) -> None:
    for section in sections():
        section.erase(user)


def moment(value) -> str | None:
    """Datetimes in exports: ISO 8601 in UTC."""
    return value.isoformat() if value is not None else None
