"""Which pages may open the websocket: its Origin header must be one of the site's own
origins, scheme, host and port alike: CONFERENCE_SITE_URL's and each of
CONFERENCE_CSRF_TRUSTED_ORIGINS. A socket carries the visitor's session cookie, so a page
served from anywhere else (another port of the same host, or plain http when the site is
https) must not be able to open one for them (cross-site websocket hijacking). Clients
that send no Origin at all are refused too; non-browser clients send the site's origin
with their device token."""

from urllib.parse import urlsplit

from channels.security.websocket import OriginValidator
from django.conf import settings


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL; a CSRF wildcard "https://*.example.org" becomes
    channels' subdomain pattern "https://.example.org"."""
    parts = urlsplit(url.strip().lower())
    return f"{parts.scheme}://{parts.netloc.replace('*.', '.', 1)}"


def site_origins() -> list[str]:
    return sorted({_origin(url) for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS] if url.strip()})


def SiteOriginValidator(application):  # noqa: N802 (named like channels' own validators)
    return OriginValidator(application, site_origins())
