"""The HTTP side of the API v1 client: session, token handling, answer checking.

- HTTP/1.1 with explicit timeouts (connect 15 s, read and write 60 s) and a capped
  socket send buffer, so upload progress and cancellation follow the wire.
- Every answer is validated against `desktop.portal.contract`; garbage (HTML, truncated
  JSON, a wrong shape) becomes `portal.bad_response`, never a crash.
- Network errors, 5xx and 429 are `TransientError` (with `retry_after` when the portal
  says); other 4xx are `PortalRefusedError` carrying the portal's problem code.
- An expired access token is refreshed once, then the request is repeated.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from desktop.errors import TransientError
from desktop.portal.contract import (
    PROBLEM_MEDIA_TYPE,
    AccountAccepted,
    AccountRegistration,
    Problem,
    TokenResponse,
)
from desktop.portal.errors import (
    E_BAD_RESPONSE,
    E_BUSY,
    E_LOGIN_REQUIRED,
    E_UNREACHABLE,
    PortalRefusedError,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(connect=15.0, read=60.0, write=60.0, pool=15.0)
SEND_BUFFER = 256 * 1024
EXPIRED_CODES = {"auth.token_expired", "auth.invalid_token", "auth.required"}


def retry_after_seconds(value: str | None, now: datetime | None = None) -> int | None:
    """Retry-After as seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, int((moment - (now or datetime.now(UTC))).total_seconds()))


def default_http_client() -> httpx.Client:
    """HTTP/1.1, explicit timeouts, a capped send buffer; no redirects to elsewhere."""
    transport = httpx.HTTPTransport(
        http1=True,
        http2=False,
        retries=0,
        socket_options=[(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)],
    )
    return httpx.Client(transport=transport, timeout=DEFAULT_TIMEOUT, follow_redirects=False)


class ApiSession:
    """Requests to one API v1 portal with one account's tokens (used from one thread)."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenResponse | None = None,
        on_tokens: Callable[[TokenResponse], None] | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._tokens = tokens
        self._fresh_until = 0.0 if tokens is None else time.monotonic() + tokens.expires_in - 30
        self._on_tokens = on_tokens
        self._http = http or default_http_client()
        self._lock = threading.Lock()

    # ------------------------------------------------------------ plumbing

    @property
    def tokens(self) -> TokenResponse | None:
        return self._tokens

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return f"{self.base_url}{path_or_url}"

    def _send(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One request; refresh the token once on 401; map transport errors and 5xx/429."""
        if auth:
            self._ensure_fresh()
        response = self._send_once(method, path, auth=auth, headers=headers, **kwargs)
        if (
            auth
            and response.status_code == 401
            and self._tokens is not None
            and self._problem_code(response) in EXPIRED_CODES
        ):
            self.refresh()
            response = self._send_once(method, path, auth=auth, headers=headers, **kwargs)
        if response.status_code == 401 and auth:
            raise PortalRefusedError(
                E_LOGIN_REQUIRED, status=401, title="login required", url=self.base_url
            )
        return response

    def _ensure_fresh(self) -> None:
        """Refresh a token about to expire, rather than have a long PATCH refused half-way."""
        if self._tokens is not None and time.monotonic() > self._fresh_until:
            self.refresh()

    def _send_once(
        self,
        method: str,
        path: str,
        *,
        auth: bool,
        headers: Mapping[str, str] | None,
        **kwargs: Any,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if auth and self._tokens is not None:
            all_headers["Authorization"] = f"Bearer {self._tokens.access_token}"
        url = self._url(path)
        try:
            response = self._http.request(method, url, headers=all_headers, **kwargs)
        except httpx.TransportError as exc:
            log.info("portal %s %s failed: %r", method, url, exc)
            raise TransientError(
                E_UNREACHABLE, url=self.base_url, detail=type(exc).__name__
            ) from exc
        if response.status_code >= 500 or response.status_code == 429:
            retry = retry_after_seconds(response.headers.get("Retry-After"))
            raise TransientError(
                E_BUSY, status=response.status_code, retry_after=retry if retry is not None else 30
            )
        return response

    @staticmethod
    def _problem_code(response: httpx.Response) -> str | None:
        try:
            data = response.json()
        except ValueError:
            return None
        code = data.get("code") if isinstance(data, dict) else None
        return code if isinstance(code, str) else None

    def _refuse(self, response: httpx.Response) -> PortalRefusedError:
        """A 4xx answer as an exception; a non-problem body still gives a clear error."""
        content_type = response.headers.get("content-type", "")
        try:
            problem = Problem.model_validate_json(response.content)
        except ValidationError:
            return PortalRefusedError(
                f"http.{response.status_code}",
                status=response.status_code,
                title=f"HTTP {response.status_code} ({content_type or 'no content type'})",
            )
        if not content_type.startswith(PROBLEM_MEDIA_TYPE):
            log.info("problem answered as %s", content_type)
        return PortalRefusedError(
            problem.code,
            status=problem.status,
            title=problem.title,
            **problem.params,
            **({"errors": problem.errors} if problem.errors else {}),
        )

    def _parse(self, response: httpx.Response, model: type[M], *, expect: set[int]) -> M:
        if response.status_code not in expect:
            if 400 <= response.status_code < 500:
                raise self._refuse(response)
            raise TransientError(
                E_BAD_RESPONSE,
                url=self.base_url,
                detail=f"unexpected status {response.status_code}",
            )
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            detail = describe_garbage(response, exc)
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail=detail) from exc

    def _expect_status(self, response: httpx.Response, expect: set[int]) -> None:
        if response.status_code not in expect:
            if 400 <= response.status_code < 500:
                raise self._refuse(response)
            raise TransientError(
                E_BAD_RESPONSE,
                url=self.base_url,
                detail=f"unexpected status {response.status_code}",
            )

    # ------------------------------------------------------------ accounts

    def health(self) -> None:
        """Raises TransientError unless the portal answers its health probe."""
        response = self._send("GET", "/v1/health", auth=False)
        self._expect_status(response, {200, 204})

    def register(self, registration: AccountRegistration) -> AccountAccepted:
        response = self._send(
            "POST", "/v1/accounts", auth=False, json=registration.model_dump(mode="json")
        )
        return self._parse(response, AccountAccepted, expect={200, 201, 202})

    def login(self, username: str, password: str) -> TokenResponse:
        """Password grant; keeps the tokens and reports them to `on_tokens`."""
        return self._grant({"grant_type": "password", "username": username, "password": password})

    def refresh(self) -> TokenResponse:
        """Refresh grant; on refusal the user must log in again (portal.login_required)."""
        if self._tokens is None:
            raise PortalRefusedError(
                E_LOGIN_REQUIRED, status=401, title="login required", url=self.base_url
            )
        try:
            return self._grant(
                {"grant_type": "refresh_token", "refresh_token": self._tokens.refresh_token}
            )
        except PortalRefusedError as exc:
            raise PortalRefusedError(
                E_LOGIN_REQUIRED, status=exc.status, title=exc.code, url=self.base_url
            ) from exc

    def _grant(self, form: dict[str, str]) -> TokenResponse:
        response = self._send("POST", "/v1/auth/token", auth=False, data=form)
        tokens = self._parse(response, TokenResponse, expect={200})
        with self._lock:
            self._tokens = tokens
            self._fresh_until = time.monotonic() + tokens.expires_in - 30
        if self._on_tokens is not None:
            self._on_tokens(tokens)
        return tokens


def describe_garbage(response: httpx.Response, exc: ValidationError) -> str:
    content_type = response.headers.get("content-type", "?")
    try:
        json.loads(response.content)
    except ValueError:
        return f"status {response.status_code}, {content_type}, not JSON"
    errors = exc.errors()
    if not errors:
        return f"status {response.status_code}, wrong shape"
    where = ".".join(str(p) for p in errors[0]["loc"])
    return f"status {response.status_code}, wrong shape at '{where}': {errors[0]['msg']}"
