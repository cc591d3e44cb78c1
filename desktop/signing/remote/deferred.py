"""Hash-only signing in two steps that may be a restart apart (pyHanko's interrupted
signing).

`prepare_pdf` copies the PDF into a durable folder, lets pyHanko write the signature
field, stamp and placeholder there (`PdfSigner.digest_doc_for_signing`), builds the PAdES
signed attributes locally and returns what must be kept: the byte range digest, the
signed attributes (DER) and their SHA-256, which is all the trust service ever sees.
`finish_pdf` takes the service's raw signature, checks it against the certificate and
the signed attributes BEFORE anything is written, wraps it into the CMS with the chain
(and a checked timestamp at B-T), lets pyHanko fill the placeholder of the prepared file,
checks the result as a local signature is checked, and moves it to the output.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Coroutine
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.atomic import copy_atomically, fsync_dir
from desktop.errors import UserError
from desktop.signing.certs import check_can_sign, vietnam_time
from desktop.signing.documents import check_header, inspect
from desktop.signing.errors import E_OUTPUT_INVALID, E_PDF_PASSWORD_NEEDED, E_SAME_OUTPUT
from desktop.signing.keys import SigningKey, to_asn1
from desktop.signing.longterm import LONG_TERM, check_level, validation_context
from desktop.signing.remote.attributes import DIGEST, signed_attributes
from desktop.signing.remote.errors import (
    E_BAD_SIGNATURE,
    E_PREPARED_CHANGED,
    E_REMOTE_ENCRYPTED,
)
from desktop.signing.remote.validation_info import add_long_term
from desktop.signing.signer import (
    _TSA_CODES,
    CHUNK,
    SignOptions,
    SignResult,
    _copy,
    _Job,
)
from desktop.signing.tsa import HttpxTimeStamper, TsaProblemError
from desktop.signing.verifier import IntegrityProblemError, PrefixDigest, check_fresh_signature

T = TypeVar("T")
log = logging.getLogger(__name__)
_LOOPS = threading.local()


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine on this thread's own event loop, made once: a new loop per
    call (asyncio.run) cost more than the work itself for small PDFs."""
    loop: asyncio.AbstractEventLoop | None = getattr(_LOOPS, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _LOOPS.loop = loop
    return loop.run_until_complete(coroutine)


run_pyhanko = _run  # for the other steps of a remote job (validation_info)


class HeldKey(SigningKey):
    """A certificate whose key is held by a trust service: only its public half is here.

    It signs nothing itself; `prepare_pdf` / `finish_pdf` go through the service."""

    def raw_sign(self, data: bytes, digest_algorithm: str) -> bytes:
        raise NotImplementedError("a held key signs through its trust service")


@dataclass(frozen=True)
class PreparedPdf:
    """One PDF waiting for its signature; every field survives a restart (JSON)."""

    source: str
    output: str
    prepared: str  # the prepared copy (placeholder in place), in the jobs folder
    original_size: int
    original_sha256: str  # of the first original_size bytes of `prepared`
    signatures_before: int
    document_digest: str  # hex, pyHanko's digest of the byte range
    reserved_start: int
    reserved_end: int
    signed_attrs: str  # base64 DER of the CMS signed attributes
    to_be_signed: str  # hex SHA-256 of signed_attrs: what the service signs
    level: str
    tsa_url: str | None
    visible: bool
    signed_at: str  # ISO time of the preparation (the stamp's time)
    # Size of the prepared copy: a finish interrupted after the DSS was appended (B-LT)
    # starts again from exactly the prepared bytes. 0: a job written before it was kept.
    prepared_size: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PreparedPdf:
        return cls(**data)


def _registry(chain: list[x509.Certificate]) -> SimpleCertificateStore:
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    registry.register_multiple([to_asn1(c) for c in chain])
    return registry


def prepare_pdf(
    source: Path,
    output: Path,
    key: SigningKey,
    folder: Path,
    options: SignOptions | None = None,
) -> PreparedPdf:
    """Prepare `source` for a signature by `key`'s certificate; nothing is written to
    `output` yet. The prepared copy lives in `folder` (durable: the jobs folder)."""
    options = replace(options or SignOptions(), source_name=str(source))
    check_can_sign(key.certificate)
    level = options.wanted_level
    if level in LONG_TERM:  # refused before the push: no TSA, or no root for the chain
        check_level(options)
        validation_context(key, options.trust)
    if output.exists() and output.resolve() == source.resolve():
        raise UserError(E_SAME_OUTPUT, path=str(source))
    check_header(source)
    try:
        with source.open("rb") as handle:
            facts = inspect(handle, source, None)
    except UserError as exc:
        if exc.code == E_PDF_PASSWORD_NEEDED:  # a password would not help: say why
            raise UserError(E_REMOTE_ENCRYPTED, path=str(source)) from exc
        raise
    if facts.encrypted:
        raise UserError(E_REMOTE_ENCRYPTED, path=str(source))
    folder.mkdir(parents=True, exist_ok=True)
    prepared = folder / f"{uuid.uuid4().hex}.pdf"
    job = _Job(key, options, facts)
    moment = datetime.now(UTC)
    external = signers.ExternalSigner(
        to_asn1(key.certificate), _registry(key.chain), signature_value=bytes(256)
    )
    try:
        with prepared.open("w+b") as handle:
            prefix = _copy(source, handle).prefix()
            original = prefix._state.copy().hexdigest()
            pdf_signer, writer, params = job.prepare(handle, moment, external, None)
            digest = _run(_digest(pdf_signer, writer, params, job.reserve(bool(options.tsa_url))))
            handle.flush()
            os.fsync(handle.fileno())
            prepared_size = handle.seek(0, os.SEEK_END)
    except BaseException:
        prepared.unlink(missing_ok=True)
        raise
    der = signed_attributes(external.signing_cert, digest.document_digest, _run)
    return PreparedPdf(
        source=str(source),
        output=str(output),
        prepared=str(prepared),
        original_size=prefix.size,
        original_sha256=original,
        signatures_before=facts.signatures,
        document_digest=digest.document_digest.hex(),
        reserved_start=digest.reserved_region_start,
        reserved_end=digest.reserved_region_end,
        signed_attrs=base64.b64encode(der).decode(),
        to_be_signed=hashlib.sha256(der).hexdigest(),
        level=level if options.tsa_url else "B-B",
        tsa_url=options.tsa_url,
        visible=options.stamp is not None,
        signed_at=moment.isoformat(),
        prepared_size=prepared_size,
    )


async def _digest(
    pdf_signer: signers.PdfSigner,
    writer: Any,
    params: dict[str, str],
    reserved: int,
) -> PreparedByteRangeDigest:
    digest, _tbs, _out = await pdf_signer.async_digest_doc_for_signing(
        writer,
        in_place=True,
        appearance_text_params=params or None,
        chunk_size=CHUNK,
        bytes_reserved=reserved,
    )
    return digest


def check_signature(prepared: PreparedPdf, certificate: x509.Certificate, signature: bytes) -> None:
    """The service's signature must be the certificate's key over OUR signed attributes."""
    data = base64.b64decode(prepared.signed_attrs)
    public = certificate.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise InvalidSignature
    except (InvalidSignature, ValueError):
        raise UserError(E_BAD_SIGNATURE, path=prepared.source) from None


def _check_prefix(prepared: PreparedPdf, handle: Any) -> PrefixDigest:
    """Re-hash the original part of the prepared copy: it must be the bytes hashed then."""
    digest = hashlib.sha256()
    remaining = prepared.original_size
    handle.seek(0)
    while remaining > 0:
        chunk = handle.read(min(remaining, CHUNK))
        if not chunk:
            break
        digest.update(chunk)
        remaining -= len(chunk)
    if remaining or digest.hexdigest() != prepared.original_sha256:
        raise UserError(E_PREPARED_CHANGED, path=prepared.source)
    return PrefixDigest(prepared.original_size, digest)


def finish_pdf(
    prepared: PreparedPdf,
    key: SigningKey,
    signature: bytes,
    trust: tuple[x509.Certificate, ...] = (),
    *,
    sync_folder: bool = True,
) -> SignResult:
    """Embed `signature` (checked first) into the prepared copy and move it to the output.
    With `sync_folder=False` the caller fsyncs the output folders once for many files."""
    check_signature(prepared, key.certificate, signature)
    path = Path(prepared.prepared)
    if not path.exists():
        raise UserError(E_PREPARED_CHANGED, path=prepared.source)
    external = signers.ExternalSigner(
        to_asn1(key.certificate), _registry(key.chain), signature_value=signature
    )
    timestamper = (
        HttpxTimeStamper(prepared.tsa_url, trust=[to_asn1(c) for c in trust])
        if prepared.tsa_url
        else None
    )
    attrs = cms.CMSAttributes.load(base64.b64decode(prepared.signed_attrs))
    try:
        signed = _run(
            external.async_sign_prescribed_attributes(
                DIGEST, signed_attrs=attrs, timestamper=timestamper
            )
        )
    except TsaProblemError as tsa:
        raise UserError(_TSA_CODES[tsa.kind], url=tsa.url, reason=tsa.reason) from tsa
    output = Path(prepared.output)
    with path.open("r+b") as handle:
        prefix = _check_prefix(prepared, handle)
        if prepared.prepared_size:
            handle.truncate(prepared.prepared_size)
        digest = PreparedByteRangeDigest(
            bytes.fromhex(prepared.document_digest),
            prepared.reserved_start,
            prepared.reserved_end,
        )
        _run(PdfTBSDocument.async_finish_signing(handle, digest, signed, chunk_size=CHUNK))
        handle.flush()
        if prepared.level in LONG_TERM:
            add_long_term(handle, key, prepared.level, trust, timestamper, _run, prepared.source)
            handle.flush()
        try:
            check_fresh_signature(
                handle, prepared.signatures_before + 1, None, prefix, prepared.level
            )
        except IntegrityProblemError as failure:
            raise UserError(E_OUTPUT_INVALID, path=str(output), reason=str(failure)) from None
        os.fsync(handle.fileno())
        size = handle.seek(0, os.SEEK_END)
    _move(path, output, sync_folder=sync_folder)
    log.info("remote signature embedded into %s (%s)", output, prepared.level)
    return SignResult(
        source=prepared.source,
        output=str(output),
        signer=key.info.common_name,
        organisation=key.info.organisation,
        signed_at=vietnam_time(datetime.fromisoformat(prepared.signed_at)),
        level=prepared.level,
        visible=prepared.visible,
        repaired=False,
        timestamp_skipped=False,
        size=size,
    )


def _move(prepared: Path, output: Path, *, sync_folder: bool = True) -> None:
    """Rename when on the same file system, else copy beside the output and rename."""
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        prepared.replace(output)
    except OSError:
        copy_atomically(prepared, output, prefix=".signing-", suffix=".pdf")
        prepared.unlink(missing_ok=True)
    if sync_folder:
        fsync_dir(output.parent)


def sync_folders(paths: list[Path]) -> None:
    """fsync each distinct folder of `paths` once (new or renamed entries made durable)."""
    for folder in sorted({p.parent for p in paths}):
        fsync_dir(folder)


def discard(prepared: PreparedPdf) -> None:
    """Drop the prepared copy (refused, expired or cancelled request)."""
    Path(prepared.prepared).unlink(missing_ok=True)
