"""The sandbox as a trust service for remote signing (issue #15): a push-confirmation
API in the shape of VNPT SmartCA's integration API, certificates from the sandbox CA
(`ca.py`; its OCSP/CRL/TSA serve them), an "Điện thoại thử nghiệm" page where the test
signer approves or refuses pending requests, and fault switches.

    POST /smartca/v1/credentials/get_certificate         {sp_id, sp_password, user_id}
    POST /smartca/v1/signatures/sign                     {..., user_id, transaction_id,
                                                          serial_number, sign_files[]}
    POST /smartca/v1/signatures/sign/{transaction_id}/status   {sp_id, sp_password}
    GET  /sandbox/phone                                  the test phone (HTML)
    POST /sandbox/phone/{transaction_id}/approve|refuse
    GET|PUT /sandbox/trust/faults                        TrustFaults (JSON)

Every answer is `{"status_code", "message", "data"}` (HTTP 200), as the real service
does. The integrator's credentials are SP_ID / SP_PASSWORD below. A signer (user_id) gets
one RSA key and certificate on first use, kept in `<data>/pki/remote/`. Transactions are
kept there too (`remote/transactions/`, one JSON file each, written atomically on every
change), so a sandbox restart keeps a request waiting for the phone, and its answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from typing import Annotated, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import NameOID
from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from portal_sandbox.ca import SandboxCA
from portal_sandbox.ca_routes import get_ca
from portal_sandbox.html import esc, local_time, page
from portal_sandbox.pki import _key_pem, _write_atomic
from portal_sandbox.problems import ProblemError
from portal_sandbox.state import base_url

SP_ID = "dvc-desk-sandbox"
SP_PASSWORD = "sandbox-sp-secret"  # noqa: S105 (the sandbox's published test credential)
PREFIX = "/smartca/v1"
router = APIRouter(include_in_schema=False)
_LOCK = threading.Lock()
_log = logging.getLogger(__name__)


class TrustFaults(BaseModel):
    """PUT /sandbox/trust/faults body: how the trust service misbehaves."""

    model_config = ConfigDict(extra="forbid")

    approval: str = Field(
        default="manual",
        pattern="^(manual|auto|refuse)$",
        description="manual: the test phone decides; auto: approved at once; refuse",
    )
    approve_after_seconds: float = Field(default=0, ge=0, le=600, description="slow approval")
    expires_in: int = Field(default=300, ge=1, le=3600, description="seconds to confirm")
    wrong_hash: bool = Field(default=False, description="sign another hash than the one sent")
    other_key: bool = Field(default=False, description="sign with a key not the certificate's")
    expired_certificate: bool = Field(default=False, description="answer an expired certificate")
    garbage: bool = Field(default=False, description="answer bytes that are not JSON")
    bad_signature_encoding: bool = Field(default=False, description="signature not base64")


@dataclass
class Transaction:
    id: str
    user_id: str
    description: str
    files: list[dict[str, str]]
    created: datetime
    expires: datetime
    state: str = "waiting"  # waiting | confirmed | rejected | expired
    signatures: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Signer:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate


class TrustService:
    """The service's memory: signers' keys (also on disk), transactions, faults."""

    def __init__(self, ca: SandboxCA) -> None:
        self.ca = ca
        self.folder = ca.folder / "remote"
        self.faults = TrustFaults()
        self.transactions: dict[str, Transaction] = self._load()
        self._signers: dict[str, Signer] = {}
        # A key that is not the certificate's (the other_key fault switch).
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.csc_tokens: set[str] = set()  # CSC API (trust_csc.py): bearer tokens
        self.csc_sads: dict[str, tuple[str, list[bytes]]] = {}  # SAD → credential, hashes

    def now(self) -> datetime:
        moment: datetime = self.ca.clock()
        return moment

    # --- durable transactions ------------------------------------------------------

    def _tx_path(self, tx_id: str) -> Path:
        return self.folder / "transactions" / f"{hashlib.sha256(tx_id.encode()).hexdigest()}.json"

    def _load(self) -> dict[str, Transaction]:
        found: dict[str, Transaction] = {}
        folder = self.folder / "transactions"
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                data["created"] = datetime.fromisoformat(data["created"])
                data["expires"] = datetime.fromisoformat(data["expires"])
                tx = Transaction(**data)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                _log.warning("trust service: unreadable transaction %s skipped: %s", path, exc)
                continue
            found[tx.id] = tx
        return found

    def save(self, tx: Transaction) -> None:
        """Write the transaction as it is now (atomically: a crash leaves the old one)."""
        data = asdict(tx)
        data["created"] = tx.created.isoformat()
        data["expires"] = tx.expires.isoformat()
        path = self._tx_path(tx.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def add(self, tx: Transaction) -> bool:
        """Record a new transaction; False when its id is already used."""
        with _LOCK:
            if tx.id in self.transactions:
                return False
            self.save(tx)
            self.transactions[tx.id] = tx
            return True

    def refuse(self, tx: Transaction) -> None:
        tx.state = "rejected"
        self.save(tx)

    def signer(self, user_id: str, base: str) -> Signer:
        """The signer's key and certificate, made on first use."""
        safe = hashlib.sha256(user_id.encode()).hexdigest()[:24]
        with _LOCK:
            found = self._signers.get(user_id)
            if found is not None:
                return found
            key_path = self.folder / f"{safe}.key"
            cert_path = self.folder / f"{safe}.pem"
            if key_path.exists() and cert_path.exists():
                key = serialization.load_pem_private_key(key_path.read_bytes(), None)
                assert isinstance(key, rsa.RSAPrivateKey)
                cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            else:
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                subject = x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dvc-desk sandbox"),
                        x509.NameAttribute(NameOID.COMMON_NAME, f"NGƯỜI KÝ THỬ {user_id}"),
                        x509.NameAttribute(NameOID.USER_ID, user_id),
                    ]
                )
                cert = self.ca._issue(subject, key.public_key(), base)
                self.folder.mkdir(parents=True, exist_ok=True)
                _write_atomic(key_path, _key_pem(key))
                _write_atomic(cert_path, cert.public_bytes(serialization.Encoding.PEM))
            found = Signer(key, cert)
            self._signers[user_id] = found
            return found

    def expired_certificate(self, signer: Signer) -> x509.Certificate:
        """The signer's key in a certificate that ended yesterday (fault switch)."""
        now = self.now()
        return (
            x509.CertificateBuilder()
            .subject_name(signer.cert.subject)
            .issuer_name(self.ca.cert.subject)
            .public_key(signer.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=400))
            .not_valid_after(now - timedelta(days=1))
            .sign(self.ca.key, hashes.SHA256())
        )

    def settle(self, tx: Transaction, base: str) -> None:
        """Expire or auto-decide a waiting transaction, as time and the faults say."""
        if tx.state != "waiting":
            return
        now = self.now()
        if now >= tx.expires:
            tx.state = "expired"
            self.save(tx)
            return
        faults = self.faults
        ready = now >= tx.created + timedelta(seconds=faults.approve_after_seconds)
        if faults.approval == "auto" and ready:
            self.approve(tx, base)
        elif faults.approval == "refuse" and ready:
            self.refuse(tx)

    def approve(self, tx: Transaction, base: str) -> None:
        signer = self.signer(tx.user_id, base)
        key = self.other_key if self.faults.other_key else signer.key
        out = []
        for item in tx.files:
            digest = bytes.fromhex(item["data_to_be_signed"])
            if self.faults.wrong_hash:
                digest = hashlib.sha256(digest).digest()
            value = key.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
            encoded = base64.b64encode(value).decode()
            if self.faults.bad_signature_encoding:
                encoded = "%%" + encoded
            out.append({"doc_id": item["doc_id"], "signature_value": encoded})
        tx.signatures = out
        tx.state = "confirmed"
        self.save(tx)


def get_service(request: Request) -> TrustService:
    state = request.app.state
    ca = get_ca(request)
    with _LOCK:
        service: TrustService | None = getattr(state, "trust_service", None)
        if service is None:
            service = TrustService(ca)
            state.trust_service = service
    return service


ServiceDep = Annotated[TrustService, Depends(get_service)]


def _answer(service: TrustService, data: Any, status: int = 200, message: str = "") -> Response:
    if service.faults.garbage:
        return Response(b"<html>502 Bad Gateway</html>", media_type="text/html")
    body = {"status_code": status, "message": message or "success", "data": data}
    return JSONResponse(body)


async def read_json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > 256 * 1024:
        raise ProblemError(413, "trust.request_too_large", "Request too large")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ProblemError(400, "trust.bad_json", "Body is not JSON") from exc
    if not isinstance(body, dict):
        raise ProblemError(400, "trust.bad_json", "Body is not an object")
    return body


def _client_ok(body: dict[str, Any]) -> bool:
    return body.get("sp_id") == SP_ID and body.get("sp_password") == SP_PASSWORD


def _b64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


@router.post(PREFIX + "/credentials/get_certificate")
async def get_certificate(request: Request, service: ServiceDep) -> Response:
    body = await read_json(request)
    if not _client_ok(body):
        return _answer(service, None, 401, "invalid sp_id or sp_password")
    user = body.get("user_id")
    if not isinstance(user, str) or not user.isdigit() or not 9 <= len(user) <= 12:
        return _answer(service, None, 404, "user not found")
    signer = service.signer(user, base_url(request))
    cert = (
        service.expired_certificate(signer) if service.faults.expired_certificate else signer.cert
    )
    data = {
        "user_certificates": [
            {
                "serial_number": f"{cert.serial_number:x}",
                "cert_status": "Đang hoạt động",
                "cert_data": _b64(cert),
                "chain_data": {"ca_cert": _b64(service.ca.cert), "root_cert": None},
            }
        ]
    }
    return _answer(service, data)


@router.post(PREFIX + "/signatures/sign")
async def sign(request: Request, service: ServiceDep) -> Response:
    body = await read_json(request)
    if not _client_ok(body):
        return _answer(service, None, 401, "invalid sp_id or sp_password")
    files = body.get("sign_files")
    tx_id = body.get("transaction_id")
    user = body.get("user_id")
    if not isinstance(tx_id, str) or not tx_id or not isinstance(user, str) or not user:
        return _answer(service, None, 400, "transaction_id and user_id are required")
    if not isinstance(files, list) or not files or len(files) > 100:
        return _answer(service, None, 400, "sign_files must hold 1 to 100 files")
    clean = []
    for item in files:
        if not isinstance(item, dict) or item.get("sign_type") != "hash":
            return _answer(service, None, 400, "only sign_type hash is supported")
        digest = item.get("data_to_be_signed")
        if not isinstance(digest, str) or len(digest) != 64:
            return _answer(service, None, 400, "data_to_be_signed must be a SHA-256 in hex")
        try:
            bytes.fromhex(digest)
        except ValueError:
            return _answer(service, None, 400, "data_to_be_signed must be hex")
        clean.append({"doc_id": str(item.get("doc_id")), "data_to_be_signed": digest})
    now = service.now()
    expires_in = service.faults.expires_in
    fresh = Transaction(
        id=tx_id,
        user_id=user,
        description=str(body.get("transaction_desc") or "")[:300],
        files=clean,
        created=now,
        expires=now + timedelta(seconds=expires_in),
    )
    if not service.add(fresh):
        return _answer(service, None, 409, "transaction_id already used")
    data = {"transaction_id": tx_id, "tran_code": tx_id[:8].upper(), "expired_in": expires_in}
    return _answer(service, data, message="WAITING_FOR_SIGNER_CONFIRM")


@router.post(PREFIX + "/signatures/sign/{tx_id}/status")
async def status(tx_id: str, request: Request, service: ServiceDep) -> Response:
    body = await read_json(request)
    if not _client_ok(body):
        return _answer(service, None, 401, "invalid sp_id or sp_password")
    tx = service.transactions.get(tx_id)
    if tx is None:
        return _answer(service, None, 404, "transaction not found")
    service.settle(tx, base_url(request))
    data: dict[str, Any] = {"transaction_id": tx.id, "status": tx.state, "signatures": None}
    if tx.state == "confirmed":
        data["signatures"] = tx.signatures
    return _answer(service, data)


@router.get("/sandbox/trust/faults")
def get_faults(service: ServiceDep) -> TrustFaults:
    return service.faults


@router.put("/sandbox/trust/faults")
def put_faults(faults: TrustFaults, service: ServiceDep) -> TrustFaults:
    service.faults = faults
    return service.faults


@router.get("/sandbox/phone", response_class=HTMLResponse)
def phone(request: Request, service: ServiceDep) -> HTMLResponse:
    base = base_url(request)
    rows = []
    for tx in sorted(service.transactions.values(), key=lambda t: t.created, reverse=True):
        service.settle(tx, base)
        if tx.state == "waiting":
            left = max(0, int((tx.expires - service.now()).total_seconds()))
            target = f"/sandbox/phone/{escape(tx.id)}"
            action = (
                f"còn {left // 60}:{left % 60:02d} "
                f"<form class='inline' method='post' action='{target}/approve'>"
                "<button>Đồng ý ký</button></form> "
                f"<form class='inline' method='post' action='{target}/refuse'>"
                "<button>Từ chối</button></form>"
            )
        else:
            action = {"confirmed": "Đã ký", "rejected": "Đã từ chối", "expired": "Hết hạn"}[
                tx.state
            ]
        rows.append(
            f"<tr><td>{esc(tx.user_id)}</td><td>{esc(tx.description)}</td>"
            f"<td>{len(tx.files)}</td><td>{esc(local_time(tx.created))}</td><td>{action}</td></tr>"
        )
    body = (
        "<p class='note'>Điện thoại của người ký thử nghiệm: các yêu cầu ký số từ xa đang chờ "
        "xác nhận. Đồng ý thì dịch vụ ký các giá trị băm đã gửi; từ chối thì ứng dụng báo "
        "người ký đã từ chối.</p><table><tr><th>Người ký (số định danh)</th><th>Nội dung</th>"
        "<th>Số tệp</th><th>Gửi lúc</th><th></th></tr>" + "".join(rows) + "</table>"
    )
    return page("Điện thoại thử nghiệm", body)


@router.post("/sandbox/phone/{tx_id}/{decision}")
def decide(
    tx_id: str,
    decision: str,
    request: Request,
    service: ServiceDep,
    html: Annotated[str, Form()] = "1",
) -> Response:
    tx = service.transactions.get(tx_id)
    if tx is None or decision not in {"approve", "refuse"}:
        raise ProblemError(404, "trust.unknown_transaction", "No such pending request")
    service.settle(tx, base_url(request))
    if tx.state != "waiting":
        raise ProblemError(409, "trust.not_waiting", f"The request is {tx.state}")
    if decision == "approve":
        service.approve(tx, base_url(request))
    else:
        service.refuse(tx)
    return RedirectResponse("/sandbox/phone", status_code=303)
