"""Test certificates for the UI: .p12 files made with cryptography (no CA needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "mat-khau-thu"


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
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND xã Thử Nghiệm"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    ])  # fmt: skip
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=400), now - timedelta(days=35)) if expired else (
        now - timedelta(days=1), now + timedelta(days=365))  # fmt: skip
    if days_left is not None:
        end = now + timedelta(days=days_left, hours=1)
    usage = x509.KeyUsage(
        digital_signature=signing, content_commitment=signing, key_encipherment=not signing,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, cert, None, encryption))
    return path
