"""Print the ingest URL (with its key) of a session's stage, for ffmpeg or OBS:

    python manage.py stream_demo                      # the demo edition's live plenary: auto-live,
                                                      # reopened if an earlier demo stream ended it
    python manage.py stream_demo --edition E --session S [--auto-live]
"""

import os
import shlex
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programme.models import Session
from streaming import backends, services


class Command(BaseCommand):
    help = "Print the RTMP publish URL (server/stream?key=…) of a session's stage."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--edition", default="demo")
        parser.add_argument("--session", default="live-plenary")
        parser.add_argument("--auto-live", action="store_true",
                            help="Go live as soon as the stream arrives (default for the demo session)")

    def handle(self, *args, **options) -> None:
        session = Session.objects.filter(edition__slug=options["edition"], slug=options["session"]).first()
        if session is None:
            raise CommandError(f"No session {options['session']!r} in edition {options['edition']!r} "
                               f"(load the demo data: python manage.py load_demo).")
        endpoint = services.endpoint_for(session)
        demo = options["edition"] == "demo" and options["session"] == "live-plenary"
        if (options["auto_live"] or demo) and not endpoint.auto_live:
            endpoint.auto_live = True
            endpoint.save(update_fields=["auto_live"])
        room = getattr(session, "room", None)
        if demo and room is not None:  # the demo can be presented again after it ended
            services.reopen_stage(None, room.pk)
        ingest = _make_run_ingest_url()
        if ingest and "CONFERENCE_STREAMING_INGEST_URL" not in os.environ:
            settings.STREAMING_INGEST_URL = ingest  # the port `make run` chose, not the default
        self.stdout.write(backends.get().publish_url(endpoint.slug, endpoint.stream_key))


def _make_run_ingest_url() -> str:
    """The ingest URL of the running `make run`, from the settings file it writes (var/run-local.env)."""
    path = Path(settings.BASE_DIR) / "var" / "run-local.env"
    if not path.is_file():
        return ""
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name == "CONFERENCE_STREAMING_INGEST_URL":
            return "".join(shlex.split(value))
    return ""
