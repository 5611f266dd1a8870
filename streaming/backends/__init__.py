"""Media server adapters (see base.MediaBackend)."""

from django.conf import settings

from .base import MediaBackend
from .mediamtx import MediaMtxBackend
from .nginx_rtmp import NginxRtmpBackend

BACKENDS: dict[str, type[MediaBackend]] = {"nginx_rtmp": NginxRtmpBackend, "mediamtx": MediaMtxBackend}


def get(name: str | None = None) -> MediaBackend:
    return BACKENDS[name or settings.STREAMING_BACKEND]()
