"""Opening PDFs for page work, decided from the one verdict (desktop.filecheck).

Merge, page edits, split and compress refuse what the verdict says they cannot take:
a file that needs a password, a signed file (any change breaks its signatures), a
damaged one (with the fix: rescan, or repair when a rewrite mends it). A file with an
owner password only opens without one and is worked on like any other.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from desktop.atomic import atomic_path
from desktop.errors import UserError
from desktop.filecheck import damage, messages
from desktop.filecheck.decide import refuse_for_page_work
from desktop.filecheck.pdf import PdfVerdict, inspect_pdf
from desktop.filecheck.repair import rewrite
from desktop.intake.files import E_UNSUPPORTED, Kind, check_output, sniff

# The intake's names for the verdict's refusals (one sentence each, in filecheck).
E_SIGNED = messages.E_SIGNED
E_ENCRYPTED = messages.E_PASSWORD
E_BAD_PDF = messages.E_DAMAGED


def verdict_of(path: Path) -> PdfVerdict:
    """The verdict on `path`; refuses a file that is not a PDF at all."""
    if sniff(path) is not Kind.PDF:
        raise UserError(E_UNSUPPORTED, path=str(path))
    return inspect_pdf(path)


def is_signed(path: Path) -> bool:
    """Whether `path` carries a digital signature (a filled signature field)."""
    return verdict_of(path).signed


def open_pdf(path: Path, *, check_signed: bool = True) -> pikepdf.Pdf:
    """Open `path` for page work; refuses protected and damaged files, and signed ones
    unless `check_signed` is off (the pages are only read, as the quality check does)."""
    refuse_for_page_work(verdict_of(path), str(path), read_only=not check_signed)
    try:
        return pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:  # changed since it was inspected
        what = ("unreadable",)
        raise UserError(
            E_BAD_PDF,
            name=str(path),
            what=damage.describe(what, "vi"),
            what_en=damage.describe(what, "en"),
        ) from exc


def repair(source: Path, output: Path) -> tuple[str, ...]:
    """Write the mended `source` to `output` (atomically); returns what was mended."""
    check_output(output, [source])
    verdict_of(source)
    with atomic_path(output) as tmp:
        return rewrite(source, tmp, str(source))
