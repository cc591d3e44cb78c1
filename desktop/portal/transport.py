"""The HTTP side of the API v1 client: session, token handling, answer checking.

- HTTP/1.1 with explicit timeouts (connect 15 s, read and write 60 s) and a capped
  socket send buffer, so upload progress and cancellation follow the wire.
- Every answer is validated against `desktop.portal.contract`; garbage (HTML, truncated
  JSON, a wrong shape) becomes `portal.bad_response`, never a crash.
- Network errors, 5xx and 429 are `TransientError` (with `retry_after` when the portal
  says); other 4xx are `PortalRefusedError` carrying the portal's problem code.
- An expired access token is refreshed once, then the request is repeated; when the
  refresh token is refused too, a stored password (the keyring login) gets new tokens.
- The sync engine and the CLI/UI use this one client (docs/portal-api.md): it counts
  the requests it sends and the upload bytes it offers, for tests and benchmarks.
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
    LoginRequiredError,
    PortalBusyError,
    PortalRefusedError,
    PortalUnreachableError,
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


def default_http_client(timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """HTTP/1.1, explicit timeouts, a capped send buffer; no redirects to elsewhere."""
    transport = httpx.HTTPTransport(
        http1=True,
        http2=False,
        retries=0,
        socket_options=[(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)],
    )
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)


# Where a login comes from when no token works: (username, password), e.g. the keyring's.
PasswordSource = Callable[[], tuple[str, str]]


class ApiSession:
    """Requests to one API v1 portal with one account's tokens (used from one thread)."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenResponse | None = None,
        on_tokens: Callable[[TokenResponse], None] | None = None,
        http: httpx.Client | None = None,
        password: PasswordSource | None = None,
        fresh_for: float | None = None,
    ) -> None:
        """`tokens`: a pair to start with; `fresh_for`: seconds its access token may still
        be used (default: its lifetime, as just granted; 0 for a pair kept from an earlier
        run, refreshed before the first request). `password`: logs in when there are no
        tokens or the refresh token is refused. `on_tokens` hears every new pair."""
        self.base_url = base_url.rstrip("/")
        self._tokens = tokens
        self._fresh_until = 0.0
        if tokens is not None:
            self._fresh_until = time.monotonic() + (
                tokens.expires_in - 30 if fresh_for is None else fresh_for
            )
        self._on_tokens = on_tokens
        self._password = password
        self._http = http or default_http_client()
        self._lock = threading.RLock()
        self.requests = 0  # requests sent (answered or not), token grants and probes included
        self.bytes_sent = 0  # upload payload offered to the portal, pieces sent again included
        self.grants = 0  # token pairs obtained

    # ------------------------------------------------------------ plumbing

    @property
    def tokens(self) -> TokenResponse | None:
        return self._tokens

    @property
    def client(self) -> httpx.Client:
        """The httpx client underneath (callers of the sync engine close it this way)."""
        return self._http

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def url(self, path_or_url: str) -> str:
        """An absolute URL for a path the portal gave (upload, payment, result URLs)."""
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
        if auth and response.status_code == 401 and self._expired(response):
            self.refresh()
            response = self._send_once(method, path, auth=auth, headers=headers, **kwargs)
        if response.status_code == 401 and auth:
            raise LoginRequiredError(self.base_url)
        return response

    def _expired(self, response: httpx.Response) -> bool:
        """A 401 that new tokens may cure (we hold a way to get them)."""
        renewable = self._tokens is not None or self._password is not None
        return renewable and self._problem_code(response) in EXPIRED_CODES

    def _ensure_fresh(self) -> None:
        """Log in, or refresh a token about to expire (rather than have a long PATCH
        refused half-way)."""
        with self._lock:
            if self._tokens is None:
                if self._password is not None:
                    self.refresh()
            elif time.monotonic() > self._fresh_until:
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
        url = self.url(path)
        self.requests += 1
        try:
            response = self._http.request(method, url, headers=all_headers, **kwargs)
        except httpx.TransportError as exc:
            log.info("portal %s %s failed: %r", method, url, exc)
            raise PortalUnreachableError(self.base_url, type(exc).__name__) from exc
        if response.status_code >= 500 or response.status_code == 429:
            retry = retry_after_seconds(response.headers.get("Retry-After"))
            raise PortalBusyError(response.status_code, retry)
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
        self._expect_status(response, expect)
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

    def health(self, timeout: float | None = None) -> None:
        """Raises TransientError unless the portal answers its health probe."""
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        response = self._send("GET", "/v1/health", auth=False, **extra)
        self._expect_status(response, {200, 204})

    def reachable(self, timeout: float = 3.0) -> bool:
        """The reachability probe: True when `/v1/health` answers 2xx within `timeout`."""
        try:
            self.health(timeout)
        except (TransientError, PortalRefusedError):
            return False
        return True

    def register(self, registration: AccountRegistration) -> AccountAccepted:
        response = self._send(
            "POST", "/v1/accounts", auth=False, json=registration.model_dump(mode="json")
        )
        return self._parse(response, AccountAccepted, expect={200, 201, 202})

    def login(self, username: str, password: str) -> TokenResponse:
        """Password grant; keeps the tokens and reports them to `on_tokens`."""
        return self._grant({"grant_type": "password", "username": username, "password": password})

    def refresh(self) -> TokenResponse:
        """New tokens: the refresh grant, else the stored password; when both are refused
        the user must log in again (LoginRequiredError, portal.login_required). Being
        offline is not a refusal: TransientError goes up as it is."""
        with self._lock:
            refused: PortalRefusedError | None = None
            if self._tokens is not None:
                try:
                    return self._grant(
                        {"grant_type": "refresh_token", "refresh_token": self._tokens.refresh_token}
                    )
                except PortalRefusedError as exc:
                    refused = exc
            if self._password is not None:
                username, password = self._password()
                try:
                    return self.login(username, password)
                except PortalRefusedError as exc:
                    refused = exc
            raise LoginRequiredError(
                self.base_url,
                status=refused.status if refused else 401,
                title=refused.code if refused else "login required",
            ) from refused

    def _token_request(self, form: dict[str, str]) -> httpx.Response:
        """POST a grant to the token endpoint (an OpenID session sends it elsewhere)."""
        return self._send("POST", "/v1/auth/token", auth=False, data=form)

    def _grant(self, form: dict[str, str]) -> TokenResponse:
        response = self._token_request(form)
        tokens = self._parse(response, TokenResponse, expect={200})
        with self._lock:
            self._tokens = tokens
            self._fresh_until = time.monotonic() + tokens.expires_in - 30
            self.grants += 1
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
