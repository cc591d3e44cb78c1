"""The sandbox's own test CA and agency certificate, made once at first start.

They sign result documents and payment receipts so the app can show and verify a real
PAdES signature. The files live in `<data>/pki/`: trust `ca.pem` to verify them.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

AGENCY_NAME = "Sở Y tế (cổng thử nghiệm dvc-desk)"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    Path(tmp).replace(path)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dvc-desk sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key_pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass(frozen=True)
class AgencyIdentity:
    """Paths of the test CA certificate and of the agency's key and certificate."""

    ca_cert: Path
    agency_key: Path
    agency_cert: Path
    ca_key: Path  # kept so the sandbox CA can issue, revoke, answer OCSP and sign CRLs

    @classmethod
    def ensure(cls, directory: Path) -> AgencyIdentity:
        """Load the identity from `directory`, creating it the first time (and again in
        a data dir made before the CA kept its key: its ca.pem changes then)."""
        identity = cls(
            directory / "ca.pem",
            directory / "agency.key",
            directory / "agency.pem",
            directory / "ca.key",
        )
        if not all(
            p.exists()
            for p in (identity.ca_cert, identity.agency_key, identity.ca_key, identity.agency_cert)
        ):
            directory.mkdir(parents=True, exist_ok=True)
            identity._create()
        return identity

    def _create(self) -> None:
        now = datetime.now(UTC) - timedelta(minutes=5)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = _name("dvc-desk Sandbox Test CA")
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        agency_key = ec.generate_private_key(ec.SECP256R1())
        agency_cert = (
            x509.CertificateBuilder()
            .subject_name(_name(AGENCY_NAME))
            .issuer_name(ca_name)
            .public_key(agency_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        # The certificate goes last: its presence is what marks the identity complete.
        _write_atomic(self.ca_cert, ca_cert.public_bytes(pem))
        _write_atomic(self.ca_key, _key_pem(ca_key))
        _write_atomic(self.agency_key, _key_pem(agency_key))
        _write_atomic(self.agency_cert, agency_cert.public_bytes(pem))
