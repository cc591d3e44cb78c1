"""Helpers for the intake tests: generated scans with known colours and resolutions."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image


def quadrants(size: tuple[int, int] = (80, 120), mode: str = "RGB") -> Image.Image:
    """An image whose four quadrants have distinct colours (to check orientation)."""
    w, h = size
    image = Image.new("RGB", size, (255, 255, 255))
    colours = [(220, 20, 20), (20, 200, 20), (20, 20, 220), (230, 200, 20)]
    boxes = [
        (0, 0, w // 2, h // 2),
        (w // 2, 0, w, h // 2),
        (0, h // 2, w // 2, h),
        (w // 2, h // 2, w, h),
    ]
    for colour, box in zip(colours, boxes, strict=True):
        image.paste(colour, box)
    return image.convert(mode) if mode != "RGB" else image


def save(image: Image.Image, path: Path, **params: object) -> Path:
    image.save(path, **params)
    return path


def png_with_size(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims `width`×`height` (for 0×0 and absurd sizes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def render(pdf: Path, page: int = 1, dpi: int = 20) -> Image.Image:
    """Page `page` of `pdf` as pixels, by poppler (an independent reader)."""
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def numbered_pdf(path: Path, count: int) -> Path:
    """A PDF whose page n is n×10 pt wide (so page identity is visible in the MediaBox)."""
    from desktop.intake.convert import images_to_pdf

    folder = path.parent / f".{path.stem}-pages"
    folder.mkdir(exist_ok=True)
    images = []
    for n in range(1, count + 1):
        images.append(folder / f"{n}.png")
        Image.new("RGB", (n * 10, 20), (n * 20 % 256, 0, 0)).save(images[-1], dpi=(72, 72))
    images_to_pdf(images, path)
    return path


def widths(pdf_path: Path) -> list[int]:
    """Each page's width in points, divided by 10: the original page numbers."""
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        return [round(float(page.mediabox[2]) / 10) for page in pdf.pages]


def signed_pdf(source: Path, output: Path) -> Path:
    """`source` signed by pyHanko with a throwaway self-signed certificate."""
    import datetime

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from tests.pki import self_signed

    key, cert = self_signed(
        "Throwaway test signer", organisation=None, end=datetime.timedelta(days=1), signing=None
    )
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    asn1_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_cert,
        signing_key=asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    )
    with source.open("rb") as inp, output.open("wb") as out:
        signers.sign_pdf(
            IncrementalPdfFileWriter(inp),
            signers.PdfSignatureMetadata(field_name="Signature1"),
            signer=signer,
            output=out,
        )
    return output


def noisy_scan(folder: Path, pages: int = 6, size: tuple[int, int] = (600, 850)) -> Path:
    """A scan PDF of `pages` noisy 300 dpi JPEG pages (noise compresses badly, like paper)."""
    from PIL import ImageFilter

    from desktop.intake.convert import images_to_pdf

    folder.mkdir(parents=True, exist_ok=True)
    images = []
    for n in range(pages):
        noise = Image.effect_noise(size, 60 + n).convert("RGB").filter(ImageFilter.GaussianBlur(1))
        images.append(folder / f"page{n}.jpg")
        noise.save(images[-1], quality=95, dpi=(300, 300))
    images_to_pdf(images, folder / "scan.pdf")
    return folder / "scan.pdf"


def png_rgb16(path: Path, width: int, height: int, rgb: tuple[int, int, int], dpm: int) -> Path:
    """A 48-bit RGB PNG (Pillow cannot write one) of one colour, `dpm` dots per metre."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    row = b"\x00" + struct.pack(">HHH", *rgb) * width
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", dpm, dpm, 1))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
    return path


def big_png(path: Path, width: int, height: int, *, bits: int = 8, colour: int = 6) -> Path:
    """A PNG of `width`×`height` blank pixels written row by row (a few hundred KB on
    disk however large it claims to be): colour 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    row = b"\x00" + b"\x80" * (width * channels * bits // 8)
    encoder = zlib.compressobj(9)
    body = bytearray()
    for _ in range(height):
        body += encoder.compress(row)
    body += encoder.flush()
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, colour, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", 11811, 11811, 1))  # 300 dpi
        + chunk(b"IDAT", bytes(body))
        + chunk(b"IEND", b"")
    )
    return path
