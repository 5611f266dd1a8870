from django.urls import path

from .consumers import RoomSocket

websocket_urlpatterns = [path("ws/", RoomSocket.as_asgi())]
