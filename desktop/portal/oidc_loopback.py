"""Log in through the system browser, the code coming back on 127.0.0.1 (RFC 8252).

`login_with_browser` opens a one-shot HTTP listener on a port the system picks, opens the
provider's log-in page in the browser and waits for the redirect carrying the code (or
the provider's error); a request without the right `state` is answered and ignored.
"""

from __future__ import annotations

import secrets
import threading
import time
import webbrowser
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from desktop.errors import UserError, define
from desktop.portal.oidc import (
    CLIENT_ID,
    KeySet,
    OidcTokens,
    Pkce,
    authorization_url,
    discover,
    exchange_code,
)
from desktop.progress import CancelToken

CALLBACK_PATH = "/callback"
LOGIN_TIMEOUT = 300.0

E_LOGIN_TIMEOUT = define(
    "oidc.login_timeout",
    vi=(
        "Chưa nhận được kết quả đăng nhập từ trình duyệt sau {seconds} giây. Hãy chạy lại "
        "lệnh đăng nhập và hoàn tất trang đăng nhập trong trình duyệt."
    ),
    en=(
        "No log-in result came back from the browser within {seconds} seconds. Run the log-in "
        "again and finish the log-in page in the browser."
    ),
)
E_LOGIN_CANCELLED = define(
    "oidc.login_cancelled",
    vi="Đã huỷ đăng nhập.",
    en="Log-in cancelled.",
)
E_LOGIN_DENIED = define(
    "oidc.login_denied",
    vi="Nhà cung cấp đăng nhập {issuer} không cho đăng nhập ({error}: {description}).",
    en="The log-in provider {issuer} did not log you in ({error}: {description}).",
)

_DONE_PAGE = (
    "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>dvc-desk</title>"
    "</head><body><h1 id='result'>{title}</h1><p>{text}</p></body></html>"
)


class LoopbackReceiver:
    """A listener on 127.0.0.1:<ephemeral port> that waits for one redirect."""

    def __init__(self, state: str, *, path: str = CALLBACK_PATH) -> None:
        self._state, self._path = state, path
        self._result: dict[str, str] | None = None
        self._done = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the browser's redirect
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the code is in the query: never logged

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self._path}"

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        params = dict(parse_qsl(parts.query))
        if parts.path != self._path or params.get("state") != self._state or self._done.is_set():
            self._reply(request, 400, "Không dùng được", "Yêu cầu này không thuộc lần đăng nhập.")
            return
        if "error" in params:
            self._reply(request, 200, "Chưa đăng nhập", "Hãy quay lại dvc-desk để xem lý do.")
        else:
            self._reply(
                request, 200, "Đã đăng nhập", "Bạn có thể đóng trang này và quay lại dvc-desk."
            )
        self._result = params
        self._done.set()

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, title: str, text: str) -> None:
        body = _DONE_PAGE.format(title=escape(title), text=escape(text)).encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Cache-Control", "no-store")
        request.send_header("Referrer-Policy", "no-referrer")
        request.end_headers()
        request.wfile.write(body)

    def wait(self, timeout: float, cancel: CancelToken | None = None) -> dict[str, str]:
        """The redirect's query parameters; UserError when time runs out or on cancel."""
        deadline = time.monotonic() + timeout
        while not self._done.wait(0.2):
            if cancel is not None and cancel.cancelled:
                raise UserError(E_LOGIN_CANCELLED)
            if time.monotonic() >= deadline:
                raise UserError(E_LOGIN_TIMEOUT, seconds=int(timeout))
        assert self._result is not None
        return self._result

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackReceiver:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def login_with_browser(
    issuer: str,
    http: httpx.Client,
    *,
    open_browser: Callable[[str], object] = webbrowser.open,
    timeout: float = LOGIN_TIMEOUT,
    cancel: CancelToken | None = None,
    client_id: str = CLIENT_ID,
) -> OidcTokens:
    """The whole log-in: discovery, browser, loopback redirect, code exchange, ID token
    checked (signature, iss, aud, exp, nonce). `open_browser` gets the log-in URL (the
    CLI also prints it, for a browser on another screen)."""
    meta = discover(issuer, http)
    keys = KeySet(meta, http)
    pkce, state, nonce = Pkce.new(), secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    with LoopbackReceiver(state) as receiver:
        url = authorization_url(
            meta,
            redirect_uri=receiver.redirect_uri,
            state=state,
            nonce=nonce,
            pkce=pkce,
            client_id=client_id,
        )
        open_browser(url)
        params = receiver.wait(timeout, cancel)
        redirect_uri = receiver.redirect_uri
    # RFC 9207: an answer naming another issuer is a mix-up attack, not ours.
    if "iss" in params and params["iss"].rstrip("/") != meta.issuer.rstrip("/"):
        raise UserError(E_LOGIN_DENIED, issuer=meta.issuer, error="iss", description=params["iss"])
    if "error" in params or not params.get("code"):
        raise UserError(
            E_LOGIN_DENIED,
            issuer=meta.issuer,
            error=params.get("error", "no code"),
            description=params.get("error_description", ""),
        )
    return exchange_code(
        http,
        meta,
        keys,
        code=params["code"],
        redirect_uri=redirect_uri,
        pkce=pkce,
        nonce=nonce,
        client_id=client_id,
    )
