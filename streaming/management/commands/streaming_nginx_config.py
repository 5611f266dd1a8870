"""Write an nginx.conf for nginx with libnginx-mod-rtmp serving local runs (`make run`):

    python manage.py streaming_nginx_config --dir var/streaming/nginx [--rtmp-port 1935] [--http-port 8935]

RTMP ingest on 127.0.0.1, HLS into STREAMING_HLS_DIR, recordings into STREAMING_RECORD_DIR,
hooks to CONFERENCE_SITE_URL with the shared secret. Publishing needs the session's stream key,
playing RTMP a signed playback token (both checked by the platform's hooks), and the control
endpoint (/control on the HTTP port) the shared secret in an X-Hook-Secret header. Start it with
`nginx -p DIR -c DIR/nginx.conf -e DIR/error.log`."""

import os
import pwd
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from streaming.backends import nginx_rtmp


class Command(BaseCommand):
    help = "Write an nginx-rtmp configuration for local runs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default="var/streaming/nginx")
        parser.add_argument("--rtmp-port", type=int, default=1935)
        parser.add_argument("--http-port", type=int, default=8935)
        parser.add_argument("--module", default="/usr/lib/nginx/modules/ngx_rtmp_module.so")

    def handle(self, *args, **options) -> None:
        if not settings.STREAMING_HOOK_SECRET:
            raise CommandError("Set CONFERENCE_STREAMING_HOOK_SECRET first.")
        work = Path(options["dir"]).resolve()
        for path in (work, Path(settings.STREAMING_HLS_DIR), Path(settings.STREAMING_RECORD_DIR),
                     Path(settings.STREAMING_REPLAY_DIR)):
            path.mkdir(parents=True, exist_ok=True)
        # As root, nginx's workers would run as nobody, who cannot write our directories.
        user = pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else ""
        conf = work / "nginx.conf"
        try:
            text = nginx_rtmp.config(
                rtmp_port=options["rtmp_port"], http_port=options["http_port"], hook_base=settings.SITE_URL,
                secret=settings.STREAMING_HOOK_SECRET, hls_dir=str(Path(settings.STREAMING_HLS_DIR).resolve()),
                record_dir=str(Path(settings.STREAMING_RECORD_DIR).resolve()), work_dir=str(work),
                module=options["module"], user=user, fragment=1, playlist_length=6)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        conf.write_text(text)
        self.stdout.write(str(conf))
