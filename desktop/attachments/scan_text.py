"""The text layer of a PDF scan (an OCR layer), folded for the dossier search.

Read with pypdf page by page and bounded: a dossier's search text keeps at most
`MAX_CHARS` characters of its scans, enough for the words of a few hundred pages.
A PDF without text (a scan never OCR'd) gives "" quickly: its pages hold only images.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger(__name__)

MAX_CHARS = 200_000


def pdf_text(path: Path, limit: int = MAX_CHARS) -> str:
    """The text of `path`'s pages, at most `limit` characters ("" when unreadable)."""
    parts: list[str] = []
    size = 0
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return ""
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= limit:
                break
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        log.info("no text layer read from %s: %s", path.name, exc)
    return unicodedata.normalize("NFC", " ".join(" ".join(parts).split()))[:limit]
