"""What a PDF is before we sign it: decided from the one verdict (desktop.filecheck).

`inspect` refuses what the verdict says cannot be signed (the same findings `dossier
validate` shows), then reads what signing needs (page count, first page's box). A
damaged file that carries no signature may be repaired (rewritten by qpdf) when the
user asks; a signed file is never rewritten, since that would break its signatures.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

from desktop import oserrors
from desktop.errors import UserError
from desktop.filecheck import damage
from desktop.filecheck import sniff as filetypes
from desktop.filecheck.decide import refuse_for_signing
from desktop.filecheck.messages import E_DAMAGED, E_REPAIRABLE
from desktop.filecheck.pdf import PASSWORD, inspect_stream
from desktop.filecheck.repair import rewrite
from desktop.filecheck.signatures import page_box
from desktop.signing.errors import (
    E_NOT_PDF,
    E_PDF_PASSWORD_NEEDED,
    E_PDF_PASSWORD_WRONG,
    E_UNREADABLE,
)

log = logging.getLogger(__name__)


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
            head = handle.read(filetypes.HEAD_SIZE)
    except OSError as exc:
        raise UserError(E_UNREADABLE, path=str(path), reason=oserrors.reason(exc)) from exc
    if filetypes.sniff(head).media_type != filetypes.PDF:
        raise UserError(E_NOT_PDF, path=str(path))


def inspect(handle: IO[bytes], path: Path, password: str | None) -> PdfFacts:
    """Read the facts of an open PDF, refusing what cannot be signed."""
    verdict = inspect_stream(handle)
    refuse_for_signing(verdict, str(path), password_given=True)
    handle.seek(0)
    try:
        reader = PdfFileReader(handle, strict=False)
        if reader.encrypted:
            # Owner-password-only files open with the empty user password.
            result = reader.decrypt(password or "")
            if result.status == AuthStatus.FAILED:
                code = E_PDF_PASSWORD_WRONG if password else E_PDF_PASSWORD_NEEDED
                raise UserError(code, path=str(path))
        page, _ = reader.find_page_for_modification(0)  # type: ignore[no-untyped-call]
        box = page_box(page.get_object())
        pages = verdict.pages or int(reader.root["/Pages"]["/Count"])
    except UserError:
        raise
    except Exception as exc:  # hostile input, or a password-protected file's inside
        log.info("pyHanko cannot prepare %s: %s", path, exc)
        # Only a password-protected file's inside escapes the verdict; a rewrite by qpdf
        # mends what else pyHanko stumbles on.
        codes = ("unreadable",) if verdict.encryption == PASSWORD else ("nonstandard",)
        code = E_DAMAGED if verdict.encryption == PASSWORD else E_REPAIRABLE
        raise UserError(
            code,
            name=str(path),
            what=damage.describe(codes, "vi"),
            what_en=damage.describe(codes, "en"),
        ) from exc
    return PdfFacts(
        pages=pages,
        page_box=box,
        encrypted=reader.encrypted,
        signatures=len(verdict.signatures),
    )


def repair(path: Path, folder: Path) -> Path:
    """Rewrite an unsigned damaged PDF with qpdf into a temp file in `folder`.

    The caller deletes the temp file after use; on refusal nothing is left behind.
    """
    fd, name = tempfile.mkstemp(dir=folder, prefix=".repair-", suffix=".pdf")
    os.close(fd)
    temp = Path(name)
    try:
        rewrite(path, temp, str(path))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp
