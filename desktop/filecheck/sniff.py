"""Decide what a file is from its first bytes, never from its name.

Portals accept PDF and common scan images (DOMAIN.md "Scans and files"). Anything else
is named as precisely as the bytes allow, so the refusal can tell the clerk what they
picked by mistake (a saved web page, a Word file, a program, an empty file).
"""

from __future__ import annotations

from dataclasses import dataclass

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"

ACCEPTED_DEFAULT: tuple[str, ...] = (PDF, JPEG, PNG, TIFF)

# How many leading bytes `sniff` needs; a PDF header may follow up to 1 KiB of junk.
HEAD_SIZE = 4096

# Names for messages: (Vietnamese, English).
LABELS: dict[str, tuple[str, str]] = {
    PDF: ("PDF", "PDF"),
    JPEG: ("ảnh JPEG", "a JPEG image"),
    PNG: ("ảnh PNG", "a PNG image"),
    TIFF: ("ảnh TIFF", "a TIFF image"),
    "text/html": ("trang web HTML", "an HTML web page"),
    "application/zip": ("tệp nén ZIP", "a ZIP archive"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "tài liệu Word (.docx)",
        "a Word document (.docx)",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "bảng tính Excel (.xlsx)",
        "an Excel workbook (.xlsx)",
    ),
    "application/x-ole-storage": (
        "tài liệu Office đời cũ (.doc/.xls)",
        "an old Office document (.doc/.xls)",
    ),
    "application/x-msdownload": ("chương trình Windows (.exe)", "a Windows program (.exe)"),
    "application/x-executable": ("chương trình (ELF)", "a program (ELF)"),
    "image/gif": ("ảnh GIF", "a GIF image"),
    "image/webp": ("ảnh WebP", "a WebP image"),
    "application/x-rar": ("tệp nén RAR", "a RAR archive"),
    "application/x-7z-compressed": ("tệp nén 7z", "a 7z archive"),
    "text/plain": ("tệp văn bản thuần", "a plain text file"),
    "application/x-empty": ("tệp rỗng (0 byte)", "an empty file (0 bytes)"),
    "application/octet-stream": ("loại không xác định", "of an unknown type"),
}


@dataclass(frozen=True)
class Sniffed:
    """The media type found in the bytes, with its names for messages."""

    media_type: str

    @property
    def label(self) -> str:
        return label(self.media_type)

    @property
    def label_en(self) -> str:
        return label(self.media_type, "en")


def label(media_type: str, language: str = "vi") -> str:
    """A name for `media_type` in `language` ("vi" or "en"), for messages."""
    names = LABELS.get(media_type)
    if names is None:
        return media_type
    return names[1] if language == "en" else names[0]


def sniff(head: bytes) -> Sniffed:
    """The type of a file whose first bytes (ideally `HEAD_SIZE` of them) are `head`."""
    return Sniffed(_media_type(head))


# Leading bytes of the formats we recognise, checked in order.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-executable"),
    (b"Rar!\x1a\x07", "application/x-rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
)


def _media_type(head: bytes) -> str:
    if not head:
        return "application/x-empty"
    if b"%PDF-" in head[:1024]:
        return PDF
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head)
    return _text_kind(head)


def _zip_kind(head: bytes) -> str:
    # Office files are zips whose first entries name their part folders.
    if b"word/" in head:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if b"xl/" in head:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application/zip"


def _text_kind(head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        sample.startswith(b"<") and b"<html" in sample[:1024]
    ):
        return "text/html"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
    return "text/plain"
