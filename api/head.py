"""HEAD answered wherever GET is (RFC 9110, section 9.3.2): a pure-ASGI middleware hands a HEAD
request to the app as GET and drops the response's body, keeping its status and headers
(Content-Length, ETag, Content-Type … as for GET). Monitoring, link checkers and caches ask HEAD."""

from __future__ import annotations

from typing import Any

Message = dict[str, Any]


class HeadAsGetMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.pathsend":  # a file sent by path: nothing to send
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            elif message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, headers_only)
