"""What a PDF is before we sign it: readable, encrypted, signed, certified, damaged.

A damaged file that carries no signature may be repaired (rewritten by pypdf, which
rebuilds a broken cross-reference table) when the user asks; a signed file is never
rewritten, since that would break its signatures.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm

from desktop.errors import UserError
from desktop.signing.errors import (
    E_CERTIFIED_NO_CHANGES,
    E_DAMAGED,
    E_DAMAGED_SIGNED,
    E_NOT_PDF,
    E_PDF_ENCRYPTION,
    E_PDF_PASSWORD_NEEDED,
    E_PDF_PASSWORD_WRONG,
    E_REPAIR_FAILED,
    E_UNREADABLE,
)

log = logging.getLogger(__name__)
CHUNK = 1 << 20


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    page_box: tuple[float, float, float, float]  # of the first page
    encrypted: bool
    signatures: int


def check_header(path: Path) -> None:
    """Refuse files that are not PDFs (the header may follow some junk: PDF 1.7 §7.5.2)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise UserError(E_UNREADABLE, path=str(path), reason=exc.strerror) from exc
    if b"%PDF-" not in head:
        raise UserError(E_NOT_PDF, path=str(path))


def _has_signature_bytes(path: Path) -> bool:
    """A raw scan for a signature dictionary, for files too damaged to parse."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if b"/ByteRange" in tail + chunk:
                return True
            tail = chunk[-16:]
    return False


def _page_box(reader: PdfFileReader) -> tuple[float, float, float, float]:
    page, _ = reader.find_page_for_modification(0)  # type: ignore[no-untyped-call]
    node = page.get_object()
    # MediaBox/CropBox are inheritable from the page tree (PDF 1.7 §7.7.3.4).
    while True:
        box = node.get("/CropBox") or node.get("/MediaBox")
        if box is not None or "/Parent" not in node:
            break
        node = node["/Parent"]
    if box is None:
        box = (0, 0, 595, 842)
    if hasattr(box, "get_object"):
        box = box.get_object()
    x1, y1, x2, y2 = (float(v) for v in box)
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def inspect(handle: IO[bytes], path: Path, password: str | None) -> PdfFacts:
    """Read the facts of an open PDF, refusing what cannot be signed."""
    try:
        reader = PdfFileReader(handle, strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AssertionError) as exc:
        _refuse_damaged(path, exc)
    if reader.encrypted:
        # Many "protected" PDFs only have an owner password: the empty user password
        # opens them, and pyHanko can then append to them.
        try:
            result = reader.decrypt(password or "")
        except (PdfError, NotImplementedError) as exc:
            raise UserError(E_PDF_ENCRYPTION, path=str(path), reason=str(exc)) from exc
        if result.status == AuthStatus.FAILED:
            code = E_PDF_PASSWORD_WRONG if password else E_PDF_PASSWORD_NEEDED
            raise UserError(code, path=str(path))
    try:
        signatures = reader.embedded_regular_signatures
        for signature in signatures:
            if signature.docmdp_level == MDPPerm.NO_CHANGES:
                raise UserError(E_CERTIFIED_NO_CHANGES, path=str(path))
        pages = int(reader.root["/Pages"]["/Count"])
        box = _page_box(reader)
    except UserError:
        raise
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AssertionError) as exc:
        _refuse_damaged(path, exc)
    return PdfFacts(
        pages=pages, page_box=box, encrypted=reader.encrypted, signatures=len(signatures)
    )


def _refuse_damaged(path: Path, exc: Exception) -> None:
    reason = str(exc) or type(exc).__name__
    if _has_signature_bytes(path):
        raise UserError(E_DAMAGED_SIGNED, path=str(path), reason=reason) from exc
    raise UserError(E_DAMAGED, path=str(path), reason=reason) from exc


def repair(path: Path, folder: Path) -> Path:
    """Rewrite an unsigned damaged PDF with pypdf into a temp file in `folder`."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    if _has_signature_bytes(path):
        raise UserError(E_DAMAGED_SIGNED, path=str(path), reason="repair refused")
    fd, name = tempfile.mkstemp(dir=folder, prefix=".repair-", suffix=".pdf")
    try:
        with os.fdopen(fd, "w+b") as out:
            reader = PdfReader(str(path), strict=False)
            if len(reader.pages) == 0:
                raise UserError(E_REPAIR_FAILED, path=str(path), reason="no page left")
            writer = PdfWriter(clone_from=reader)
            writer.write(out)
    except UserError:
        Path(name).unlink(missing_ok=True)
        raise
    except (PyPdfError, ValueError, KeyError, OSError, TypeError) as exc:
        Path(name).unlink(missing_ok=True)
        raise UserError(E_REPAIR_FAILED, path=str(path), reason=str(exc)) from exc
    log.info("repaired %s into %s", path, name)
    return Path(name)
