"""Sign one PDF: PAdES baseline B-B (B-T with a timestamp server), SHA-256, pyHanko.

The original is never touched. We copy it into a temp file opened read-write beside the
output, sign that copy in place as an incremental update (earlier signatures stay valid,
and pyHanko never buffers the whole file), check the result, then rename it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError

from desktop import oserrors
from desktop.atomic import publish, temp_beside
from desktop.errors import UserError
from desktop.filecheck.messages import E_REPAIRABLE
from desktop.signing.certs import vietnam_time
from desktop.signing.documents import PdfFacts, check_header, inspect, repair
from desktop.signing.errors import (
    E_CERTIFIED_VISIBLE,
    E_OUTPUT_INVALID,
    E_SAME_OUTPUT,
    E_SIGN_FAILED,
    E_SIGN_FAILED_LIBRARY,
    E_SIGN_FAILED_PDF,
    E_TSA_IMPRINT,
    E_TSA_NONCE,
    E_TSA_REFUSED,
    E_TSA_SIGNER,
    E_TSA_UNREACHABLE,
)
from desktop.signing.keys import SigningKey, signature_size, to_asn1
from desktop.signing.longterm import LONG_TERM, check_level, long_term, revocation_refusal
from desktop.signing.pdfa_info import match_producer
from desktop.signing.placement import page_geometry
from desktop.signing.stamp import StampSpec, place, stamp_page, stamp_style
from desktop.signing.tsa import HttpxTimeStamper, TsaProblemError
from desktop.signing.verifier import IntegrityProblemError, PrefixDigest, check_fresh_signature

log = logging.getLogger(__name__)
CHUNK = 1 << 20
HASH_CHUNK = 4 << 20
_TSA_CODES = {
    "unreachable": E_TSA_UNREACHABLE,
    "refused": E_TSA_REFUSED,
    "imprint": E_TSA_IMPRINT,
    "nonce": E_TSA_NONCE,
    "signer": E_TSA_SIGNER,
}


@dataclass(frozen=True)
class SignOptions:
    """How to sign: visible stamp or not, PDF password, timestamp server, repair."""

    stamp: StampSpec | None = None
    pdf_password: str | None = field(default=None, repr=False)
    tsa_url: str | None = None
    allow_no_timestamp: bool = False
    repair: bool = False
    reason: str | None = None
    location: str | None = None
    source_name: str = ""  # for messages; sign_pdf fills it
    # PAdES level: "B-B", "B-T", "B-LT", "B-LTA"; None: B-T with a TSA, else B-B.
    level: str | None = None
    # Trusted roots (trust store): the TSA check, and the path of the B-LT revocation data.
    trust: tuple[x509.Certificate, ...] = ()

    @property
    def wanted_level(self) -> str:
        return self.level or ("B-T" if self.tsa_url else "B-B")


@dataclass(frozen=True)
class SignResult:
    source: str
    output: str
    signer: str
    organisation: str
    signed_at: str
    level: str  # "B-B", "B-T", "B-LT" or "B-LTA"
    visible: bool
    repaired: bool
    timestamp_skipped: bool
    size: int
    timestamp_problem: str = ""  # the error code that made us skip the timestamp

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _SourceHash:
    """SHA-256 of the original on a helper thread, while it is copied and signed.

    hashlib releases the GIL on each update, so on two free cores the hash costs no
    wall time: it runs beside the copy (in the kernel) and pyHanko's own hash of the
    copy; the output check waits for it (`prefix`) and so skips a full re-hash. Chunks
    of 4 MB: fewer hand-overs of the GIL to and from the signing thread. (An mmap would
    be zero-copy but counts the whole file in the process's RSS.)
    """

    def __init__(self, source: Path, size: int) -> None:
        self.size = size
        self._digest = hashlib.sha256()
        self._error: OSError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(source,), name="sign-hash", daemon=True
        )
        self._thread.start()

    def _run(self, source: Path) -> None:
        buffer = bytearray(HASH_CHUNK)
        view = memoryview(buffer)
        try:
            with source.open("rb", buffering=0) as again:
                while not self._stop.is_set() and (count := again.readinto(buffer)):
                    self._digest.update(view[:count])
        except OSError as exc:
            self._error = exc

    def prefix(self) -> PrefixDigest:
        """The finished hash of the original (waits for the thread)."""
        self._thread.join()
        if self._stop.is_set():
            raise RuntimeError("the hash of the original was stopped")
        if self._error is not None:
            raise self._error
        return PrefixDigest(self.size, self._digest)

    def stop(self) -> None:
        """Stop early (the signing failed); nothing reads the file afterwards."""
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()


def _copy(source: Path, target: IO[bytes]) -> _SourceHash:
    """Copy `source` into `target` while a second thread hashes it (see _SourceHash)."""
    with source.open("rb") as src:
        size = os.fstat(src.fileno()).st_size
        hashed = _SourceHash(source, size)
        try:
            _copy_bytes(src, target, size)
        except BaseException:
            hashed.stop()
            raise
    return hashed


class _EarlySync:
    """fsync of the copied original on a helper thread while pyHanko works: the disk
    writes the 200 MB during the hashing, and the final fsync (still done, before the
    rename) has only the new revision left to write."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._fd = handle.fileno()
        self._thread = threading.Thread(target=self._run, name="sign-sync", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with contextlib.suppress(OSError):  # the final fsync reports any failure
            os.fsync(self._fd)

    def join(self) -> None:
        self._thread.join()


def _copy_bytes(src: IO[bytes], target: IO[bytes], size: int) -> None:
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < size:
                sent = os.copy_file_range(src.fileno(), target.fileno(), size - done)
                if sent == 0:
                    break
                done += sent
        except OSError:
            done = 0  # e.g. across file systems on old kernels: fall back to read/write
    if done != size:
        src.seek(0)
        target.seek(0)
        target.truncate()
        while chunk := src.read(CHUNK):
            target.write(chunk)
    target.seek(size)


def _chain_has(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class _Job:
    """One signing of one copy; kept small so batch signing can reuse the key."""

    def __init__(self, key: SigningKey, options: SignOptions, facts: PdfFacts) -> None:
        self.key = key
        self.options = options
        self.facts = facts

    def run(self, handle: IO[bytes], moment: datetime, *, timestamp: bool) -> None:
        timestamper = (
            HttpxTimeStamper(self.options.tsa_url, trust=[to_asn1(c) for c in self.options.trust])
            if timestamp and self.options.tsa_url
            else None
        )
        pdf_signer, writer, params = self.prepare(
            handle, moment, self.key.pyhanko_signer(), timestamper
        )
        pdf_signer.sign_pdf(
            writer,
            in_place=True,
            appearance_text_params=params or None,
            chunk_size=CHUNK,
            bytes_reserved=self.reserve(timestamper is not None),
        )

    def prepare(
        self,
        handle: IO[bytes],
        moment: datetime,
        signer: signers.Signer,
        timestamper: HttpxTimeStamper | None,
    ) -> tuple[signers.PdfSigner, IncrementalPdfFileWriter, dict[str, str]]:
        """The pyHanko signer, writer and stamp texts for the copy in `handle`; shared by
        signing here and the remote (deferred) signing of `remote/deferred.py`."""
        handle.seek(0)
        writer = IncrementalPdfFileWriter(handle, strict=False)
        match_producer(writer)  # a PDF/A file stays PDF/A
        if self.facts.encrypted:
            writer.encrypt(self.options.pdf_password or "")  # type: ignore[no-untyped-call]
        name = f"Signature-{uuid.uuid4().hex[:12]}"
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            name=self.key.info.common_name or None,
            reason=self.options.reason,
            location=self.options.location,
        )
        spec = self.options.stamp
        if spec is not None:
            _refuse_visible_on_certified(writer, self.facts, self.options)
        field_spec = fields.SigFieldSpec(sig_field_name=name)
        style = None
        params: dict[str, str] = {}
        if spec is not None:
            geometry = page_geometry(writer, stamp_page(spec, self.facts.pages))
            page, rect = place(spec, geometry, self.facts.pages)
            box: Any = rect  # pyHanko accepts float points despite its int annotation
            field_spec = fields.SigFieldSpec(sig_field_name=name, on_page=page, box=box)
            style = stamp_style(spec, geometry.rotate)
            params = {
                "signer": self.key.info.common_name,
                "org": self.key.info.organisation,
                "time": vietnam_time(moment),
                "form": spec.copy_form,
                "agency": spec.copy_agency or self.key.info.organisation,
            }
        if timestamper is not None and self.options.wanted_level in LONG_TERM:
            meta = long_term(meta, self.key, self.options)
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            timestamper=timestamper,
            stamp_style=style,
            new_field_spec=field_spec,
        )
        return pdf_signer, writer, params

    def reserve(self, timestamp: bool) -> int:
        """Room for the CMS as hex, so pyHanko need not build a dummy signature (and
        ask the TSA for a dummy token) only to measure it; generous margins."""
        certs = [self.key.certificate, *self.key.chain]
        der = sum(len(c.public_bytes(Encoding.DER)) for c in certs)
        der += signature_size(self.key.certificate) + 4096
        if timestamp:
            der += 16384
        return 2 * der


def _refuse_visible_on_certified(writer: Any, facts: PdfFacts, options: SignOptions) -> None:
    """A certification that allows only form filling (DocMDP P=2) forbids a new widget:
    refused before signing, with the invisible signature offered (issue #11, item 8)."""
    if not facts.signatures:
        return
    for signature in writer.prev.embedded_signatures:
        if signature.docmdp_level == fields.MDPPerm.FILL_FORMS:
            raise UserError(E_CERTIFIED_VISIBLE, path=options.source_name or "PDF")


def sign_pdf(
    source: Path, output: Path, key: SigningKey, options: SignOptions | None = None
) -> SignResult:
    """Sign `source` into `output` (a new file; the original stays as it is)."""
    options = replace(options or SignOptions(), source_name=str(source))
    key.check()
    check_level(options)
    if output.exists() and output.resolve() == source.resolve():
        raise UserError(E_SAME_OUTPUT, path=str(source))
    check_header(source)
    folder = output.parent
    folder.mkdir(parents=True, exist_ok=True)
    work = source
    repaired: Path | None = None
    try:
        try:
            with source.open("rb") as handle:
                facts = inspect(handle, source, options.pdf_password)
        except UserError as exc:
            if exc.code != E_REPAIRABLE or not options.repair:
                raise
            repaired = work = repair(source, folder)
            with work.open("rb") as handle:
                facts = inspect(handle, source, options.pdf_password)
        return _sign_copy(work, source, output, key, options, facts, repaired is not None)
    finally:
        if repaired is not None:
            repaired.unlink(missing_ok=True)


def _run_job(job: _Job, handle: IO[bytes], moment: datetime, size: int) -> str:
    """Sign the copy; when the timestamp cannot be had and the clerk allowed it, sign
    again at B-B. Returns the code of what stopped the timestamp ("" if nothing)."""
    try:
        job.run(handle, moment, timestamp=True)
    except Exception as exc:
        tsa = _chain_has(exc, TsaProblemError)
        if not isinstance(tsa, TsaProblemError):
            raise
        refusal = UserError(_TSA_CODES[tsa.kind], url=tsa.url, reason=tsa.reason)
        if not job.options.allow_no_timestamp:
            raise refusal from exc
        log.warning("timestamp unusable (%s: %s); signing B-B", tsa.kind, tsa.reason)
        handle.truncate(size)
        job.run(handle, moment, timestamp=False)
        return refusal.code
    return ""


def _sign_copy(  # noqa: PLR0917 (one private step of sign_pdf)
    work: Path,
    source: Path,
    output: Path,
    key: SigningKey,
    options: SignOptions,
    facts: PdfFacts,
    repaired: bool,
) -> SignResult:
    fd, temp = temp_beside(output, prefix=".signing-", suffix=".pdf")
    job = _Job(key, options, facts)
    moment = datetime.now(UTC)
    try:
        with os.fdopen(fd, "w+b") as handle:
            hashed = _copy(work, handle)
            syncing = _EarlySync(handle)
            try:
                problem = _run_job(job, handle, moment, hashed.size)
                handle.flush()
                skipped = bool(problem)
                level = "B-B" if skipped or not options.tsa_url else options.wanted_level
                try:
                    check_fresh_signature(
                        handle, facts.signatures + 1, options.pdf_password, hashed.prefix(), level
                    )
                except IntegrityProblemError as failure:
                    reason = str(failure)
                    raise UserError(E_OUTPUT_INVALID, path=str(output), reason=reason) from None
            finally:
                hashed.stop()
                syncing.join()  # before the handle closes
            os.fsync(handle.fileno())
            final_size = handle.seek(0, os.SEEK_END)
        publish(temp, output)
    except UserError:
        temp.unlink(missing_ok=True)
        raise
    except (SigningError, PdfError, ValueError, KeyError, TypeError, OSError) as exc:
        temp.unlink(missing_ok=True)
        refusal = revocation_refusal(exc, key, options)
        if refusal is not None:
            raise refusal from exc
        # The library's English sentence goes to the log, never to the clerk.
        log.warning("signing %s failed: %r", source, exc)
        if isinstance(exc, OSError):
            reason = oserrors.reason(exc)
            raise UserError(E_SIGN_FAILED, path=str(source), reason=reason) from exc
        code = E_SIGN_FAILED_LIBRARY if isinstance(exc, SigningError) else E_SIGN_FAILED_PDF
        raise UserError(code, path=str(source)) from exc
    except Exception as exc:
        temp.unlink(missing_ok=True)
        refusal = revocation_refusal(exc, key, options)
        if refusal is not None:
            raise refusal from exc
        raise
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    log.info("signed %s into %s (%s)", source, output, level)
    return SignResult(
        source=str(source),
        output=str(output),
        signer=key.info.common_name,
        organisation=key.info.organisation,
        signed_at=vietnam_time(moment),
        level=level,
        visible=options.stamp is not None,
        repaired=repaired,
        timestamp_skipped=skipped,
        size=final_size,
        timestamp_problem=problem,
    )
