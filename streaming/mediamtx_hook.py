"""Called by MediaMTX's runOnReady / runOnNotReady / runOnRecordSegmentComplete:

    runOnReady: python -m streaming.mediamtx_hook ready
    runOnNotReady: python -m streaming.mediamtx_hook not_ready
    runOnRecordSegmentComplete: python -m streaming.mediamtx_hook record_done

POSTs MediaMTX's MTX_* environment as JSON to $CONFERENCE_STREAMING_HOOK_URL/<event> with the
shared secret ($CONFERENCE_STREAMING_HOOK_SECRET) in X-Hook-Secret. Standard library only (no
Django, no curl), so it runs in the MediaMTX container with just Python."""

import json
import os
import sys
import urllib.request

FIELDS = ("MTX_PATH", "MTX_QUERY", "MTX_SOURCE_TYPE", "MTX_SOURCE_ID", "MTX_SEGMENT_PATH")
EVENTS = ("ready", "not_ready", "record_done")


def request_for(event: str, environ: dict) -> urllib.request.Request:
    if event not in EVENTS:
        raise SystemExit(f"usage: python -m streaming.mediamtx_hook {'|'.join(EVENTS)}")
    base = environ.get("CONFERENCE_STREAMING_HOOK_URL", "http://127.0.0.1:8000/streaming/hooks/mediamtx")
    if not base.startswith(("http://", "https://")):
        raise SystemExit("CONFERENCE_STREAMING_HOOK_URL must be an http(s) URL")
    body = json.dumps({name: environ.get(name, "") for name in FIELDS}).encode()
    headers = {"Content-Type": "application/json",
               "X-Hook-Secret": environ.get("CONFERENCE_STREAMING_HOOK_SECRET", "")}
    url = f"{base.rstrip('/')}/{event}"
    return urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (http(s) only)


def main(argv: list[str]) -> int:
    request = request_for(argv[1] if len(argv) > 1 else "", dict(os.environ))
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http(s) checked above)
        return 0 if 200 <= response.status < 300 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
