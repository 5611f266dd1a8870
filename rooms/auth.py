"""Websocket authentication: the Django session cookie for browsers, or a device token
for non-browser clients (`Authorization: Bearer dt_…` header, or `?token=dt_…` for
devices that can only be given a URL, such as a projector's kiosk browser)."""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async

from people.services import user_for_device_token


def _token_from(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value.lower().startswith(b"bearer "):
            return value[7:].decode(errors="replace").strip()
    query = parse_qs(scope.get("query_string", b"").decode(errors="replace"))
    return query.get("token", [None])[0]


class DeviceTokenMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        raw = _token_from(scope)
        if raw:
            user = await database_sync_to_async(user_for_device_token)(raw)
            if user is None:
                # A wrong token is refused outright rather than silently treated as anonymous.
                await send({"type": "websocket.close", "code": 4003})
                return None
            scope = {**scope, "user": user}
            return await self.inner(scope, receive, send)
        return await AuthMiddlewareStack(self.inner)(scope, receive, send)
