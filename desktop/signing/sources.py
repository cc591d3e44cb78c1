"""Where signing keys come from: .p12 files, PKCS#11 tokens, remote trust services.

How a key is opened and how a certificate is judged usable live here once: the CLI
(`dvc-desk sign`, `dossier sign`, `bundle`) and the window's dialogs call the same
functions and show the same error codes. Runs on worker threads. A token's key is
opened, used and closed on one thread (the PKCS#11 session is thread-bound), so
`sign_with_key` opens the key and signs in the same call. Secrets are passed in, never
kept here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.errors import UserError

if TYPE_CHECKING:
    from desktop.signing.certs import CertificateInfo
    from desktop.signing.keys import SigningKey

P12 = "p12"
TOKEN = "token"  # noqa: S105 - a kind of key source, not a secret
REMOTE = "remote"  # a trust service: path is the service's name, token_label the signer's ID


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
    """The core's sentence for a certificate that may not sign (`signing_problem`), or
    empty when it may."""
    from desktop.signing.certs import signing_problem

    problem = signing_problem(info, now or datetime.now(UTC))
    return problem.message() if problem is not None else ""


def p12_certificate(path: str, password: str) -> CertificateChoice:
    """Open a .p12 with its password (the certificate is inside the encrypted file)."""
    return p12_certificate_der(path, password)[0]


def p12_certificate_der(path: str, password: str) -> tuple[CertificateChoice, bytes]:
    """The .p12's certificate as a choice, and its public DER bytes (for exporting)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from desktop.signing.pkcs12 import load_p12

    key = load_p12(Path(path), password)
    choice = CertificateChoice(KeySource(P12, path), key.info, why_unusable(key.info))
    return choice, key.certificate.public_bytes(Encoding.DER)


def token_certificate_der(source: KeySource, sha256: str) -> bytes:
    """The DER bytes of the certificate with fingerprint `sha256` on the token of
    `source` (a public object: no PIN). Refused clearly when the token was removed."""
    import hashlib

    from pkcs11 import Attribute, ObjectClass

    from desktop.signing.errors import E_NO_TOKEN
    from desktop.signing.tokens import load_module, module_in_use

    with module_in_use(source.path):
        lib = load_module(source.path)
        for slot in lib.get_slots(token_present=True):
            token = slot.get_token()
            if str(token.label).strip() != source.token_label:
                continue
            with token.open() as session:
                for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                    der = bytes(obj[Attribute.VALUE])
                    if hashlib.sha256(der).hexdigest() == sha256:
                        return der
    raise UserError(E_NO_TOKEN, label_part=f" «{source.token_label}»")


@dataclass(frozen=True)
class TokenModule:
    """One PKCS#11 module as scanned: its certificates, or why it could not be read."""

    path: str
    vendor: str
    """The CA or middleware whose install path this is; empty for a path the clerk set."""
    certificates: tuple[CertificateChoice, ...] = ()
    error: str = ""


def module_vendor(path: str) -> str:
    """Whose driver lives at `path` among the known install paths ("" if none)."""
    from desktop.signing.modules import KNOWN_CANDIDATES

    folded = path.replace("\\", "/").casefold()
    for candidate in KNOWN_CANDIDATES:
        if candidate.path.replace("\\", "/").casefold() == folded:
            return candidate.vendor
    return ""


def scan_token_modules(modules: list[str]) -> list[TokenModule]:
    """Each module's certificates (no PIN); a module that fails does not hide the others."""
    from desktop.errors import DvcError
    from desktop.signing.tokens import list_certificates

    scanned: list[TokenModule] = []
    for module in modules:
        vendor = module_vendor(module)
        try:
            found = tuple(
                CertificateChoice(
                    KeySource(TOKEN, module, token.label, info.key_id), info, why_unusable(info)
                )
                for token, info in list_certificates(module)
            )
        except DvcError as exc:
            scanned.append(TokenModule(module, vendor, error=exc.message()))
        except Exception as exc:  # a vendor's driver may fail in any way
            scanned.append(TokenModule(module, vendor, error=f"{type(exc).__name__}: {exc}"))
        else:
            scanned.append(TokenModule(module, vendor, found))
    return scanned


def find_token_modules(configured: list[Any]) -> list[str]:
    """Configured PKCS#11 modules, then the usual install paths of the CAs' drivers."""
    from desktop.signing.modules import find_modules

    return [str(p) for p in find_modules([str(c) for c in configured])]


@contextmanager
def open_key(source: KeySource, secret: str) -> Iterator[SigningKey]:
    """The signing key of `source`, unlocked by `secret` (password or PIN)."""
    if source.kind == P12:
        from desktop.signing.pkcs12 import load_p12

        yield load_p12(Path(source.path), secret)
        return
    # python-pkcs11 only for a token (a third of a second of start-up for a .p12).
    from desktop.signing.tokens import open_token_key, parse_key_id

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
