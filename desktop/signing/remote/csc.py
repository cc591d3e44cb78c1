"""A certificate at a Cloud Signature Consortium (CSC API) service as a `SigningKey`:
the signer, batch signing and dossier signing use it like a .p12 or a token.

Only the hash leaves the PC: `raw_sign` receives pyHanko's signed attributes, hashes
them, asks `credentials/authorize` for a SAD bound to that hash (SCAL2) with the PIN/OTP,
then `signatures/signHash`; the answer is checked against the certificate before it is
returned (a service that signs another hash or with another key is refused).

`Service.url` is the API base including its version (`https://host/csc/v1` or
`.../csc/v2`); requests carry both spellings of the renamed fields (v1 `hash`,
`hashAlgo`; v2 `hashes`, `hashAlgorithmOID`). `auth/login` (HTTP Basic, client id and
secret) gives the bearer token; a service without it (404) is used without a token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from typing import Any

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from desktop.errors import UserError
from desktop.signing.certs import check_can_sign, is_ca
from desktop.signing.keys import SigningKey
from desktop.signing.remote.errors import (
    E_BAD_CLIENT,
    E_BAD_SIGNATURE,
    E_NO_REMOTE_CERT,
    E_SERVICE_DOWN,
    E_SERVICE_GARBAGE,
    E_SERVICE_REFUSED,
    E_WRONG_OTP,
)
from desktop.signing.remote.services import Service, tls_context

log = logging.getLogger(__name__)
SHA256_OID = "2.16.840.1.101.3.4.2.1"
RSA_OID = "1.2.840.113549.1.1.1"
SHA256_RSA_OID = "1.2.840.113549.1.1.11"
ECDSA_SHA256_OID = "1.2.840.10045.4.3.2"
TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class CscClient:
    def __init__(self, service: Service, secret: str, http: httpx.Client | None = None) -> None:
        self.service = service
        self._secret = secret
        self._http = http or httpx.Client(timeout=TIMEOUT, verify=tls_context())
        self._token: str | None = None
        self._logged_in = False

    def close(self) -> None:
        self._http.close()

    def _raw(self, path: str, body: dict[str, Any], auth: Any = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        try:
            return self._http.post(
                f"{self.service.url}/{path}", json=body, headers=headers, auth=auth
            )
        except httpx.HTTPError as exc:
            log.warning("CSC service %s: %r", self.service.name, exc)
            raise UserError(
                E_SERVICE_DOWN, name=self.service.name, reason=type(exc).__name__
            ) from exc

    def _login(self) -> None:
        if self._logged_in:
            return
        self._logged_in = True
        response = self._raw("auth/login", {}, auth=(self.service.client_id, self._secret))
        if response.status_code == 404:
            return  # a service without a login (certomancer-csc-dummy)
        data = self._answer(response)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason="access_token")
        self._token = token

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        name = self.service.name
        if response.status_code >= 500 and response.status_code != 501:
            raise UserError(E_SERVICE_DOWN, name=name, reason=f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code in {401, 403}:
            raise UserError(E_BAD_CLIENT, name=name)
        if response.status_code >= 400:
            error = data.get("error") if isinstance(data, dict) else None
            if error in {"invalid_pin", "invalid_otp", "invalid_request_pin"}:
                raise UserError(E_WRONG_OTP)
            reason = (
                str(data.get("error_description") or error)
                if isinstance(data, dict)
                else f"HTTP {response.status_code}"
            )
            raise UserError(E_SERVICE_REFUSED, name=name, reason=reason[:200])
        if not isinstance(data, dict):
            raise UserError(E_SERVICE_GARBAGE, name=name, reason="not a JSON object")
        return data

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self._login()
        return self._answer(self._raw(path, body))

    def credentials(self, user_id: str) -> list[str]:
        data = self.call("credentials/list", {"userID": user_id, "maxResults": 100})
        found = data.get("credentialIDs")
        if not isinstance(found, list) or not all(isinstance(c, str) for c in found):
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason="credentialIDs")
        return found

    def certificates(self, credential: str) -> list[x509.Certificate]:
        data = self.call(
            "credentials/info",
            {"credentialID": credential, "certificates": "chain", "certInfo": False},
        )
        try:
            encoded = data["cert"]["certificates"]
            return [x509.load_der_x509_certificate(base64.b64decode(c)) for c in encoded]
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise UserError(
                E_SERVICE_GARBAGE, name=self.service.name, reason="cert.certificates"
            ) from exc

    def sign_digest(self, credential: str, digest: bytes, pin: str, sign_algo: str) -> bytes:
        encoded = base64.b64encode(digest).decode()
        authorize: dict[str, Any] = {
            "credentialID": credential,
            "numSignatures": 1,
            "hash": [encoded],
            "hashes": [encoded],
            "hashAlgorithmOID": SHA256_OID,
        }
        if pin:
            authorize["PIN"] = pin
        sad = self.call("credentials/authorize", authorize).get("SAD")
        if not isinstance(sad, str) or not sad:
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason="SAD")
        data = self.call(
            "signatures/signHash",
            {
                "credentialID": credential,
                "SAD": sad,
                "hash": [encoded],
                "hashes": [encoded],
                "hashAlgo": SHA256_OID,
                "hashAlgorithmOID": SHA256_OID,
                "signAlgo": sign_algo,
            },
        )
        try:
            return base64.b64decode(data["signatures"][0], validate=True)
        except (KeyError, IndexError, TypeError, ValueError, binascii.Error) as exc:
            raise UserError(E_SERVICE_GARBAGE, name=self.service.name, reason="signatures") from exc


class CscKey(SigningKey):
    """A CSC credential; signs through the service on the calling thread."""

    def __init__(
        self,
        client: CscClient,
        credential: str,
        certificate: x509.Certificate,
        chain: list[x509.Certificate],
        pin: str,
    ) -> None:
        super().__init__(certificate, chain)
        self.client = client
        self.credential = credential
        self._pin = pin

    def raw_sign(self, data: bytes, digest_algorithm: str) -> bytes:
        digest = hashlib.sha256(data).digest()
        public = self.certificate.public_key()
        algo = ECDSA_SHA256_OID if isinstance(public, ec.EllipticCurvePublicKey) else RSA_OID
        signature = self.client.sign_digest(self.credential, digest, self._pin, algo)
        try:
            if isinstance(public, rsa.RSAPublicKey):
                public.verify(signature, digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
            elif isinstance(public, ec.EllipticCurvePublicKey):
                public.verify(signature, digest, ec.ECDSA(Prehashed(hashes.SHA256())))
            else:
                raise InvalidSignature
        except (InvalidSignature, ValueError):
            raise UserError(E_BAD_SIGNATURE, path=self.credential) from None
        return signature


def open_csc_key(client: CscClient, user_id: str, pin: str) -> CscKey:
    """The signer's first credential whose certificate may sign documents now."""
    found = client.credentials(user_id)
    candidates: list[tuple[str, list[x509.Certificate]]] = []
    for credential in found:
        certs = client.certificates(credential)
        if certs and not is_ca(certs[0]):  # a CA's own key never signs documents
            candidates.append((credential, certs))
    for credential, certs in candidates:
        try:
            check_can_sign(certs[0])
        except UserError:
            continue
        return CscKey(client, credential, certs[0], certs[1:], pin)
    if candidates:  # the refusal names why the first one cannot sign
        check_can_sign(candidates[0][1][0])
    raise UserError(E_NO_REMOTE_CERT, name=client.service.name, user=user_id)
