"""Daphne refuses an oversized websocket message with a close frame, not a dropped connection.

Daphne passes its message-size limit (`--websocket-max-message-size`, 1 MiB by default) to
autobahn, whose factories default to `failByDrop=True`: a message over the limit, or any other
protocol error such as invalid UTF-8, makes it cut the TCP connection without a close frame.
The client then sees code 1006 ("abnormal closure") and cannot tell a refused frame from a
network failure, so it reconnects and may send the same frame again. With failByDrop off,
autobahn sends the close frame RFC 6455 asks for (1009 "message too big", 1007 "invalid
payload") and then closes.

Daphne builds its factory inside `Server.run()` with no option for this, after it imported the
ASGI application; `conference.asgi` therefore calls `install()`, which makes daphne.server use
the subclass below. Frames under the platform's own limit (rooms.protocol.MAX_FRAME_BYTES) and
between that and Daphne's limit get an error frame `frame_too_large` from the consumer."""

from daphne import server, ws_protocol


class WebSocketFactory(ws_protocol.WebSocketFactory):
    def resetProtocolOptions(self) -> None:
        super().resetProtocolOptions()
        self.failByDrop = False


def install() -> None:
    server.WebSocketFactory = WebSocketFactory
