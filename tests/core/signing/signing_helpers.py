"""A test PKI made with `cryptography`, PKCS#12 files, a SoftHSM2 token and sample PDFs."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pypdf import PdfWriter
from pypdf.generic import RectangleObject

from tests.pki import new_key, write_p12

P12_PASSWORD = "mật khẩu 1"
USER_PIN = "123456"
SO_PIN = "12345678"
TOKEN_LABEL = "VNPT-CA Token"
KEY_ID = bytes.fromhex("a1b2c3d4")
CERT_LABEL = "NGUYỄN VĂN A's VNPT-CA Certificate"
KEY_LABEL = "Private Key 1"
SIGNER_NAME = "NGUYỄN VĂN A"
SIGNER_ORG = "UBND xã Hòa Bình"
EC_TOKEN = "EC Token"
MISMATCH_TOKEN = "Mismatch Token"
SUB_TOKEN = "Issuing CA Token"  # a signer under the intermediate, which is on the token too
CA_CERT_ID = bytes.fromhex("ca01")


@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    p12: Path


@dataclass
class Pki:
    root_key: rsa.RSAPrivateKey
    root: x509.Certificate
    root_pem: Path
    signer: Identity
    expired: Identity
    not_yet_valid: Identity
    no_signing_usage: Identity
    other_root_pem: Path
    ec_signer: Identity
    # An intermediate CA under the root, as every Vietnamese CA signs from one.
    intermediate_key: rsa.RSAPrivateKey
    intermediate: x509.Certificate
    intermediate_pem: Path
    sub_signer: Identity  # issued by the intermediate; its .p12 holds the intermediate
    digital_signature_only: Identity  # KeyUsage digitalSignature only (no nonRepudiation)


def _name(cn: str, org: str = SIGNER_ORG) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _root(cn: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = new_key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, "Test CA"))
        .issuer_name(_name(cn, "Test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf(
    root_key: rsa.RSAPrivateKey,
    root: x509.Certificate,
    cn: str,
    *,
    start: timedelta,
    end: timedelta,
    signing: bool = True,
    elliptic: bool = False,
    non_repudiation: bool = True,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1()) if elliptic else new_key()
    now = datetime.now(UTC)
    usage = (
        x509.KeyUsage(True, non_repudiation, False, False, False, False, False, False, False)
        if signing
        else x509.KeyUsage(False, False, True, False, False, False, False, False, False)
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + start)
        .not_valid_after(now + end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    return key, cert


def _p12(
    folder: Path, name: str, key: rsa.RSAPrivateKey, cert: x509.Certificate, ca: x509.Certificate
) -> Path:
    return write_p12(folder / f"{name}.p12", key, cert, [ca], password=P12_PASSWORD)


def _intermediate(
    root_key: rsa.RSAPrivateKey, root: x509.Certificate, cn: str
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = new_key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, "Test CA"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1000))
        .not_valid_after(now + timedelta(days=3000))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    return key, cert


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return build_pki(tmp_path_factory.mktemp("pki"))


def build_pki(folder: Path) -> Pki:
    """Root, other root, and signers (good, expired, future, no signing usage) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    root_key, root = _root("Test Root CA")
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    _, other = _root("Other Root CA")
    (folder / "other.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))

    def identity(name: str, cn: str, **kw: object) -> Identity:
        key, cert = _leaf(root_key, root, cn, **kw)  # type: ignore[arg-type]
        return Identity(key, cert, _p12(folder, name, key, cert, root))

    day = timedelta(days=1)
    sub_key, sub = _intermediate(root_key, root, "Test Issuing CA")
    (folder / "intermediate.pem").write_bytes(sub.public_bytes(serialization.Encoding.PEM))
    leaf_key, leaf = _leaf(sub_key, sub, "ĐỖ VĂN G", start=-day, end=365 * day)
    return Pki(
        root_key=root_key,
        root=root,
        root_pem=folder / "root.pem",
        signer=identity("signer", SIGNER_NAME, start=-day, end=365 * day),
        expired=identity("expired", "TRẦN THỊ B", start=-400 * day, end=-10 * day),
        not_yet_valid=identity("future", "LÊ VĂN C", start=10 * day, end=400 * day),
        no_signing_usage=identity(
            "nousage", "PHẠM VĂN D", start=-day, end=365 * day, signing=False
        ),
        other_root_pem=folder / "other.pem",
        ec_signer=identity("ec", "HOÀNG THỊ E", start=-day, end=365 * day, elliptic=True),
        intermediate_key=sub_key,
        intermediate=sub,
        intermediate_pem=folder / "intermediate.pem",
        sub_signer=Identity(leaf_key, leaf, _p12(folder, "sub", leaf_key, leaf, sub)),
        digital_signature_only=identity(
            "dsonly", "VŨ THỊ H", start=-day, end=365 * day, non_repudiation=False
        ),
    )


SOFTHSM_MODULE = next(
    (
        p
        for p in (
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        )
        if Path(p).exists()
    ),
    "",
)


@dataclass
class Token:
    module: str
    label: str
    pin: str


def _init_token(label: str, slot_hint: str) -> None:
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", USER_PIN,
         "--so-pin", SO_PIN],
        check=True, capture_output=True,
    )  # fmt: skip


def _import(folder: Path, label: str, key: rsa.RSAPrivateKey, cert: x509.Certificate) -> None:
    key_pem = folder / f"{label}-key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        ["softhsm2-util", "--import", str(key_pem), "--token", label, "--label", KEY_LABEL,
         "--id", KEY_ID.hex(), "--pin", USER_PIN],
        check=True, capture_output=True,
    )  # fmt: skip
    write_cert(folder, label, cert, KEY_ID, CERT_LABEL)
    key_pem.unlink()


def write_cert(folder: Path, token: str, cert: x509.Certificate, cid: bytes, name: str) -> None:
    """A CKO_CERTIFICATE object on `token` (no key of its own unless one has `cid`)."""
    cert_der = folder / f"{token}-{cid.hex()}-cert.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    subprocess.run(
        ["pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", token, "--login",
         "--pin", USER_PIN, "--write-object", str(cert_der), "--type", "cert",
         "--id", cid.hex(), "--label", name],
        check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[Token]:
    """One SoftHSM2 token with the signer's key (label ≠ certificate label), plus a
    second token only for wrong-PIN tests so the main one never gets locked."""
    if not SOFTHSM_MODULE or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"):
        pytest.fail("softhsm2 and opensc are needed: run scripts/system-deps.sh (make test)")
    old = os.environ.get("SOFTHSM2_CONF")
    yield build_token(tmp_path_factory.mktemp("softhsm"), pki)
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


def add_token(
    folder: Path, label: str, key: rsa.RSAPrivateKey, cert: x509.Certificate,
    ca: x509.Certificate,
) -> None:  # fmt: skip
    """One more token (in the session's SoftHSM2 store): key, certificate and its CA."""
    folder.mkdir(parents=True, exist_ok=True)
    _init_token(label, "")
    _import(folder, label, key, cert)
    write_cert(folder, label, ca, CA_CERT_ID, "CA")


def build_token(folder: Path, pki: Pki) -> Token:
    """Two SoftHSM2 tokens in `folder`; sets SOFTHSM2_CONF for this process."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    # The module reads this once, when first loaded; every test shares this config.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _init_token(TOKEN_LABEL, "0")
    _import(folder, TOKEN_LABEL, pki.signer.key, pki.signer.cert)
    _init_token("PIN Test", "1")
    _import(folder, "PIN Test", pki.signer.key, pki.signer.cert)
    _init_token(EC_TOKEN, "2")
    _import(folder, EC_TOKEN, pki.ec_signer.key, pki.ec_signer.cert)
    # A token whose key (same CKA_ID) is not the certificate's: must be refused.
    _init_token(MISMATCH_TOKEN, "3")
    _import(folder, MISMATCH_TOKEN, pki.no_signing_usage.key, pki.signer.cert)
    # As CA tokens come: the signer's key and certificate plus the issuing CA's certificate.
    _init_token(SUB_TOKEN, "4")
    _import(folder, SUB_TOKEN, pki.sub_signer.key, pki.sub_signer.cert)
    write_cert(folder, SUB_TOKEN, pki.intermediate, CA_CERT_ID, "Test Issuing CA")
    return Token(SOFTHSM_MODULE, TOKEN_LABEL, USER_PIN)


def make_pdf(path: Path, pages: int = 2, text: str = "Tờ khai") -> Path:
    """A small plain PDF written by pypdf (one xref table)."""
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        page.mediabox = RectangleObject((0, 0, 595, 842))
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "to-khai.pdf")


def make_hybrid_pdf(path: Path) -> Path:
    """A hybrid-reference file as Word writes them: a classic xref table whose trailer
    points (/XRefStm) to a cross-reference stream for objects kept in an object stream."""
    parts: list[bytes] = [b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"]
    offsets: dict[int, int] = {}

    def obj(num: int, body: bytes) -> None:
        offsets[num] = sum(len(p) for p in parts)
        parts.append(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    content = b"BT /F1 24 Tf 72 760 Td (Hybrid xref) Tj ET"
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(
        3,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 8 0 R >> >> >>",
    )
    obj(4, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    header = b"6 0 "
    inner = b"<< /Producer (Microsoft Word for Microsoft 365) /Title (Don de nghi) >>"
    objstm = header + inner
    obj(
        5,
        b"<< /Type /ObjStm /N 1 /First %d /Length %d >>\nstream\n" % (len(header), len(objstm))
        + objstm
        + b"\nendstream",
    )
    obj(8, b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>")
    entry = bytes([2]) + (5).to_bytes(4, "big") + (0).to_bytes(2, "big")
    obj(
        7,
        b"<< /Type /XRef /Size 9 /W [1 4 2] /Index [6 1] /Length %d >>\nstream\n" % len(entry)
        + entry
        + b"\nendstream",
    )
    xref_at = sum(len(p) for p in parts)
    # The table skips object 6: only readers that follow /XRefStm find it.
    first = b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 6))
    second = b"".join(b"%010d 00000 n \n" % offsets[n] for n in (7, 8))
    parts.append(b"xref\n0 6\n0000000000 65535 f \n" + first + b"7 2\n" + second)
    parts.append(
        b"trailer\n<< /Size 9 /Root 1 0 R /Info 6 0 R /XRefStm %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (offsets[7], xref_at)
    )
    path.write_bytes(b"".join(parts))
    return path


def make_tsa(pki: Pki) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A timestamping certificate under the test root (EKU timeStamping, critical)."""
    key = new_key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Test TSA", "Test CA"))
        .issuer_name(pki.root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(pki.root_key, hashes.SHA256())
    )
    return cert, key


def dummy_stamper(cert: x509.Certificate, key: rsa.RSAPrivateKey) -> Any:
    """pyHanko's DummyTimeStamper signing with `cert` and `key`."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


TSA_MODES = ("good", "wrong_imprint", "wrong_nonce", "rejection", "not_a_tsa")


def faulty_reply(stamper: Any, request: Any, mode: str) -> Any:
    """The TSA's answer to `request`, spoiled as `mode` says (TSA_MODES)."""
    from asn1crypto import tsp

    if mode == "rejection":
        # A TimeStampResp without a token (asn1crypto wrongly insists on one): DER by hand.
        status = tsp.PKIStatusInfo(
            {"status": "rejection", "status_string": ["policy not supported"]}
        ).dump()
        return b"\x30" + bytes([len(status)]) + status
    if mode == "wrong_imprint":
        imprint = request["message_imprint"]
        request = tsp.TimeStampReq(
            {
                "version": 1,
                "message_imprint": tsp.MessageImprint(
                    {
                        "hash_algorithm": imprint["hash_algorithm"],
                        "hashed_message": bytes(32),
                    }
                ),
                "nonce": request["nonce"],
                "cert_req": True,
            }
        )
    if mode == "wrong_nonce":
        request = tsp.TimeStampReq(
            {
                "version": 1,
                "message_imprint": request["message_imprint"],
                "nonce": 12345,
                "cert_req": True,
            }
        )
    return stamper.request_tsa_response(request)


@contextmanager
def tsa_server(pki: Pki, mode: str = "good") -> Iterator[str]:
    """An RFC 3161 server on 127.0.0.1 answering with pyHanko's DummyTimeStamper; other
    modes than "good" answer wrongly (TSA_MODES; "not_a_tsa" signs with a certificate
    without the timeStamping purpose)."""
    from asn1crypto import tsp

    if mode == "not_a_tsa":
        stamper = dummy_stamper(pki.signer.cert, pki.signer.key)
    else:
        stamper = dummy_stamper(*make_tsa(pki))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = faulty_reply(stamper, tsp.TimeStampReq.load(body), mode)
            reply = answer if isinstance(answer, bytes) else answer.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def closed_port_url() -> str:
    """A loopback URL nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"
