"""MediaMTX (docker-compose): RTMP/SRT/WHIP in, HLS/WHEP out.

- Authentication: `authMethod: http`, `authHTTPAddress: http://web:8000/streaming/hooks/mediamtx/auth?secret=S`.
  MediaMTX POSTs JSON {"user", "password", "token", "ip", "action", "path", "protocol", "id",
  "query"} for every publish and read; a 2xx allows it, anything else refuses. Publishers send
  the key as the query (`rtmp://host/live/<slug>?key=K`, SRT `streamid=publish:live/<slug>:?key=K`);
  viewers send their signed playback token (`?token=…`).
- Stream ready / gone: `runOnReady` / `runOnNotReady` run
  `python -m streaming.mediamtx_hook ready|not_ready`, which POSTs MediaMTX's environment
  (MTX_PATH, MTX_QUERY, MTX_SOURCE_TYPE, MTX_SOURCE_ID) to /streaming/hooks/mediamtx/<event>.
- Recordings: `runOnRecordSegmentComplete: python -m streaming.mediamtx_hook record_done`
  (MTX_SEGMENT_PATH)."""

import json
from urllib.parse import parse_qs

from django.http import HttpRequest, HttpResponse

from .base import AUTHORISE, GONE, READ, READY, RECORDING_DONE, HookError, HookEvent, MediaBackend

PREFIX = "live/"
EVENTS = {"ready": READY, "not_ready": GONE, "record_done": RECORDING_DONE}


def stream_of(path: str) -> str:
    path = path.strip("/")
    if not path.startswith(PREFIX):
        raise HookError(f"path {path!r} is not under {PREFIX}")
    return path.removeprefix(PREFIX)


def query_value(query: str, name: str) -> str:
    return parse_qs(query.lstrip("?")).get(name, [""])[0]


class MediaMtxBackend(MediaBackend):
    name = "mediamtx"

    def parse(self, hook: str, request: HttpRequest) -> HookEvent:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise HookError("the body is not JSON") from exc
        if not isinstance(body, dict):
            raise HookError("the body is not a JSON object")
        if hook == "auth":
            action = body.get("action")
            query = body.get("query") or ""
            stream = stream_of(body.get("path") or "")
            if action == "publish":
                key = query_value(query, "key") or body.get("password") or ""
                return HookEvent(kind=AUTHORISE, stream=stream, key=key, publisher_id=body.get("id") or "",
                                 addr=body.get("ip") or "", extra={"protocol": body.get("protocol")})
            if action in ("read", "playback"):
                token = query_value(query, "token") or body.get("token") or body.get("password") or ""
                return HookEvent(kind=READ, stream=stream, token=token, addr=body.get("ip") or "")
            raise HookError(f"action {action!r} is not allowed through this hook")
        kind = EVENTS.get(hook)
        if kind is None:
            raise HookError(f"unknown MediaMTX hook {hook!r}")
        return HookEvent(kind=kind, stream=stream_of(body.get("MTX_PATH") or ""),
                         publisher_id=body.get("MTX_SOURCE_ID") or "", path=body.get("MTX_SEGMENT_PATH") or "",
                         extra={"source_type": body.get("MTX_SOURCE_TYPE"), "query": body.get("MTX_QUERY")})

    def reject(self, event: HookEvent, reason: str) -> HttpResponse:
        return HttpResponse(reason, status=401 if reason in ("wrong_key", "bad_token") else 403,
                            content_type="text/plain")

    def ingest_key(self, slug: str, key: str) -> str:
        return f"{slug}?key={key}"
