"""The AsyncAPI document matches the server: generated from the registries, with one
valid example per message, and the committed docs/asyncapi.json is up to date."""

from pathlib import Path

import pytest
from django.conf import settings

from realtime import events
from rooms import commands
from rooms.command_examples import EXAMPLES
from rooms.management.commands.asyncapi import render


def test_every_command_has_a_valid_example():
    assert set(EXAMPLES) == set(commands.registry)
    for name, example in EXAMPLES.items():
        assert example["type"] == name
        commands.registry[name].schema.model_validate(example)


def test_every_event_example_is_valid():
    for spec in events.registry.values():
        spec.schema.model_validate(spec.example)


def test_committed_document_is_current():
    committed = Path(settings.BASE_DIR) / "docs" / "asyncapi.json"
    assert committed.exists(), "run: python manage.py asyncapi"
    assert committed.read_text(encoding="utf-8") == render(), "protocol changed: run python manage.py asyncapi"


@pytest.mark.parametrize("section", ["channels", "operations", "components"])
def test_document_has_asyncapi_sections(section):
    import json

    document = json.loads(render())
    assert document["asyncapi"] == "3.0.0"
    assert document[section]
