"""tus 1.0.0 core rules around the upload routes (`/v1/uploads/…`).

- `OPTIONS` answers 204 with `Tus-Version`, `Tus-Extension: checksum`, `Tus-Max-Size`
  and `Tus-Checksum-Algorithm` (no token needed, as the protocol says).
- Every other request must say `Tus-Resumable: 1.0.0`; another version (or none) gets
  412 with `Tus-Version`.
- Every answer carries `Tus-Resumable`; a method other than HEAD, PATCH, OPTIONS gets
  405 with `Allow`.

Uploads are created by `PUT /v1/dossiers/{uuid}` (the manifest), not by POST, so the
creation extension is not offered; the checksum extension is (portal_sandbox/uploads.py).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.portal.contract import PROBLEM_MEDIA_TYPE, TUS_VERSION, problem_type

PREFIX = "/v1/uploads/"
ALLOWED = "OPTIONS, HEAD, PATCH"
CHECKSUM_ALGORITHMS = ("sha256", "sha1")


def _tus_headers() -> list[tuple[bytes, bytes]]:
    return [(b"tus-resumable", TUS_VERSION.encode()), (b"cache-control", b"no-store")]


class TusMiddleware:
    def __init__(self, app: ASGIApp, *, max_size: int) -> None:
        self.app = app
        self.max_size = max_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        method = scope["method"].upper()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if method == "OPTIONS":
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        *_tus_headers(),
                        (b"tus-version", TUS_VERSION.encode()),
                        (b"tus-extension", b"checksum"),
                        (b"tus-max-size", str(self.max_size).encode()),
                        (b"tus-checksum-algorithm", ",".join(CHECKSUM_ALGORITHMS).encode()),
                        (b"allow", ALLOWED.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if method not in ("HEAD", "PATCH"):
            await self._problem(
                send, 405, "method_not_allowed", "Use HEAD or PATCH", [(b"allow", ALLOWED.encode())]
            )
            return
        if headers.get("tus-resumable") != TUS_VERSION:
            await self._problem(
                send,
                412,
                "upload.tus_version",
                f"Send Tus-Resumable: {TUS_VERSION}",
                [(b"tus-version", TUS_VERSION.encode())],
                head=method == "HEAD",
            )
            return

        async def with_tus_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in _tus_headers() if h[0] not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_tus_header)

    async def _problem(
        self,
        send: Send,
        status: int,
        code: str,
        title: str,
        extra: list[tuple[bytes, bytes]],
        *,
        head: bool = False,
    ) -> None:
        body = json.dumps(
            {"type": problem_type(code), "title": title, "status": status, "code": code,
             "params": {}}
        ).encode()  # fmt: skip
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    *_tus_headers(),
                    *extra,
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"" if head else body})
