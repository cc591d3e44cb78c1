"""The sandbox trust service's CSC API v2 face (issue #15): the same signers, keys and
fault switches as the push-confirmation API (`trust_service.py`), reached the way the
Cloud Signature Consortium API says.

    POST /csc/v2/info
    POST /csc/v2/auth/login              HTTP Basic SP_ID:SP_PASSWORD → access_token
    POST /csc/v2/credentials/list        {userID} → credentialIDs (the user's ID)
    POST /csc/v2/credentials/info        {credentialID, certificates} → cert, key, SCAL 2
    POST /csc/v2/credentials/authorize   {credentialID, numSignatures, hashes, PIN} → SAD
    POST /csc/v2/signatures/signHash     {credentialID, SAD, hashes, hashAlgorithmOID,
                                          signAlgo} → signatures

Every signer's PIN is SANDBOX_PIN. Errors are CSC's `{"error", "error_description"}`
with 400/401; a SAD is bound to its hashes (SCAL2) and used once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from portal_sandbox.state import base_url
from portal_sandbox.trust_service import (
    SP_ID,
    SP_PASSWORD,
    ServiceDep,
    TrustService,
    read_json,
)

SANDBOX_PIN = "123456"
PREFIX = "/csc/v2"
SHA256_OID = "2.16.840.1.101.3.4.2.1"
router = APIRouter(include_in_schema=False)


def _error(status: int, error: str, description: str) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _ok(service: TrustService, data: dict[str, Any]) -> Response:
    if service.faults.garbage:
        return Response(b"<html>502 Bad Gateway</html>", media_type="text/html")
    return JSONResponse(data)


def _authorized(request: Request, service: TrustService) -> bool:
    header = request.headers.get("authorization", "")
    return header.startswith("Bearer ") and header[7:] in service.csc_tokens


@router.post(PREFIX + "/info")
def info() -> dict[str, Any]:
    return {
        "specs": "2.0.0.2",
        "name": "dvc-desk sandbox trust service",
        "region": "VN",
        "lang": "vi-VN",
        "authType": ["basic"],
        "methods": [
            "auth/login",
            "credentials/list",
            "credentials/info",
            "credentials/authorize",
            "signatures/signHash",
        ],
    }


@router.post(PREFIX + "/auth/login")
def login(request: Request, service: ServiceDep) -> Response:
    expected = base64.b64encode(f"{SP_ID}:{SP_PASSWORD}".encode()).decode()
    if request.headers.get("authorization", "") != f"Basic {expected}":
        return _error(401, "invalid_client", "Invalid client credentials")
    token = secrets.token_urlsafe(24)
    service.csc_tokens.add(token)
    return _ok(service, {"access_token": token, "expires_in": 3600})


@router.post(PREFIX + "/credentials/list")
async def credentials_list(request: Request, service: ServiceDep) -> Response:
    if not _authorized(request, service):
        return _error(401, "invalid_token", "Missing or invalid access token")
    body = await read_json(request)
    user = body.get("userID")
    if not isinstance(user, str) or not user.isdigit() or not 9 <= len(user) <= 12:
        return _ok(service, {"credentialIDs": []})
    return _ok(service, {"credentialIDs": [user]})


@router.post(PREFIX + "/credentials/info")
async def credentials_info(request: Request, service: ServiceDep) -> Response:
    if not _authorized(request, service):
        return _error(401, "invalid_token", "Missing or invalid access token")
    body = await read_json(request)
    user = body.get("credentialID")
    if not isinstance(user, str) or not user.isdigit():
        return _error(400, "invalid_request", "Invalid credentialID")
    signer = service.signer(user, base_url(request))
    cert = (
        service.expired_certificate(signer) if service.faults.expired_certificate else signer.cert
    )
    chain = [cert, service.ca.cert]
    from cryptography.hazmat.primitives.serialization import Encoding

    return _ok(
        service,
        {
            "key": {"status": "enabled", "algo": ["1.2.840.113549.1.1.11"], "len": 2048},
            "cert": {
                "status": "valid",
                "certificates": [
                    base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in chain
                ],
            },
            "authMode": "explicit",
            "SCAL": "2",
            "multisign": 100,
        },
    )


def _digests(body: dict[str, Any]) -> list[bytes] | None:
    values = body.get("hashes")
    if not isinstance(values, list) or not values or len(values) > 100:
        return None
    try:
        found = [base64.b64decode(v, validate=True) for v in values]
    except (TypeError, ValueError, binascii.Error):
        return None
    return found if all(len(d) == 32 for d in found) else None


@router.post(PREFIX + "/credentials/authorize")
async def authorize(request: Request, service: ServiceDep) -> Response:
    if not _authorized(request, service):
        return _error(401, "invalid_token", "Missing or invalid access token")
    body = await read_json(request)
    digests = _digests(body)
    if digests is None or body.get("numSignatures") != len(digests):
        return _error(400, "invalid_request", "hashes must match numSignatures (SCAL2)")
    if body.get("PIN") != SANDBOX_PIN:
        return _error(400, "invalid_pin", "The PIN is invalid")
    sad = secrets.token_urlsafe(24)
    service.csc_sads[sad] = (str(body.get("credentialID")), digests)
    return _ok(service, {"SAD": sad, "expiresIn": 300})


@router.post(PREFIX + "/signatures/signHash")
async def sign_hash(request: Request, service: ServiceDep) -> Response:
    if not _authorized(request, service):
        return _error(401, "invalid_token", "Missing or invalid access token")
    body = await read_json(request)
    digests = _digests(body)
    bound = service.csc_sads.pop(str(body.get("SAD")), None)
    if bound is None:
        return _error(400, "invalid_request", "Invalid or used SAD")
    credential, allowed = bound
    if digests is None or credential != body.get("credentialID") or digests != allowed:
        return _error(400, "invalid_request", "Hashes not authorized by this SAD")
    if body.get("hashAlgorithmOID", SHA256_OID) != SHA256_OID:
        return _error(400, "invalid_request", "Only SHA-256 is supported")
    signer = service.signer(credential, base_url(request))
    key = service.other_key if service.faults.other_key else signer.key
    out = []
    for digest in digests:
        value = hashlib.sha256(digest).digest() if service.faults.wrong_hash else digest
        raw = key.sign(value, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
        out.append(base64.b64encode(raw).decode())
    return _ok(service, {"signatures": out})
