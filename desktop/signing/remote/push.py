"""Client of a push-confirmation trust service (the shape of VNPT SmartCA's integration
API): every call is a JSON POST carrying the integrator's `sp_id` / `sp_password`; the
signer approves on their phone, we poll the transaction's status.

    POST {url}/v1/credentials/get_certificate   {sp_id, sp_password, user_id}
      → data.user_certificates[]: serial_number, cert_data (base64 DER),
        chain_data {ca_cert, root_cert} (base64 DER)
    POST {url}/v1/signatures/sign               {..., user_id, transaction_id,
         serial_number, sign_files[]: doc_id, data_to_be_signed (hex), sign_type "hash"}
      → data.transaction_id, data.expired_in (seconds)
    POST {url}/v1/signatures/sign/{transaction_id}/status   {sp_id, sp_password}
      → data.status waiting|confirmed|rejected|expired, data.signatures[]: doc_id,
        signature_value (base64)

A garbage answer, a transport failure and a refusal each become a clear `UserError`.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography import x509

from desktop.errors import UserError
from desktop.signing.remote.errors import (
    E_BAD_CLIENT,
    E_NO_REMOTE_CERT,
    E_SERVICE_DOWN,
    E_SERVICE_GARBAGE,
    E_SERVICE_REFUSED,
)
from desktop.signing.remote.services import Service, tls_context

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(20.0, connect=5.0)


@dataclass(frozen=True)
class RemoteCertificate:
    serial: str
    certificate: x509.Certificate
    chain: list[x509.Certificate]


@dataclass(frozen=True)
class Status:
    state: str  # waiting | confirmed | rejected | expired
    signatures: dict[str, bytes | None]  # doc_id → raw signature (None: not base64)


class GarbageError(ValueError):
    """The service's answer is not what the protocol says."""


def _der(value: Any) -> x509.Certificate:
    if not isinstance(value, str):
        raise GarbageError("certificate is not base64 text")
    try:
        return x509.load_der_x509_certificate(base64.b64decode(value, validate=True))
    except (ValueError, binascii.Error) as exc:
        raise GarbageError("certificate unreadable") from exc


class PushClient:
    """One service, one HTTP connection pool; close() when done."""

    def __init__(self, service: Service, secret: str, http: httpx.Client | None = None) -> None:
        self.service = service
        self._secret = secret
        self._http = http or httpx.Client(timeout=TIMEOUT, verify=tls_context())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PushClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = {"sp_id": self.service.client_id, "sp_password": self._secret, **body}
        name = self.service.name
        try:
            response = self._http.post(self.service.url + path, json=payload)
        except httpx.HTTPError as exc:
            log.warning("remote signing service %s: %r", name, exc)
            raise UserError(E_SERVICE_DOWN, name=name, reason=type(exc).__name__) from exc
        if response.status_code >= 500:
            raise UserError(E_SERVICE_DOWN, name=name, reason=f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise UserError(E_SERVICE_GARBAGE, name=name, reason="not JSON") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("status_code"), int):
            raise UserError(E_SERVICE_GARBAGE, name=name, reason="no status_code")
        code = answer["status_code"]
        if code == 401:
            raise UserError(E_BAD_CLIENT, name=name)
        if code != 200:
            message = str(answer.get("message") or code)[:200]
            raise UserError(E_SERVICE_REFUSED, name=name, reason=message)
        data = answer.get("data")
        if not isinstance(data, dict):
            raise UserError(E_SERVICE_GARBAGE, name=name, reason="no data")
        return data

    def certificates(self, user_id: str) -> list[RemoteCertificate]:
        try:
            data = self._post("/v1/credentials/get_certificate", {"user_id": user_id})
        except UserError as exc:
            if exc.code == E_SERVICE_REFUSED:
                raise UserError(E_NO_REMOTE_CERT, name=self.service.name, user=user_id) from exc
            raise
        try:
            found = []
            for item in data.get("user_certificates") or []:
                chain_data = item.get("chain_data") or {}
                chain = [_der(chain_data[k]) for k in ("ca_cert", "root_cert") if chain_data.get(k)]
                found.append(
                    RemoteCertificate(str(item["serial_number"]), _der(item["cert_data"]), chain)
                )
        except (GarbageError, KeyError, TypeError, AttributeError) as exc:
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason=str(exc)) from exc
        return found

    def sign(
        self, user_id: str, transaction_id: str, serial: str, hashes: dict[str, str], what: str
    ) -> int:
        """Send the hashes (doc_id → hex SHA-256); returns the seconds until expiry."""
        files = [
            {"doc_id": doc, "file_type": "pdf", "data_to_be_signed": digest, "sign_type": "hash"}
            for doc, digest in hashes.items()
        ]
        data = self._post(
            "/v1/signatures/sign",
            {
                "user_id": user_id,
                "transaction_id": transaction_id,
                "transaction_desc": what,
                "serial_number": serial,
                "sign_files": files,
            },
        )
        expires = data.get("expired_in")
        if not isinstance(expires, int) or isinstance(expires, bool) or expires <= 0:
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason="expired_in")
        return expires

    def status(self, transaction_id: str) -> Status:
        data = self._post(f"/v1/signatures/sign/{transaction_id}/status", {})
        state = data.get("status")
        if state not in {"waiting", "confirmed", "rejected", "expired"}:
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason="status")
        signatures: dict[str, bytes | None] = {}  # None: not base64 (refused when used)
        if state == "confirmed":
            try:
                for item in data.get("signatures") or []:
                    signatures[str(item["doc_id"])] = _signature(item["signature_value"])
            except (KeyError, TypeError) as exc:
                raise UserError(
                    E_SERVICE_GARBAGE, name=self.service.name, reason="signatures"
                ) from exc
        return Status(str(state), signatures)


def _signature(value: Any) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (TypeError, ValueError, binascii.Error):
        return None
