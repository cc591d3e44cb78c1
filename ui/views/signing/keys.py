"""Where signing keys come from, for the dialog: .p12 files and PKCS#11 tokens.

Runs on worker threads. A token's key is opened, used and closed on one thread (the
PKCS#11 session is thread-bound), so `sign_with_key` opens the key and signs in the
same call. Secrets are passed in, never kept here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.errors import UserError
from desktop.signing.errors import E_CERT_EXPIRED, E_CERT_NOT_YET_VALID, E_CERT_USAGE

if TYPE_CHECKING:
    from desktop.signing.certs import CertificateInfo
    from desktop.signing.keys import SigningKey

P12 = "p12"
TOKEN = "token"  # noqa: S105 - a kind of key source, not a secret


@dataclass(frozen=True)
class KeySource:
    """A .p12 file, or one certificate on a token (module, token label, CKA_ID)."""

    kind: str
    path: str
    token_label: str = ""
    key_id: str = ""


@dataclass(frozen=True)
class CertificateChoice:
    """A certificate the clerk can pick, and why it cannot sign (empty if it can)."""

    source: KeySource
    info: CertificateInfo
    problem: str

    @property
    def usable(self) -> bool:
        return not self.problem


def why_unusable(info: CertificateInfo, now: datetime | None = None) -> str:
    """The core's sentence for an expired, not yet valid or non-signing certificate."""
    from desktop.signing.certs import vietnam_time

    now = now or datetime.now(UTC)
    who = info.common_name or info.subject
    if now > info.not_after:
        error = UserError(E_CERT_EXPIRED, subject=who, not_after=vietnam_time(info.not_after))
    elif now < info.not_before:
        error = UserError(
            E_CERT_NOT_YET_VALID, subject=who, not_before=vietnam_time(info.not_before)
        )
    elif info.key_usage and not {"digital_signature", "non_repudiation"} & set(info.key_usage):
        error = UserError(E_CERT_USAGE, subject=who)
    else:
        return ""
    return error.message()


def p12_certificate(path: str, password: str) -> CertificateChoice:
    """Open a .p12 with its password (the certificate is inside the encrypted file)."""
    from desktop.signing.pkcs12 import load_p12

    key = load_p12(Path(path), password)
    return CertificateChoice(KeySource(P12, path), key.info, why_unusable(key.info))


def token_certificates(modules: list[str]) -> list[CertificateChoice]:
    """Certificates on the tokens of each module (public objects: no PIN needed)."""
    from desktop.signing.tokens import list_certificates

    found: list[CertificateChoice] = []
    for module in modules:
        for token, info in list_certificates(module):
            source = KeySource(TOKEN, module, token.label, info.key_id)
            found.append(CertificateChoice(source, info, why_unusable(info)))
    return found


def find_token_modules(configured: list[Any]) -> list[str]:
    """Configured PKCS#11 modules, then the usual install paths of the CAs' drivers."""
    from desktop.signing.modules import find_modules

    return [str(p) for p in find_modules([str(c) for c in configured])]


@contextmanager
def open_key(source: KeySource, secret: str) -> Iterator[SigningKey]:
    """The signing key of `source`, unlocked by `secret` (password or PIN)."""
    from desktop.signing.pkcs12 import load_p12
    from desktop.signing.tokens import open_token_key, parse_key_id

    if source.kind == P12:
        yield load_p12(Path(source.path), secret)
        return
    with open_token_key(
        source.path,
        secret,
        token_label=source.token_label or None,
        key_id=parse_key_id(source.key_id or None),
    ) as key:
        yield key


def sign_with_key(source: KeySource, secret: str, sign: Callable[[SigningKey], Any]) -> Any:
    """Open the key and call `sign(key)` on this thread, then close the key."""
    with open_key(source, secret) as key:
        return sign(key)
