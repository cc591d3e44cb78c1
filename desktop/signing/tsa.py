"""RFC 3161 timestamp client over httpx (pyHanko's own clients need requests/aiohttp).

Every answer is checked before it is embedded: status granted, the nonce we sent, the
message imprint of our signature value, and the token's signature by a certificate
meant for timestamping (pyHanko's TST validation: integrity, signature, the
timeStamping extended key usage, and the path when the TSA's root is trusted). A
token that fails is never embedded (issue #11, item 2).
"""

from __future__ import annotations

import logging
from typing import Any

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)


class TsaProblemError(Exception):
    """The timestamp server could not be used; `kind` names why (see signer._TSA_CODES)."""

    kind = "unreachable"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class TsaUnreachableError(TsaProblemError):
    """The timestamp server could not be reached or answered nonsense."""


class TsaRefusedError(TsaProblemError):
    kind = "refused"


class TsaBadTokenError(TsaProblemError):
    """The token came back but does not hold: `kind` is imprint, nonce or signer."""

    def __init__(self, url: str, kind: str, reason: str) -> None:
        super().__init__(url, reason)
        self.kind = kind


class _StatusOnly(core.Sequence):  # type: ignore[misc]
    """A TimeStampResp read for its status only: asn1crypto wrongly requires the token,
    which a refusal (RFC 3161 §2.4.2) does not carry."""

    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", core.Any, {"optional": True}),
    ]


class HttpxTimeStamper(TimeStamper):
    """Asks one TSA URL for timestamp tokens and checks each one before it is used."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        trust: list[asn1_x509.Certificate] | None = None,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.url = url
        self.timeout = timeout
        self.trust = trust or []

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        import httpx  # here: signing without a timestamp never loads it

        try:
            response = httpx.post(
                self.url,
                content=req.dump(),
                headers={"Content-Type": "application/timestamp-query"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise TsaUnreachableError(self.url, type(exc).__name__) from exc
        if response.status_code != 200:
            raise TsaUnreachableError(self.url, f"HTTP {response.status_code}")
        if response.headers.get("content-type", "").split(";")[0] != "application/timestamp-reply":
            raise TsaUnreachableError(self.url, "not a timestamp reply")
        try:
            status = _StatusOnly.load(response.content)["status"]
            if status["status"].native not in ("granted", "granted_with_mods"):
                said = "; ".join(status["status_string"].native or []) or status["status"].native
                raise TsaRefusedError(self.url, said)
            return tsp.TimeStampResp.load(response.content)
        except ValueError as exc:
            raise TsaUnreachableError(self.url, "malformed timestamp reply") from exc

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        nonce, req = self.request_cms(message_digest, md_algorithm)  # type: ignore[no-untyped-call]
        res = await self.async_request_tsa_response(req)
        try:
            token = check_response(res, nonce, message_digest, md_algorithm, self.url)
            await self._check_signer(token, message_digest, md_algorithm)
        except (ValueError, KeyError, TypeError) as exc:
            raise TsaUnreachableError(self.url, "malformed timestamp reply") from exc
        return token

    async def _check_signer(
        self, token: cms.ContentInfo, message_digest: bytes, md_algorithm: str
    ) -> None:
        """The token is signed by the certificate it names, which may timestamp."""
        certs = [c.chosen for c in token["content"]["certificates"] or []]
        [signer_info] = token["content"]["signer_infos"]
        sid = signer_info["sid"].chosen
        signer = next(
            (
                c
                for c in certs
                if (
                    isinstance(sid, cms.IssuerAndSerialNumber)
                    and c.issuer == sid["issuer"]
                    and c.serial_number == sid["serial_number"].native
                )
                or (
                    not isinstance(sid, cms.IssuerAndSerialNumber)
                    and c.key_identifier == sid.native
                )
            ),
            None,
        )
        if signer is None:
            raise TsaBadTokenError(self.url, "signer", "no signer certificate")
        # RFC 3161 §2.3: the TSA's certificate has the timeStamping extended key usage.
        eku = signer.extended_key_usage_value
        if eku is None or "time_stamping" not in eku.native:
            raise TsaBadTokenError(self.url, "signer", "not a timestamping certificate")
        roots = [
            *self.trust,
            *(c for c in certs if c.self_signed in {"maybe", "yes"}),
        ]
        context = ValidationContext(trust_roots=roots, other_certs=certs, allow_fetching=False)

        def expected(algorithm: str) -> bytes:
            return message_digest if algorithm == md_algorithm else b""

        try:
            status: dict[str, Any] = await validate_tst_signed_data(
                token["content"], context, expected
            )
        except Exception as exc:
            log.info("timestamp token from %s does not validate: %r", self.url, exc)
            raise TsaBadTokenError(self.url, "signer", type(exc).__name__) from exc
        if not (status.get("intact") and status.get("valid")):
            raise TsaBadTokenError(self.url, "signer", "signature")
        problem = status.get("trust_problem_indic")
        if problem is not None and problem != AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
            # e.g. CHAIN_CONSTRAINTS_FAILURE: a certificate not meant for timestamping.
            raise TsaBadTokenError(self.url, "signer", str(problem))


def check_response(
    res: tsp.TimeStampResp, nonce: int | None, digest: bytes, md_algorithm: str, url: str
) -> cms.ContentInfo:
    """The token of a granted answer that echoes our nonce and our imprint."""
    status = res["status"]
    if status["status"].native not in ("granted", "granted_with_mods"):
        said = "; ".join(status["status_string"].native or []) or status["status"].native
        raise TsaRefusedError(url, said)
    token: cms.ContentInfo = res["time_stamp_token"]
    info = token["content"]["encap_content_info"]["content"].parsed
    if nonce is not None and info["nonce"].native != nonce:
        raise TsaBadTokenError(url, "nonce", "nonce")
    imprint = info["message_imprint"]
    if (
        imprint["hash_algorithm"]["algorithm"].native != md_algorithm
        or imprint["hashed_message"].native != digest
    ):
        raise TsaBadTokenError(url, "imprint", "imprint")
    return token
