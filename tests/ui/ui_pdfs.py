"""Small real PDFs for UI tests (blank A4 pages written by pypdf)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter


def write_pdf(path: Path, pages: int = 2) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as out:
        writer.write(out)
    return path
