"""The session layer of the service-style (LGSP) adapter: log-in, renewal, the envelope.

Log-in is a POST of `{username, password}` (header `madonvi`) answering a session; every
other call is a POST of `{session, madonvi, service, ...}` to `{base}/service`, answered
`{error_code: 0, ...}`. A session the platform no longer takes (error 2) is renewed with
the password once and the call sent again (a refused call did nothing).
"""

from __future__ import annotations

from typing import Any

import httpx

from desktop.errors import TransientError
from desktop.portal.errors import (
    E_BAD_RESPONSE,
    LoginRequiredError,
    PortalRefusedError,
    ServiceRefusedError,
)
from desktop.portal.transport import ApiSession, PasswordSource

DEFAULT_UNIT = "000.00.00.H00"
E_CREDENTIALS, E_SESSION, E_NOT_FOUND, E_EXISTS = 1, 2, 3, 4
STATUS_OF = {E_NOT_FOUND: 404, E_EXISTS: 409}


class LgspSession:
    """One account's session on one integration platform; used from one thread."""

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.Client | None = None,
        password: PasswordSource | None = None,
        unit_code: str | None = None,
    ) -> None:
        # The HTTP plumbing of API v1 (transport errors, 5xx/429 → busy), without its tokens.
        self._wire = ApiSession(base_url, http=http)
        self.base_url = self._wire.base_url
        self._password = password
        self.unit_code = unit_code or DEFAULT_UNIT
        self._session: str | None = None
        self.logins = 0

    def close(self) -> None:
        self._wire.close()

    def url(self, path_or_url: str) -> str:
        return self._wire.url(path_or_url)

    def _send_once(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self._wire._send_once(method, path, **kwargs)

    def reachable(self, timeout: float = 3.0) -> bool:
        try:
            self.health(timeout)
        except (TransientError, PortalRefusedError):
            return False
        return True

    def health(self, timeout: float | None = None) -> None:
        """Any answer of the platform's root (a 5xx raises PortalBusyError)."""
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        self._send_once("GET", "/", auth=False, headers=None, **extra)

    def login(self, username: str, password: str) -> None:
        """Open a session; PortalRefusedError auth.invalid_credentials when refused."""
        response = self._send_once(
            "POST", "/login", auth=False, headers={"madonvi": self.unit_code},
            json={"username": username, "password": password},
        )  # fmt: skip
        answer = self._envelope(response, "login")
        if answer["error_code"] != 0:
            raise PortalRefusedError(
                "auth.invalid_credentials", status=401, title=str(answer.get("message", ""))
            )
        session = answer.get("session")
        if not isinstance(session, str) or not session:
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail="login without session")
        self._session = session
        self.logins += 1

    def _renew(self) -> str:
        """A session: log in with the password (LoginRequiredError when there is none or
        it is refused)."""
        if self._password is None:
            raise LoginRequiredError(self.base_url)
        username, password = self._password()
        try:
            self.login(username, password)
        except PortalRefusedError as exc:
            raise LoginRequiredError(self.base_url, status=exc.status, title=exc.code) from exc
        assert self._session is not None
        return self._session

    def _envelope(self, response: httpx.Response, service: str) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("error_code"), int):
            detail = f"{service}: status {response.status_code}, not an LGSP answer"
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail=detail)
        return data

    def call(self, service: str, **fields: Any) -> dict[str, Any]:
        """One service call; the answer's fields (ServiceRefusedError when error_code != 0)."""
        renewed = False
        session = self._session or self._renew()
        while True:
            body = {"session": session, "madonvi": self.unit_code, "service": service, **fields}
            response = self._send_once(
                "POST", "/service", auth=False, headers={"madonvi": self.unit_code}, json=body
            )
            answer = self._envelope(response, service)
            code = answer["error_code"]
            if code == E_SESSION and not renewed:
                renewed = True
                session = self._renew()
                continue
            if code == E_SESSION:
                raise LoginRequiredError(self.base_url)
            if code != 0:
                raise ServiceRefusedError(
                    self.base_url, service, code, str(answer.get("message", "")),
                    STATUS_OF.get(code, 422),
                )  # fmt: skip
            return answer
