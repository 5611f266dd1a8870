"""Every text column of the platform's own models follows the text rule (conference.text).

`protect()` runs once at start-up (ConferenceConfig.ready) and, for every CharField,
TextField and JSONField of the models of the apps in this repository:
- adds the rule to the field's validators (single-line for CharField, multi-line for
  TextField), so the organiser admin, every ModelForm and `full_clean()` refuse such text
  with a message on the field;
- checks the values being saved in a pre_save handler and raises `InvalidInput` (a 400 or an
  error frame with code `invalid`, never a database error), so text that a service forgot to
  check is refused before the database: a NUL fails on PostgreSQL, a lone surrogate on
  every database, and both would break the XML and JSON that carry the text later.
  The save check looks only for the characters that are never allowed (multi-line rule):
  line breaks in a single-line column are left to the validators.

It is installed here rather than written on each field so that it is one rule in one place,
fields added later are covered, and no migration is needed (Field.deconstruct() reports
only the validators given to the constructor). `QuerySet.update()` and `bulk_create()` do not
send pre_save: the services that use them with people's text check it themselves."""

from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save

from . import text
from .errors import InvalidInput

# model → [(field name, attribute name, is JSON)]
_checked: dict[type[models.Model], list[tuple[str, str, bool]]] = {}


def _own_models() -> Iterator[type[models.Model]]:
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts and "site-packages" not in path.parts:
            yield from config.get_models()


def protect() -> None:
    for model in _own_models():
        fields = []
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                fields.append((field.name, field.attname, True))
            elif isinstance(field, models.CharField | models.TextField):
                rule = text.multi_line if isinstance(field, models.TextField) else text.single_line
                if rule not in field.validators:
                    field.validators.append(rule)  # the cached list Field.run_validators() uses
                fields.append((field.name, field.attname, False))
        if fields:
            _checked[model] = fields
            pre_save.connect(_refuse_forbidden_characters, sender=model,
                             dispatch_uid=f"stored_text.{model._meta.label}")


def _strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _refuse_forbidden_characters(sender, instance, update_fields=None, **kwargs) -> None:
    loaded = instance.__dict__  # only values present: reading a deferred field would query it
    for name, attname, is_json in _checked.get(sender, ()):
        if (update_fields is not None and name not in update_fields) or attname not in loaded:
            continue
        value = loaded[attname]
        for string in _strings(value) if is_json else (value,) if isinstance(value, str) else ():
            reason = text.problem(string, multiline=True)
            if reason:
                label = sender._meta.get_field(name).verbose_name
                raise InvalidInput(f"The {label} {reason}.", field=name)
