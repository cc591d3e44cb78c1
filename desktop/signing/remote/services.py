"""The configured trust services: the `remote_signing_services` setting (name, kind,
URL, client id) and each one's client secret in the OS keyring, never in a file."""

from __future__ import annotations

import contextlib
import ssl
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlparse

import httpx
import keyring
from keyring.errors import KeyringError

from desktop.errors import UserError
from desktop.signing.remote.errors import (
    E_KEYRING,
    E_NO_CLIENT_SECRET,
    E_NO_SERVICE,
    E_SERVICE_SETTING,
)

KINDS = ("push", "csc")
KEYRING_PREFIX = "dvc-desk-remote-signing:"


@dataclass(frozen=True)
class Service:
    name: str
    kind: str  # push (SmartCA-like confirmation on the phone) | csc (CSC API v2)
    url: str
    client_id: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "url": self.url, "client_id": self.client_id}


def parse_service(entry: Any) -> Service:
    """One setting entry; refused with a sentence when a field is missing or wrong."""
    if not isinstance(entry, dict):
        raise UserError(E_SERVICE_SETTING, reason="not an object / không phải một mục")
    values = {k: entry.get(k) for k in ("name", "kind", "url", "client_id")}
    for key, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise UserError(E_SERVICE_SETTING, reason=f"{key}")
    if values["kind"] not in KINDS:
        raise UserError(E_SERVICE_SETTING, reason=f"kind={values['kind']}")
    if urlparse(str(values["url"])).scheme not in {"http", "https"}:
        raise UserError(E_SERVICE_SETTING, reason=f"url={values['url']}")
    return Service(
        name=str(values["name"]),
        kind=str(values["kind"]),
        url=str(values["url"]).rstrip("/"),
        client_id=str(values["client_id"]),
    )


def check_services(value: list[Any]) -> None:
    """The setting's check: every entry valid, names unique."""
    names = [parse_service(entry).name for entry in value]
    if len(names) != len(set(names)):
        raise UserError(E_SERVICE_SETTING, reason="name twice / tên trùng")


def find_service(entries: list[Any], name: str) -> Service:
    for entry in entries:
        service = parse_service(entry)
        if service.name == name:
            return service
    raise UserError(E_NO_SERVICE, name=name)


def store_secret(service: Service, secret: str) -> None:
    try:
        keyring.set_password(KEYRING_PREFIX + service.url, service.client_id, secret)
    except KeyringError as exc:
        raise UserError(E_KEYRING, name=service.name, detail=type(exc).__name__) from exc


def client_secret(service: Service) -> str:
    secret = None
    with contextlib.suppress(KeyringError):
        secret = keyring.get_password(KEYRING_PREFIX + service.url, service.client_id)
    if not secret:
        raise UserError(E_NO_CLIENT_SECRET, name=service.name)
    return secret


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (the same CA bundle, SSL_CERT_FILE honoured), built
    once per process: httpx builds a new one for every client (about 70 ms reading the
    bundle), and a job makes a client per step (start, each poll, each resume)."""
    return httpx.create_ssl_context()
