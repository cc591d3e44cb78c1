"""What keeps web pages in the clerk's browser out of the sandbox portal.

The sandbox is the app's default portal, so clerks may put real data in it. Three
checks, before any route runs:

- **Host allow-list**: only `127.0.0.1`, `localhost` and `[::1]` (with any port) are
  answered; a DNS-rebinding page arrives with its own host name and gets 421.
- **Origin** on every state-changing request (POST, PUT, PATCH, DELETE): a browser
  sends it; one naming another site gets 403 (clients such as httpx send none).
- **A per-run secret** for the officer console, the mailbox, the fault switches, the CA's
  officer page and the test phone (`/sandbox/officer…`, `/sandbox/mail…`,
  `/sandbox/faults…`, `/sandbox/pki…`, `/sandbox/phone…`, `/sandbox/trust/faults`;
  the machine-to-machine `/pki/…`, `/csc/v2/…` and `/smartca/v1/…` stay open, they
  have their own credentials): printed on start and put
  in the links the app opens (`?key=…`, then kept in a SameSite=Strict cookie), or sent
  as the `X-Sandbox-Key` header. Without it: 401.
"""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from desktop.portal.contract import (
    PROBLEM_MEDIA_TYPE,
    SANDBOX_IDENTITY_PATH,
    problem_type,
    sandbox_identity_proof,
)

# Names of where the key travels, not keys (S105).
SECRET_HEADER = "x-sandbox-key"  # noqa: S105
SECRET_COOKIE = "dvc_sandbox_key"  # noqa: S105
SECRET_QUERY = "key"  # noqa: S105
PROTECTED = (
    "/sandbox/officer",
    "/sandbox/mail",
    "/sandbox/faults",
    "/sandbox/pki",
    "/sandbox/phone",
    "/sandbox/trust/faults",
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def host_name(value: str) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`, `[::1]:8765` → `::1`."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def protected(path: str) -> bool:
    return any(path == p or path.startswith((p + "/", p + ".")) for p in PROTECTED)


async def _problem(send: Send, status: int, code: str, title: str) -> None:
    body = json.dumps(
        {"type": problem_type(code), "title": title, "status": status,
         "code": code, "params": {}}
    ).encode()  # fmt: skip
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Host allow-list, Origin check and the per-run secret (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, *, secret: str, allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    ) -> None:
        self.app = app
        self.secret = secret
        self.allowed_hosts = {h.lower() for h in allowed_hosts}

    def _headers(self, scope: Scope) -> dict[str, str]:
        return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

    def _has_secret(self, scope: Scope, headers: dict[str, str]) -> bool:
        offered = [headers.get(SECRET_HEADER, "")]
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:
            cookie = SimpleCookie()
        if SECRET_COOKIE in cookie:
            offered.append(cookie[SECRET_COOKIE].value)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        offered.append(query.get(SECRET_QUERY, ""))
        return any(hmac.compare_digest(o.encode(), self.secret.encode()) for o in offered if o)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self._headers(scope)
        if host_name(headers.get("host", "")) not in self.allowed_hosts:
            await _problem(send, 421, "request.host_not_allowed", "Host not allowed")
            return
        method = scope["method"].upper()
        origin = headers.get("origin")
        if method in UNSAFE_METHODS and origin is not None:
            parsed = urlsplit(origin)
            same = parsed.scheme in ("http", "https") and (
                host_name(parsed.netloc) in self.allowed_hosts
            )
            if not same or headers.get("sec-fetch-site") == "cross-site":
                await _problem(send, 403, "request.cross_origin", "Cross-origin request refused")
                return
        path: str = scope["path"]
        if path == SANDBOX_IDENTITY_PATH:
            await self._prove_identity(scope, send)
            return
        if protected(path):
            if not self._has_secret(scope, headers):
                await _problem(
                    send, 401, "sandbox.key_required", "Open the link printed by the sandbox"
                )
                return
            if method == "GET" and SECRET_QUERY in dict(
                parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            ):
                await self._keep_in_cookie(scope, send)
                return
        await self.app(scope, receive, send)

    async def _prove_identity(self, scope: Scope, send: Send) -> None:
        """HMAC(secret, nonce): the app checks that the server on its port knows this run's
        key without ever sending the key (a foreign server would learn it)."""
        nonce = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("nonce", "")
        body = json.dumps({"proof": sandbox_identity_proof(self.secret, nonce)}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _keep_in_cookie(self, scope: Scope, send: Send) -> None:
        """`?key=…` once: the key moves to a cookie and the address loses it."""
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != SECRET_QUERY
        ]
        location = scope["path"] + (f"?{urlencode(query)}" if query else "")
        cookie = (
            f"{SECRET_COOKIE}={self.secret}; Path=/sandbox; HttpOnly; SameSite=Strict"
        ).encode()
        start: dict[str, Any] = {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode()),
                (b"set-cookie", cookie),
                (b"cache-control", b"no-store"),
                (b"content-length", b"0"),
            ],
        }
        await send(start)
        await send({"type": "http.response.body", "body": b""})
