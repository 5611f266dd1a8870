"""Write the AsyncAPI document of the websocket protocol (docs/asyncapi.json)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from rooms.asyncapi import build


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "asyncapi.json"))

    def handle(self, *args, **options):
        Path(options["output"]).write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {options['output']}")
