"""Print the ingest URL (with its key) of a session's stage, for ffmpeg or OBS:

    python manage.py stream_demo                      # the demo edition's live plenary: auto-live,
                                                      # reopened if an earlier demo stream ended it
    python manage.py stream_demo --edition E --session S [--auto-live]
"""

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
        self.stdout.write(backends.get().publish_url(endpoint.slug, endpoint.stream_key))
