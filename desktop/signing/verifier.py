"""Verify the signatures of a PDF: integrity, coverage, signer, time, trust, later changes.

Trust anchors are the root certificates in the data dir's `trust` folder plus any the
user names; nothing is fetched from the network and the OS trust list is never used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import ValidationContext

from desktop.errors import UserError
from desktop.signing.certs import vietnam_time
from desktop.signing.documents import check_header
from desktop.signing.errors import (
    E_DAMAGED,
    E_PDF_PASSWORD_NEEDED,
    E_PDF_PASSWORD_WRONG,
    E_TRUST_UNREADABLE,
)

log = logging.getLogger(__name__)
TRUST_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


class IntegrityProblemError(Exception):
    """A freshly signed file does not check out."""


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    organisation: str
    issuer: str
    signing_time: str | None
    timestamp_time: str | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    modifications: str  # "none", "signatures", "form_filling", "annotations", "other"
    modifications_allowed: bool
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """The signature is mathematically sound and what came after it is allowed."""
        return self.intact and self.valid and self.modifications_allowed

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "problems": list(self.problems), "ok": self.ok}


@dataclass(frozen=True)
class VerifyReport:
    path: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "signatures": [s.as_dict() for s in self.signatures],
        }


def _load_cert(path: Path) -> x509.Certificate:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(E_TRUST_UNREADABLE, path=str(path), reason=exc.strerror) from exc
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise UserError(E_TRUST_UNREADABLE, path=str(path), reason=str(exc)) from exc


def load_trust(
    folder: Path | None, extra: list[Path] | tuple[Path, ...] = ()
) -> list[x509.Certificate]:
    """Root certificates from `folder` (PEM/DER files) and the files in `extra`."""
    found = []
    if folder is not None and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in TRUST_SUFFIXES:
                try:
                    found.append(_load_cert(path))
                except UserError:
                    log.warning("trust folder file %s is not a certificate; skipped", path)
    found += [_load_cert(path) for path in extra]
    return found


def _context(trust: list[x509.Certificate]) -> ValidationContext:
    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust]
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _open(handle: IO[bytes], path: str, password: str | None) -> PdfFileReader:
    try:
        reader = PdfFileReader(handle, strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise UserError(E_DAMAGED, path=path, reason=str(exc) or type(exc).__name__) from exc
    if reader.encrypted and reader.decrypt(password or "").status.name == "FAILED":
        raise UserError(E_PDF_PASSWORD_WRONG if password else E_PDF_PASSWORD_NEEDED, path=path)
    return reader


_MODIFICATIONS = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "signatures",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}


def _report(signature: EmbeddedPdfSignature, status: PdfSignatureStatus) -> SignatureReport:
    cert = status.signing_cert
    subject = cert.subject.native
    problems = []
    if not status.intact:
        problems.append("content_changed")
    if not status.valid:
        problems.append("bad_signature")
    if not status.trusted:
        problems.append("untrusted")
    level = status.modification_level
    allowed = bool(status.docmdp_ok) if level is not None else True
    if not allowed:
        problems.append("disallowed_changes")
    tst = status.timestamp_validity
    return SignatureReport(
        field=signature.field_name,
        signer=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        issuer=str(cert.issuer.native.get("common_name", "")),
        signing_time=vietnam_time(status.signer_reported_dt) if status.signer_reported_dt else None,
        timestamp_time=vietnam_time(tst.timestamp) if tst is not None else None,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modifications=_MODIFICATIONS.get(level, "none") if level is not None else "none",
        modifications_allowed=allowed,
        problems=tuple(problems),
    )


def _validate(signature: EmbeddedPdfSignature, context: ValidationContext) -> PdfSignatureStatus:
    try:
        # Diff analysis is free when nothing follows the signature (pyHanko checks coverage).
        return validate_pdf_signature(signature, context)
    except (SignatureValidationError, PdfError, ValueError) as exc:
        raise IntegrityProblemError(str(exc) or type(exc).__name__) from exc


def verify_pdf(
    path: Path, trust: list[x509.Certificate], password: str | None = None
) -> VerifyReport:
    """A report on every signature of `path` (an empty list when there is none)."""
    check_header(path)
    context = _context(trust)
    reports = []
    with path.open("rb") as handle:
        reader = _open(handle, str(path), password)
        signatures = reader.embedded_regular_signatures
        for signature in signatures:
            try:
                status = _validate(signature, context)
            except IntegrityProblemError as problem:
                log.info("signature %s unreadable: %s", signature.field_name, problem)
                reports.append(_broken(signature))
                continue
            reports.append(_report(signature, status))
    return VerifyReport(path=str(path), signatures=reports)


def _broken(signature: EmbeddedPdfSignature) -> SignatureReport:
    return SignatureReport(
        field=signature.field_name,
        signer="",
        organisation="",
        issuer="",
        signing_time=None,
        timestamp_time=None,
        intact=False,
        valid=False,
        trusted=False,
        covers_whole_file=False,
        modifications="other",
        modifications_allowed=False,
        problems=("unreadable_signature",),
    )


def check_fresh_signature(
    handle: IO[bytes], expected: int, password: str | None, prefix: PrefixDigest
) -> None:
    """After signing: `expected` signatures, the last covering the whole file and sound.

    Its digest is recomputed here, independently of pyHanko's, from `prefix` (the
    SHA-256 state of the original file, hashed while it was copied) plus the bytes the
    signer appended, read back from the output. A match proves both that the copy is
    the original and that the new revision is what was signed, without hashing the
    whole file a second time. Earlier signatures cover a part of that same prefix, so
    only what our revision changes is reviewed (pyHanko's diff policy). No trust check:
    that is the verifier's job, and a clerk may sign before adding the CA root.
    """
    handle.seek(0)
    try:
        reader = _open(handle, "output", password)
    except UserError as exc:
        raise IntegrityProblemError(exc.code) from exc
    signatures = reader.embedded_regular_signatures
    if len(signatures) != expected:
        raise IntegrityProblemError(f"{len(signatures)} signatures, expected {expected}")
    try:
        for signature in signatures[:-1]:
            signature.coverage = signature.evaluate_signature_coverage()
            result = signature.evaluate_modifications(DEFAULT_DIFF_POLICY)
            level = getattr(result, "modification_level", None)
            if level is None or level > ModificationLevel.FORM_FILLING:
                raise IntegrityProblemError(f"signature {signature.field_name} no longer holds")
        last = signatures[-1]
        if last.evaluate_signature_coverage() != SignatureCoverageLevel.ENTIRE_FILE:
            raise IntegrityProblemError("the new signature does not cover the whole file")
        digest = prefix.finish(handle, last.byte_range)
        intact, valid = validate_sig_integrity(
            last.signer_info,
            last.signer_cert,
            expected_content_type="data",
            actual_digest=digest,
        )
    except (SignatureValidationError, PdfError, ValueError) as exc:
        raise IntegrityProblemError(str(exc) or type(exc).__name__) from exc
    if not (intact and valid):
        raise IntegrityProblemError(f"signature {last.field_name} does not verify")


class PrefixDigest:
    """SHA-256 of the first `size` bytes of a file, continued over a byte range later."""

    def __init__(self, size: int, state: Any) -> None:
        self.size = size
        self._state = state

    def finish(self, handle: IO[bytes], byte_range: list[int]) -> bytes:
        start1, length1, start2, length2 = byte_range
        if start1 != 0 or length1 < self.size:
            raise IntegrityProblemError("the signed range does not start with the original")
        digest = self._state.copy()
        handle.seek(self.size)
        _feed(digest, handle, length1 - self.size)
        handle.seek(start2)
        _feed(digest, handle, length2)
        return bytes(digest.digest())


def _feed(digest: Any, handle: IO[bytes], remaining: int) -> None:
    while remaining > 0:
        chunk = handle.read(min(remaining, 1 << 20))
        if not chunk:
            raise IntegrityProblemError("the output is shorter than its signed range")
        digest.update(chunk)
        remaining -= len(chunk)
