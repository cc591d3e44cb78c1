"""HEAD on every GET endpoint (a health probe, a link checker): answered as the GET
would be, without the body. Upload routes have their own HEAD (tus)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_sandbox.tus import PREFIX as UPLOADS


class HeadMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "HEAD"
            or scope["path"].startswith(UPLOADS)
        ):
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
