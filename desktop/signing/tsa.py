"""RFC 3161 timestamp client over httpx (pyHanko's own clients need requests/aiohttp)."""

from __future__ import annotations

import httpx
from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper


class TsaUnreachableError(Exception):
    """The timestamp server could not be reached or answered nonsense."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class HttpxTimeStamper(TimeStamper):
    """Asks one TSA URL for timestamp tokens; every failure becomes TsaUnreachableError."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.url = url
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            response = httpx.post(
                self.url,
                content=req.dump(),
                headers={"Content-Type": "application/timestamp-query"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise TsaUnreachableError(self.url, type(exc).__name__) from exc
        if response.status_code != 200:
            raise TsaUnreachableError(self.url, f"HTTP {response.status_code}")
        if response.headers.get("content-type", "").split(";")[0] != "application/timestamp-reply":
            raise TsaUnreachableError(self.url, "not a timestamp reply")
        try:
            return tsp.TimeStampResp.load(response.content)
        except ValueError as exc:
            raise TsaUnreachableError(self.url, "malformed timestamp reply") from exc
