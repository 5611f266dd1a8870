"""nginx with libnginx-mod-rtmp (Debian). Its notify directives POST form fields:

    on_publish       call=publish, app, name, clientid, addr, tcurl, … plus the stream's query
                     arguments (key=K from rtmp://host/live/<slug>?key=K)
    on_publish_done  call=publish_done, app, name, clientid, addr
    on_record_done   call=record_done, app, name, clientid, recorder, path
    on_play          call=play, app, name, clientid, addr, … plus the query arguments
                     (token=T from rtmp://host/live/<slug>?token=T, a signed playback token)

Any non-2xx answer to on_publish rejects the publisher (we answer 403). A 3xx would rename the
stream (and leak the key into HLS file names), so we never redirect. nginx-rtmp has no separate
"ready" hook: a 2xx on_publish means the stream is live on the server, so the stream is ready as
soon as it is authorised. Stream ends come from on_publish_done, not from the playlist."""

import logging
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest

from .base import AUTHORISE, GONE, READ, RECORDING_DONE, HookError, HookEvent, MediaBackend

log = logging.getLogger(__name__)

CALLS = {"publish": AUTHORISE, "publish_done": GONE, "record_done": RECORDING_DONE, "play": READ}
CONTROL_HEADER = "X-Hook-Secret"  # the control endpoint takes the hooks' shared secret


class NginxRtmpBackend(MediaBackend):
    name = "nginx_rtmp"

    def parse(self, hook: str, request: HttpRequest) -> HookEvent:
        data = request.POST
        call = data.get("call", hook)
        kind = CALLS.get(call)
        if kind is None:
            raise HookError(f"unknown nginx-rtmp call {call!r}")
        name = data.get("name", "")
        if not name:
            raise HookError("no stream name")
        return HookEvent(kind=kind, stream=name, publisher_id=data.get("clientid", ""), key=data.get("key", ""),
                         addr=data.get("addr", ""), path=data.get("path", ""), token=data.get("token", ""),
                         then_ready=kind == AUTHORISE)

    def drop_publisher(self, slug: str) -> None:
        """Through nginx-rtmp's control module, when STREAMING_CONTROL_URL points at it
        (`rtmp_control all;` in an http location, e.g. http://127.0.0.1:8080/control), with the
        hooks' shared secret, which the generated configuration requires."""
        base = getattr(settings, "STREAMING_CONTROL_URL", "")
        if not base:
            return
        url = f"{base.rstrip('/')}/drop/publisher?{urlencode({'app': 'live', 'name': slug})}"
        request = urllib.request.Request(url, headers={CONTROL_HEADER: settings.STREAMING_HOOK_SECRET})  # noqa: S310
        try:
            urllib.request.urlopen(request, timeout=5).read()  # noqa: S310 (operator-configured URL)
        except OSError:
            log.warning("could not drop the publisher of %s through %s", slug, base, exc_info=True)


def config(*, rtmp_port: int, http_port: int, hook_base: str, secret: str, hls_dir: str, record_dir: str,
           work_dir: str, module: str = "/usr/lib/nginx/modules/ngx_rtmp_module.so", user: str = "",
           fragment: int = 1, playlist_length: int = 6) -> str:
    """An nginx.conf serving RTMP ingest, HLS files and recordings (used by the tests and by
    `manage.py streaming_nginx_config` for local runs). `hook_base`: the platform's URL.

    Nobody plays or controls the server without the platform's say: publishing and playing
    go through the platform's hooks (a stream key to publish, a signed playback token to play:
    rtmp://…/live/<slug>?token=T), playing only from this machine, and the control endpoint
    (which drops publishers) answers only requests carrying the shared secret."""
    if not secret or any(c in secret for c in ' "\'\\;{}$\n'):
        raise ValueError("The hook secret must not be empty nor contain spaces, quotes, backslashes, ';', '{', '}' "
                         "or '$' (it is written into nginx.conf).")
    hooks = f"{hook_base.rstrip('/')}/streaming/hooks/nginx-rtmp"
    query = f"?{urlencode({'secret': secret})}"
    header = "$http_" + CONTROL_HEADER.lower().replace("-", "_")
    return f"""load_module {module};
{f"user {user};" if user else ""}
daemon off;
master_process on;
worker_processes 1;
pid {work_dir}/nginx.pid;
error_log {work_dir}/error.log info;
events {{ worker_connections 256; }}
rtmp {{
    access_log {work_dir}/rtmp-access.log;
    server {{
        listen 127.0.0.1:{rtmp_port};
        chunk_size 4096;
        application live {{
            live on;
            allow publish all;
            allow play 127.0.0.1;
            deny play all;
            notify_method post;
            on_publish {hooks}/publish{query};
            on_publish_done {hooks}/publish_done{query};
            on_record_done {hooks}/record_done{query};
            on_play {hooks}/play{query};
            hls on;
            hls_path {hls_dir};
            hls_nested on;
            hls_fragment {fragment}s;
            hls_playlist_length {playlist_length}s;
            hls_cleanup on;
            record all;
            record_path {record_dir};
            record_unique on;
        }}
    }}
}}
http {{
    access_log {work_dir}/http-access.log;
    client_body_temp_path {work_dir}/client_body;
    proxy_temp_path {work_dir}/proxy;
    fastcgi_temp_path {work_dir}/fastcgi;
    uwsgi_temp_path {work_dir}/uwsgi;
    scgi_temp_path {work_dir}/scgi;
    server {{
        listen 127.0.0.1:{http_port};
        location /control {{
            if ({header} != "{secret}") {{ return 403; }}
            rtmp_control all;
        }}
    }}
}}
"""
