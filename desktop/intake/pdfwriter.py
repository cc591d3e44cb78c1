"""A minimal PDF writer that streams image pages straight to disk.

img2pdf builds the whole document in memory before writing it; a digitising unit's
batch of hundreds of A4 scans would not fit the memory budget. This writer follows
img2pdf's approach (a JPEG is embedded as is, DCTDecode, never re-encoded) but writes
each page as soon as it is given, keeping only object offsets in memory.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

PDF_VERSION = "1.4"  # the rules for digitised documents ask for PDF 1.4 or newer


@dataclass(frozen=True)
class ImageStream:
    """An image XObject's dictionary entries and its (already encoded) data chunks."""

    width: int
    height: int
    colorspace: str  # "/DeviceRGB", "/DeviceGray" or "/DeviceCMYK"
    bits: int
    filter: str  # "/DCTDecode" or "/FlateDecode"
    chunks: Iterable[bytes]
    decode: str | None = None  # e.g. "[1 0 1 0 1 0 1 0]" for Adobe's inverted CMYK JPEGs


def fmt(value: float) -> str:
    """A PDF number: short, no exponent."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class PdfStreamWriter:
    """Writes a PDF whose pages are each one image drawn with a given matrix."""

    _CATALOG = 1
    _PAGES = 2

    def __init__(self, out: BinaryIO, *, file_id: bool = False) -> None:
        self._out = out
        # PDF/A needs a file identifier: derived from a CRC-32 of everything written
        # (deterministic; a CRC costs a tenth of MD5 over hundreds of MB of scans).
        self._crc: int | None = 0 if file_id else None
        self._pos = 0
        self._offsets: dict[int, int] = {}
        self._next_id = 3
        self._pages: list[int] = []
        self._write(f"%PDF-{PDF_VERSION}\n".encode() + b"%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self._pages)

    @property
    def bytes_written(self) -> int:
        return self._pos

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)
        if self._crc is not None:
            self._crc = zlib.crc32(data, self._crc)

    def _new_id(self) -> int:
        number = self._next_id
        self._next_id += 1
        return number

    def _object(self, number: int, body: str) -> None:
        self._offsets[number] = self._pos
        self._write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))

    def _stream(self, number: int, entries: str, chunks: Iterable[bytes]) -> None:
        # The length is an indirect object written after the data, so data of unknown
        # length (a Flate encoder's output) can be streamed without buffering.
        length_id = self._new_id()
        self._offsets[number] = self._pos
        self._write(f"{number} 0 obj\n<<{entries} /Length {length_id} 0 R>>\nstream\n".encode())
        length = 0
        for chunk in chunks:
            self._write(chunk)
            length += len(chunk)
        self._write(b"\nendstream\nendobj\n")
        self._object(length_id, str(length))

    def add_object(self, body: str) -> int:
        """A new indirect object (its number) with `body`, e.g. a dictionary."""
        number = self._new_id()
        self._object(number, body)
        return number

    def add_stream(self, entries: str, data: bytes) -> int:
        """A new stream object with dictionary `entries` (without /Length) and `data`."""
        number = self._new_id()
        self._stream(number, entries, [data])
        return number

    def add_image_page(
        self,
        image: ImageStream,
        width_pt: float,
        height_pt: float,
        matrix: tuple[float, float, float, float, float, float],
    ) -> None:
        """One page of `width_pt` × `height_pt` showing `image` placed by `matrix` (cm)."""
        image_id = self._new_id()
        entries = (
            f" /Type /XObject /Subtype /Image /Width {image.width} /Height {image.height}"
            f" /ColorSpace {image.colorspace} /BitsPerComponent {image.bits}"
            f" /Filter {image.filter}"
        )
        if image.decode:
            entries += f" /Decode {image.decode}"
        self._stream(image_id, entries, image.chunks)
        content = f"q {' '.join(fmt(v) for v in matrix)} cm /Im0 Do Q".encode()
        content_id = self._new_id()
        self._stream(content_id, "", [content])
        page_id = self._new_id()
        self._object(
            page_id,
            f"<< /Type /Page /Parent {self._PAGES} 0 R"
            f" /MediaBox [0 0 {fmt(width_pt)} {fmt(height_pt)}]"
            f" /Resources << /XObject << /Im0 {image_id} 0 R >> >>"
            f" /Contents {content_id} 0 R >>",
        )
        self._pages.append(page_id)

    def close(self, *, catalog_extra: str = "", info: str = "/Producer (dvc-desk)") -> None:
        """Write the page tree, catalog (plus `catalog_extra` entries), the document
        information dictionary (`info` entries), cross-reference table and trailer."""
        if not self._pages:
            raise ValueError("a PDF needs at least one page")
        kids = " ".join(f"{p} 0 R" for p in self._pages)
        self._object(self._PAGES, f"<< /Type /Pages /Kids [{kids}] /Count {len(self._pages)} >>")
        self._object(self._CATALOG, f"<< /Type /Catalog /Pages {self._PAGES} 0 R{catalog_extra} >>")
        info_id = self._new_id()
        self._object(info_id, f"<< {info} >>")
        xref_at = self._pos
        count = self._next_id
        lines = [f"xref\n0 {count}\n", "0000000000 65535 f \n"]
        lines += [f"{self._offsets[n]:010d} 00000 n \n" for n in range(1, count)]
        ident = ""
        if self._crc is not None:
            seed = f"{self._crc}:{self._pos}".encode()
            digest = hashlib.md5(seed, usedforsecurity=False).hexdigest()
            ident = f" /ID [<{digest}> <{digest}>]"
        lines.append(
            f"trailer\n<< /Size {count} /Root {self._CATALOG} 0 R /Info {info_id} 0 R{ident} >>\n"
            f"startxref\n{xref_at}\n%%EOF\n"
        )
        self._write("".join(lines).encode("ascii"))
