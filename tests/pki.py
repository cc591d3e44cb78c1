"""The tests' one helper for throwaway certificates made with cryptography (no CA):
a self-signed certificate and its key, and a password-protected .p12 of them.

The CA hierarchy, tokens and TSA of the signing tests build on the same `write_p12`
(tests/core/signing/signing_helpers.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "mat-khau-thu"
ORGANISATION = "UBND xã Thử Nghiệm"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def self_signed(
    common_name: str,
    *,
    organisation: str | None = ORGANISATION,
    start: timedelta = timedelta(days=-1),
    end: timedelta = timedelta(days=365),
    signing: bool | None = True,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new key and its self-signed certificate, valid from now+`start` to now+`end`.

    `signing`: True for a signing key usage (digital signature, non-repudiation), False
    for key encipherment only, None for no key usage extension at all."""
    key = new_key()
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation is not None:
        attributes += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    name = x509.Name(attributes)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + start)
        .not_valid_after(now + end)
    )
    if signing is not None:
        usage = x509.KeyUsage(
            digital_signature=signing, content_commitment=signing, key_encipherment=not signing,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        )  # fmt: skip
        builder = builder.add_extension(usage, critical=True)
    return key, builder.sign(key, hashes.SHA256())


def write_p12(
    path: Path,
    key: PrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate] | None = None,
    *,
    password: str | None = PASSWORD,
) -> Path:
    """`key`, `cert` (and its `chain`) in a .p12 protected by `password` (None: none)."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.NoEncryption()
        if password is None
        else serialization.BestAvailableEncryption(password.encode())
    )
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, cert, chain, encryption))
    return path


def make_p12(
    path: Path,
    common_name: str,
    *,
    expired: bool = False,
    days_left: int | None = None,
    signing: bool = True,
) -> Path:
    """A self-signed signing certificate and its key in a password-protected .p12;
    `days_left` sets the expiry, `signing=False` allows only key encipherment."""
    start, end = (
        (timedelta(days=-400), timedelta(days=-35))
        if expired
        else (timedelta(days=-1), timedelta(days=365))
    )
    if days_left is not None:
        end = timedelta(days=days_left, hours=1)
    key, cert = self_signed(common_name, start=start, end=end, signing=signing)
    return write_p12(path, key, cert)
