"""Facts about X.509 certificates and the checks made before a key may sign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPublicKeyTypes,
    PrivateKeyTypes,
)
from cryptography.x509.oid import NameOID

from desktop.errors import UserError
from desktop.signing.errors import (
    E_CERT_EXPIRED,
    E_CERT_NOT_YET_VALID,
    E_CERT_USAGE,
    E_KEY_MISMATCH,
    E_NOT_SIGNING_CERT,
)

VIETNAM = timezone(timedelta(hours=7), "ICT")
# The one key-usage policy of signing and verifying (docs/signing.md, "Key usage"): a
# certificate may sign documents when its KeyUsage has digitalSignature or
# nonRepudiation, or when it has no KeyUsage extension (unrestricted, RFC 5280 §4.2.1.3).
SIGNING_KEY_USAGES = ("digital_signature", "non_repudiation")


def may_sign(key_usage: tuple[str, ...]) -> bool:
    """Whether key usages (as `key_usages` names them) allow signing documents."""
    return not key_usage or bool(set(SIGNING_KEY_USAGES) & set(key_usage))


@dataclass(frozen=True)
class CertificateInfo:
    """What a clerk needs to choose a certificate; `key_id` is the token's CKA_ID (hex)."""

    subject: str
    common_name: str
    organisation: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    sha256: str
    key_id: str = ""
    label: str = ""
    is_ca: bool = False
    has_key: bool = True  # False: a token certificate with no key beside it

    @property
    def can_sign(self) -> bool:
        """A signing certificate with its key (a CA certificate on a token cannot)."""
        return self.has_key and not self.is_ca

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "common_name": self.common_name,
            "organisation": self.organisation,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": vietnam_time(self.not_before),
            "not_after": vietnam_time(self.not_after),
            "key_usage": list(self.key_usage),
            "sha256": self.sha256,
            "key_id": self.key_id,
            "label": self.label,
            "is_ca": self.is_ca,
            "can_sign": self.can_sign,
        }


def vietnam_time(moment: datetime) -> str:
    """ISO 8601 with the +07:00 offset, to the second (as DOMAIN.md shows it)."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def key_usages(cert: x509.Certificate) -> tuple[str, ...]:
    """The names of the key usages the certificate allows; empty when unrestricted."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return ()
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
    )
    found = [name for name in names if getattr(usage, name)]
    if usage.key_agreement:
        found += [n for n in ("encipher_only", "decipher_only") if getattr(usage, n)]
    return tuple("non_repudiation" if n == "content_commitment" else n for n in found)


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def describe(
    cert: x509.Certificate, *, key_id: bytes = b"", label: str = "", has_key: bool = True
) -> CertificateInfo:
    """A CertificateInfo for `cert` (names as RFC 4514 strings, times in UTC)."""
    return CertificateInfo(
        is_ca=is_ca(cert),
        has_key=has_key,
        subject=cert.subject.rfc4514_string(),
        common_name=_name_part(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_part(cert.subject, NameOID.ORGANIZATION_NAME),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_usage=key_usages(cert),
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
        key_id=key_id.hex(),
        label=label,
    )


def signing_problem(info: CertificateInfo, now: datetime | None = None) -> UserError | None:
    """Why the certificate described by `info` may not sign now (None when it may): out
    of its validity, a key usage that does not allow signing, or a CA certificate / one
    without its key. The one rule the CLI, the window and the signer apply."""
    now = now or datetime.now(UTC)
    who = info.common_name or info.subject
    if now > info.not_after:
        return UserError(E_CERT_EXPIRED, subject=who, not_after=vietnam_time(info.not_after))
    if now < info.not_before:
        return UserError(
            E_CERT_NOT_YET_VALID, subject=who, not_before=vietnam_time(info.not_before)
        )
    if not may_sign(info.key_usage):
        return UserError(E_CERT_USAGE, subject=who)
    if not info.can_sign:
        return UserError(E_NOT_SIGNING_CERT, subject=who)
    return None


def check_can_sign(cert: x509.Certificate, now: datetime | None = None) -> None:
    """Refuse certificates that are out of their validity or may not sign documents."""
    problem = signing_problem(describe(cert), now)
    if problem is not None:
        raise problem


def public_key_der(key: CertificateIssuerPublicKeyTypes | Any) -> bytes:
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def check_key_matches(cert: x509.Certificate, private_key: PrivateKeyTypes) -> None:
    """Refuse a private key whose public half is not the certificate's."""
    if public_key_der(private_key.public_key()) != public_key_der(cert.public_key()):
        info = describe(cert)
        raise UserError(E_KEY_MISMATCH, subject=info.common_name or info.subject)
