"""ASGI entry point: HTTP goes to Django, websockets at /ws/ to the rooms consumer."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from rooms.auth import DeviceTokenMiddleware  # noqa: E402  (needs Django set up first)
from rooms.origins import SiteOriginValidator  # noqa: E402
from rooms.routing import websocket_urlpatterns  # noqa: E402

from .daphne_frames import install as close_oversized_frames_cleanly  # noqa: E402

close_oversized_frames_cleanly()  # before Daphne builds its websocket factory (see conference.daphne_frames)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SiteOriginValidator(DeviceTokenMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
