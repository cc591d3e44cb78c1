"""Result documents and payment receipts: a one-page PDF, signed by the test agency.

The page is drawn with Pillow (a font with Vietnamese glyphs when one is installed) and
wrapped with img2pdf; pyHanko adds a PAdES B-B signature with the agency certificate.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from portal_sandbox.pki import AGENCY_NAME, AgencyIdentity

_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONTS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def render_page(title: str, lines: list[str]) -> bytes:
    """An A4 page at 100 dpi with a title and lines of text, as PDF bytes."""
    width, height = 827, 1169
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((60, 60), AGENCY_NAME, fill="black", font=_font(18))
    draw.text((60, 120), title, fill="black", font=_font(26))
    body = _font(16)
    y = 190
    for line in lines:
        draw.text((60, y), line, fill="black", font=body)
        y += 28
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    layout = img2pdf.get_fixed_dpi_layout_fun((100, 100))
    pdf = img2pdf.convert(buffer.getvalue(), layout_fun=layout)
    assert isinstance(pdf, bytes)
    return pdf


def sign(pdf: bytes, identity: AgencyIdentity, *, reason: str) -> bytes:
    """`pdf` with a PAdES signature of the test agency."""
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        key_file=str(identity.agency_key),
        cert_file=str(identity.agency_cert),
        ca_chain_files=(str(identity.ca_cert),),
    )
    if signer is None:
        raise RuntimeError(f"cannot load the sandbox agency key from {identity.agency_key}")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKyCoQuan",
        reason=reason,
        location="dvc-desk sandbox",
        subfilter=SigSeedSubFilter.PADES,
    )
    output = signers.sign_pdf(writer, meta, signer=signer, output=io.BytesIO())
    data: bytes = output.getvalue()
    return data


def write_signed(
    path: Path, title: str, lines: list[str], identity: AgencyIdentity, *, reason: str
) -> bytes:
    """Render, sign and write the document atomically; returns its bytes."""
    data = sign(render_page(title, lines), identity, reason=reason)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    Path(tmp).replace(path)
    return data
