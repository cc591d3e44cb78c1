"""Small real files for attachment tests: PDFs (plain, encrypted, signed, truncated),
images, and things that are not documents."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def pdf_bytes(pages: int = 2, *, password: str | None = None, signed: bool = False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if signed:
        _add_signature_field(writer)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _add_signature_field(writer: PdfWriter) -> None:
    """A signature field whose value has the structure a signer writes (/ByteRange)."""
    value = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/ETSI.CAdES.detached"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(n) for n in (0, 10, 20, 30)]),
            NameObject("/Contents"): ByteStringObject(b"\x00" * 16),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/V"): writer._add_object(value),
        }
    )
    form = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([writer._add_object(field)]),
            NameObject("/SigFlags"): NumberObject(3),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(form)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(buffer, format=fmt, dpi=(300, 300))
    return buffer.getvalue()


HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Dang nhap</title></head><body>x</body></html>"
DOCX_HEAD = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 22 + b"[Content_Types].xmlword/document.xml"
EXE_HEAD = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


def write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path
