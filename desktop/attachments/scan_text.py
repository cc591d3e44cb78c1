"""The text layer of a PDF scan (an OCR layer), folded for the dossier search.

Read with pypdf page by page and bounded: a dossier's search text keeps at most
`MAX_CHARS` characters of its scans, enough for the words of a few hundred pages.
Only pages that have fonts (directly or in a form XObject, as an OCR layer is grafted)
are read: a scan never OCR'd gives "" after a look at its page dictionaries (pypdf would
take seconds to find nothing in hundreds of image pages).
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger(__name__)

MAX_CHARS = 200_000


def _has_fonts(resources: Any, depth: int = 0) -> bool:
    if not isinstance(resources, pikepdf.Dictionary):
        return False
    if "/Font" in resources:
        return True
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary) or depth > 3:
        return False
    return any(
        isinstance(x, pikepdf.Stream)
        and x.get("/Subtype") == "/Form"
        and _has_fonts(x.get("/Resources"), depth + 1)
        for x in xobjects.values()
    )


def _pages_with_text(path: Path) -> list[int]:
    with pikepdf.open(path) as pdf:
        return [
            index for index, page in enumerate(pdf.pages) if _has_fonts(page.obj.get("/Resources"))
        ]


def pdf_text(path: Path, limit: int = MAX_CHARS) -> str:
    """The text of `path`'s pages, at most `limit` characters ("" when unreadable)."""
    parts: list[str] = []
    size = 0
    try:
        wanted = _pages_with_text(path)
        if not wanted:
            return ""
        reader = PdfReader(path)
        if reader.is_encrypted:
            return ""
        for index in wanted:
            text = reader.pages[index].extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= limit:
                break
    except (
        PyPdfError,
        pikepdf.PdfError,
        pikepdf.PasswordError,
        OSError,
        ValueError,
        KeyError,
        TypeError,
    ) as exc:
        log.info("no text layer read from %s: %s", path.name, exc)
    return unicodedata.normalize("NFC", " ".join(" ".join(parts).split()))[:limit]
