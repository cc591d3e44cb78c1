"""What a real CA offers, for the sandbox's test CA: certificates for clerks, revocation
(OCSP and a CRL that agree), and an RFC 3161 timestamp server (issue #11).

State is files under `<data>/pki/`: `issued/<serial>.pem`, `revoked.json` (serial →
time), `tsa.pem`/`tsa.key`. Issued certificates name this server's OCSP and CRL URLs
(from the address the client used), so a PAdES B-LT signature can be made and checked
on loopback.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from portal_sandbox.pki import AgencyIdentity, _key_pem, _write_atomic

CRL_PATH = "/pki/crl"
OCSP_PATH = "/pki/ocsp"
TSA_PATH = "/pki/tsa"
CA_PATH = "/pki/ca.pem"


@dataclass(frozen=True)
class IssuedCertificate:
    serial: str
    common_name: str
    organisation: str
    not_after: datetime
    revoked_at: datetime | None


class SandboxCA:
    """The sandbox CA's key at work; one lock serialises its few writes."""

    def __init__(self, identity: AgencyIdentity, clock: Any) -> None:
        self.identity = identity
        self.folder = identity.ca_cert.parent
        self.clock = clock
        self._lock = threading.Lock()
        self.cert = x509.load_pem_x509_certificate(identity.ca_cert.read_bytes())
        key = serialization.load_pem_private_key(identity.ca_key.read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        self.key = key

    # Certificates -------------------------------------------------------------------

    def _urls(self, base: str) -> list[x509.ExtensionType]:
        return [
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(base + OCSP_PATH),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(base + CA_PATH),
                    ),
                ]
            ),
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(base + CRL_PATH)], None, None, None
                    )
                ]
            ),
        ]

    def _issue(
        self, subject: x509.Name, public: Any, base: str, *, tsa: bool = False
    ) -> x509.Certificate:
        now = self.clock() - timedelta(minutes=5)
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=not tsa,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.cert.subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        if tsa:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        for extension in self._urls(base):
            builder = builder.add_extension(extension, critical=False)
        cert = builder.sign(self.key, hashes.SHA256())
        issued = self.folder / "issued"
        issued.mkdir(exist_ok=True)
        _write_atomic(
            issued / f"{cert.serial_number:x}.pem", cert.public_bytes(serialization.Encoding.PEM)
        )
        return cert

    def issue_p12(
        self, common_name: str, organisation: str, password: str, base: str
    ) -> tuple[x509.Certificate, bytes]:
        """A clerk's signing certificate and key as a .p12 holding the CA too."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        with self._lock:
            cert = self._issue(subject, key.public_key(), base)
        encryption: Any = (
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption()
        )
        blob = pkcs12.serialize_key_and_certificates(
            common_name.encode(), key, cert, [self.cert], encryption
        )
        return cert, blob

    def issued(self) -> list[IssuedCertificate]:
        revoked = self._revoked()
        found = []
        for path in sorted((self.folder / "issued").glob("*.pem")):
            cert = x509.load_pem_x509_certificate(path.read_bytes())
            serial = f"{cert.serial_number:x}"
            names = cert.subject
            found.append(
                IssuedCertificate(
                    serial=serial,
                    common_name=_part(names, NameOID.COMMON_NAME),
                    organisation=_part(names, NameOID.ORGANIZATION_NAME),
                    not_after=cert.not_valid_after_utc,
                    revoked_at=revoked.get(serial),
                )
            )
        return found

    def _load(self, serial: int) -> x509.Certificate | None:
        path = self.folder / "issued" / f"{serial:x}.pem"
        return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None

    # Revocation ---------------------------------------------------------------------

    def _revoked(self) -> dict[str, datetime]:
        path = self.folder / "revoked.json"
        if not path.exists():
            return {}
        raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return {serial: datetime.fromisoformat(at) for serial, at in raw.items()}

    def revoke(self, serial: str) -> bool:
        """Revoke an issued certificate now (False if we never issued it)."""
        with self._lock:
            if self._load(int(serial, 16)) is None:
                return False
            revoked = self._revoked()
            revoked.setdefault(serial.lower(), self.clock().astimezone(UTC))
            data = {s: at.isoformat() for s, at in revoked.items()}
            _write_atomic(self.folder / "revoked.json", json.dumps(data).encode())
        return True

    def crl(self) -> bytes:
        now = self.clock()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - timedelta(minutes=1))
            .next_update(now + timedelta(days=1))
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        )
        for serial, at in sorted(self._revoked().items()):
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(int(serial, 16))
                .revocation_date(at)
                .build()
            )
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp(self, request_der: bytes) -> bytes:
        """The OCSP answer for one certificate, signed by the CA itself (RFC 6960)."""
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        cert = self._load(request.serial_number)
        if cert is None or request.issuer_name_hash != _name_hash(self.cert, request):
            return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        revoked_at = self._revoked().get(f"{request.serial_number:x}")
        now = self.clock()
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=cert,
            issuer=self.cert,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=now - timedelta(minutes=1),
            next_update=now + timedelta(hours=12),
            revocation_time=revoked_at,
            revocation_reason=None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.cert)
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(self.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    # Timestamps ---------------------------------------------------------------------

    def tsa_identity(self, base: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        """The TSA's certificate (timeStamping, issued by this CA) and key; issued again
        when the server's address changed, so its OCSP and CRL URLs answer."""
        with self._lock:
            cert_path, key_path = self.folder / "tsa.pem", self.folder / "tsa.key"
            if cert_path.exists() and key_path.exists():
                cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
                key = serialization.load_pem_private_key(key_path.read_bytes(), None)
                if base + OCSP_PATH in _ocsp_urls(cert) and isinstance(key, rsa.RSAPrivateKey):
                    return cert, key
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            subject = x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dvc-desk sandbox"),
                    x509.NameAttribute(NameOID.COMMON_NAME, "dvc-desk Sandbox TSA"),
                ]
            )
            cert = self._issue(subject, key.public_key(), base, tsa=True)
            _write_atomic(key_path, _key_pem(key))
            _write_atomic(cert_path, cert.public_bytes(serialization.Encoding.PEM))
            return cert, key


def _part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _ocsp_urls(cert: x509.Certificate) -> list[str]:
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [
        str(d.access_location.value)
        for d in aia
        if d.access_method == AuthorityInformationAccessOID.OCSP
    ]


def _name_hash(ca: x509.Certificate, request: ocsp.OCSPRequest) -> bytes:
    digest = hashes.Hash(request.hash_algorithm)
    digest.update(ca.subject.public_bytes())
    return digest.finalize()


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )
