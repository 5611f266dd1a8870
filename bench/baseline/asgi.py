"""ASGI application of the baseline: the same Django project, with /ws/ routed to the
tutorial consumer (run: daphne bench.baseline.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.baseline.settings"  # with a channel layer
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from .consumer import TutorialChatConsumer  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": AuthMiddlewareStack(URLRouter([path("ws/", TutorialChatConsumer.as_asgi())])),
})
