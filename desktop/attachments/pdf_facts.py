"""Facts about a PDF read through pypdf from an open file object.

pypdf reads lazily from the file object (cross-reference table, page tree, AcroForm),
so a 200 MB scan is never held in memory. A truncated download (no `%%EOF` near the
end) or a file pypdf cannot make sense of is refused with `attachments.damaged_pdf`;
an encrypted file is accepted and flagged, since the portal may still take it.
"""

from __future__ import annotations

import logging
import os
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject

from desktop.errors import UserError, define

E_DAMAGED_PDF = define(
    "attachments.damaged_pdf",
    vi=(
        "Tệp PDF bị hỏng hoặc chưa tải xong ({name}: {detail}). "
        "Hãy tải lại hoặc quét lại tài liệu rồi đính kèm lại."
    ),
    en=(
        "The PDF is damaged or was not fully downloaded ({name}: {detail}). "
        "Download or scan the document again, then attach it again."
    ),
)

# The `%%EOF` marker must sit in the last KiB (ISO 32000-1 §7.5.5 allows trailing junk).
_TAIL = 1024
log = logging.getLogger(__name__)


def pdf_facts(stream: BinaryIO, name: str) -> dict[str, Any]:
    """Pages, version, encryption and signature facts of the PDF open in `stream`.

    Raises UserError(E_DAMAGED_PDF) when the file is truncated or unreadable.
    """
    _require_eof_marker(stream, name)
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        version = reader.pdf_header.removeprefix("%PDF-")
        encrypted = reader.is_encrypted
        readable = True
        if encrypted:
            # Owner-password-only files open with the empty user password.
            readable = _try_empty_password(reader)
        pages: int | None = None
        signatures = 0
        if readable:
            pages = len(reader.pages)
            if pages == 0:
                raise UserError(E_DAMAGED_PDF, name=name, detail="không có trang nào")
            signatures = _count_signatures(reader)
    except UserError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UserError(E_DAMAGED_PDF, name=name, detail=_short(exc)) from exc
    return {
        "pages": pages,
        "pdf_version": version,
        "encrypted": encrypted,
        "signed": signatures > 0,
        "signatures": signatures,
    }


def _require_eof_marker(stream: BinaryIO, name: str) -> None:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - _TAIL))
    if b"%%EOF" not in stream.read(_TAIL):
        raise UserError(E_DAMAGED_PDF, name=name, detail="thiếu phần cuối tệp (%%EOF)")


def _try_empty_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError, ValueError) as exc:
        log.info("encrypted PDF not opened with the empty password: %s", exc)
        return False


def _count_signatures(reader: PdfReader) -> int:
    """Signature fields that carry a value (a /Sig dictionary with a /ByteRange)."""
    root = reader.trailer["/Root"].get_object()
    acroform = root.get("/AcroForm") if isinstance(root, DictionaryObject) else None
    acroform = acroform.get_object() if acroform is not None else None
    if not isinstance(acroform, DictionaryObject):
        return 0
    fields = acroform.get("/Fields")
    if fields is None:
        return 0
    return _signatures_in(fields.get_object(), depth=0)


def _signatures_in(fields: Any, depth: int) -> int:
    if depth > 20 or not isinstance(fields, ArrayObject):
        return 0
    count = 0
    for ref in fields:
        field = ref.get_object()
        if not isinstance(field, DictionaryObject):
            continue
        value = field.get("/V")
        if field.get("/FT") == "/Sig" and value is not None:
            signature = value.get_object()
            if isinstance(signature, DictionaryObject) and "/ByteRange" in signature:
                count += 1
        kids = field.get("/Kids")
        if kids is not None:
            count += _signatures_in(kids.get_object(), depth + 1)
    return count


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
