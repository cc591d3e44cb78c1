"""Verify the signatures of a PDF: integrity, coverage, signer, time, trust, later changes.

Trust anchors are the root certificates in the data dir's `trust` folder plus any the
user names; nothing is fetched from the network and the OS trust list is never used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import ValidationContext

from desktop import oserrors
from desktop.errors import UserError
from desktop.signing.certs import vietnam_time
from desktop.signing.documents import check_header
from desktop.signing.errors import (
    E_DAMAGED,
    E_NOT_PDF,
    E_NOT_PDF_VERIFY,
    E_PDF_PASSWORD_NEEDED,
    E_PDF_PASSWORD_WRONG,
    E_TRUST_UNREADABLE,
)
from desktop.signing.found import Found
from desktop.signing.verdicts import FATAL, key_usage_policy, trust_problem

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
    modifications: str  # "none", "signatures", "metadata", "form_filling", "annotations", "other"
    modifications_allowed: bool
    problems: tuple[str, ...] = ()
    level: str = ""  # "B-B", "B-T", "B-LT", "B-LTA"; "PKCS7" for adbe.pkcs7.detached
    timestamp_valid: bool | None = None  # None: no signature timestamp
    kind: str = "signature"  # or "document_timestamp"

    @property
    def ok(self) -> bool:
        """Sound, judged valid by pyHanko (algorithm, revocation, validity, key usage,
        path when roots are trusted), and what came after it is allowed."""
        return (
            self.intact
            and self.valid
            and self.modifications_allowed
            and not FATAL.intersection(self.problems)
        )

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
        raise UserError(E_TRUST_UNREADABLE, path=str(path), reason=oserrors.reason(exc)) from exc
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


def _roots(trust: list[x509.Certificate]) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust]


def _context(trust: list[x509.Certificate]) -> ValidationContext:
    return ValidationContext(trust_roots=_roots(trust), allow_fetching=False)


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


def _report(
    signature: EmbeddedPdfSignature, status: PdfSignatureStatus, found: Found
) -> SignatureReport:
    cert = status.signing_cert
    subject = cert.subject.native
    problems = []
    if not status.intact:
        problems.append("content_changed")
    if not status.valid:
        problems.append("bad_signature")
    tst = status.timestamp_validity
    timestamp_valid = None if tst is None else bool(tst.intact and tst.valid)
    claimed = status.signer_reported_dt
    moment = tst.timestamp if timestamp_valid and tst is not None else claimed
    trouble = trust_problem(status.trust_problem_indic, roots=found.roots)
    if trouble == "expired" and moment is not None and moment < cert.not_valid_after:
        trouble = "expired_after_signing"  # valid when signed; only a B-LT file proves it
    if trouble is not None:
        problems.append(trouble)
    elif not status.trusted:
        problems.append("untrusted" if found.roots == 0 else "path_not_found")
    if tst is not None and not timestamp_valid:
        problems.append("timestamp_invalid")
    elif tst is not None and not tst.trusted and found.roots:
        problems.append("timestamp_untrusted")
    level = status.modification_level
    allowed = bool(status.docmdp_ok) if level is not None else True
    if not allowed:
        problems.append("disallowed_changes")
    changes = _MODIFICATIONS.get(level, "none") if level is not None else "none"
    if changes in {"signatures", "none"} and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        changes = "metadata" if found.metadata_changed_after(signature) else changes
    return SignatureReport(
        field=signature.field_name,
        signer=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        issuer=str(cert.issuer.native.get("common_name", "")),
        signing_time=vietnam_time(claimed) if claimed else None,
        timestamp_time=vietnam_time(tst.timestamp) if tst is not None else None,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modifications=changes,
        modifications_allowed=allowed,
        problems=tuple(problems),
        level=found.level(signature, tst is not None),
        timestamp_valid=timestamp_valid,
    )


def _validate(
    signature: EmbeddedPdfSignature, trust: list[x509.Certificate], found: Found
) -> PdfSignatureStatus:
    """pyHanko's verdict; a file with revocation data (B-LT) is judged offline, at the
    time its timestamp proves, with that data and nothing fetched."""
    policy = key_usage_policy()
    status = validate_pdf_signature(signature, _context(trust), key_usage_settings=policy)
    tst = status.timestamp_validity
    if found.dss is None or tst is None or not (tst.intact and tst.valid):
        return status
    context = found.dss.as_validation_context(
        {
            "trust_roots": _roots(trust),
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
            "moment": tst.timestamp,
            "retroactive_revinfo": True,
        }
    )
    return validate_pdf_signature(signature, context, key_usage_settings=policy)


def verify_pdf(
    path: Path, trust: list[x509.Certificate], password: str | None = None
) -> VerifyReport:
    """A report on every signature of `path` (an empty list when there is none).

    Each signature gets its own verdict: one that cannot be read (a malformed foreign
    CMS) is reported as such and does not hide the others."""
    try:
        check_header(path)
    except UserError as exc:
        if exc.code == E_NOT_PDF:
            raise UserError(E_NOT_PDF_VERIFY, path=str(path)) from None
        raise
    reports = []
    with path.open("rb") as handle:
        reader = _open(handle, str(path), password)
        found = Found.read(reader, len(trust))
        for signature in found.signatures:
            try:
                status = _validate(signature, trust, found)
                report = _report(signature, status, found)
            except Exception as exc:
                log.info("signature %s unreadable: %r", signature.field_name, exc)
                report = _broken(signature)
            reports.append(report)
        for stamp in found.document_timestamps:
            reports.append(_document_timestamp(stamp, trust, found))
    return VerifyReport(path=str(path), signatures=reports)


def _broken(signature: EmbeddedPdfSignature) -> SignatureReport:
    signer = organisation = ""
    try:
        subject = signature.signer_cert.subject.native
        signer = str(subject.get("common_name", ""))
        organisation = str(subject.get("organization_name", ""))
    except Exception:
        log.debug("signer of %s unreadable too", signature.field_name)
    return SignatureReport(
        field=signature.field_name,
        signer=signer,
        organisation=organisation,
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


def _document_timestamp(
    stamp: EmbeddedPdfSignature, trust: list[x509.Certificate], found: Found
) -> SignatureReport:
    """The document timestamp of a B-LTA file: sound, and by a trusted TSA."""
    try:
        status = validate_pdf_timestamp(stamp, _context(trust))
    except Exception as exc:
        log.info("document timestamp %s unreadable: %r", stamp.field_name, exc)
        return replace(_broken(stamp), kind="document_timestamp")
    problems = []
    if not (status.intact and status.valid):
        problems.append("timestamp_invalid")
    elif not status.trusted:
        problems.append("untrusted" if found.roots == 0 else "timestamp_untrusted")
    subject = status.signing_cert.subject.native
    return SignatureReport(
        field=stamp.field_name,
        signer=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        issuer=str(status.signing_cert.issuer.native.get("common_name", "")),
        signing_time=None,
        timestamp_time=vietnam_time(status.timestamp),
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modifications=_MODIFICATIONS.get(status.modification_level, "none")
        if status.modification_level is not None
        else "none",
        modifications_allowed=True,
        problems=tuple(problems),
        level="B-LTA",
        timestamp_valid=bool(status.intact and status.valid),
        kind="document_timestamp",
    )


def check_fresh_signature(
    handle: IO[bytes],
    expected: int,
    password: str | None,
    prefix: PrefixDigest,
    level: str = "B-B",
) -> None:
    """After signing: `expected` signatures, the last covering the whole file and sound.

    Its digest is recomputed here, independently of pyHanko's, from `prefix` (the
    SHA-256 state of the original file, hashed while it was copied) plus the bytes the
    signer appended, read back from the output. A match proves both that the copy is
    the original and that the new revision is what was signed, without hashing the
    whole file a second time. Earlier signatures cover a part of that same prefix, so
    only what our revision changes is reviewed (pyHanko's diff policy). No trust check:
    that is the verifier's job, and a clerk may sign before adding the CA root. At B-LT
    and B-LTA the new signature is followed by the DSS (and a document timestamp): only
    such validation updates may follow it.
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
            level_of = getattr(result, "modification_level", None)
            if level_of is None or level_of > ModificationLevel.FORM_FILLING:
                raise IntegrityProblemError(f"signature {signature.field_name} no longer holds")
        last = signatures[-1]
        _check_last_coverage(last, level, reader)
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


def _check_last_coverage(last: EmbeddedPdfSignature, level: str, reader: PdfFileReader) -> None:
    coverage = last.evaluate_signature_coverage()
    if coverage == SignatureCoverageLevel.ENTIRE_FILE and level not in ("B-LT", "B-LTA"):
        return
    if level not in ("B-LT", "B-LTA") or coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        raise IntegrityProblemError("the new signature does not cover the whole file")
    _only_validation_data_after(last, coverage)
    if Found.read(reader, 0).dss is None:
        raise IntegrityProblemError("no revocation data was embedded")
    if level == "B-LTA":
        stamps = reader.embedded_timestamp_signatures
        if not stamps:
            raise IntegrityProblemError("no document timestamp was added")
        stamp = stamps[-1]
        # pyHanko adds the timestamp server's revocation data after the timestamp.
        covered = stamp.evaluate_signature_coverage()
        if covered != SignatureCoverageLevel.ENTIRE_FILE:
            _only_validation_data_after(stamp, covered)


def _only_validation_data_after(signature: Any, coverage: SignatureCoverageLevel) -> None:
    """Only a DSS and document timestamps follow `signature` (an EmbeddedPdfSignature)."""
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        raise IntegrityProblemError(f"{signature.field_name} does not cover its revision")
    signature.coverage = coverage  # what the diff review reads
    result = signature.evaluate_modifications(DEFAULT_DIFF_POLICY)
    after = getattr(result, "modification_level", None)
    if after is None or after > ModificationLevel.LTA_UPDATES:
        raise IntegrityProblemError("more than validation data follows the new signature")


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
