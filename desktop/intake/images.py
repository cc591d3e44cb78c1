"""Reading scanned images one page at a time: size, resolution, orientation, pixels.

JPEG files are checked from their headers and passed through untouched; other images
are decoded one frame at a time (Pillow), normalised to 8-bit grey, RGB, CMYK or
1-bit, and Flate-encoded in strips.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from desktop.errors import UserError, define
from desktop.intake.files import Kind, sniff
from desktop.intake.pdfwriter import ImageStream

MIN_DPI = 200  # the rule for digitised documents
DEFAULT_DPI = 96.0  # what img2pdf and most viewers assume when a file records none
MAX_SIDE = 30_000  # pixels; A0 at 600 dpi is under 28,100
MAX_PIXELS = 178_000_000  # A0 at 300 dpi is 139 million; Pillow refuses above ~179 million
_CHUNK = 1 << 20
_STRIP_ROWS = 128
_EXIF_ORIENTATION = 0x0112

E_BAD_IMAGE = define(
    "intake.bad_image",
    vi="Không đọc được ảnh {path}: tệp bị hỏng hoặc không đầy đủ ({detail}). "
    "Hãy quét lại trang này.",
    en="Image {path} cannot be read: the file is damaged or incomplete ({detail}). "
    "Scan this page again.",
)
E_TRUNCATED = define(
    "intake.truncated_jpeg",
    vi="Ảnh JPEG {path} bị cắt cụt (thiếu phần cuối tệp), có thể máy quét chưa ghi xong. "
    "Hãy chờ máy quét ghi xong hoặc quét lại trang này.",
    en="JPEG image {path} is truncated (its end is missing); the scanner may still be "
    "writing it. Wait for the scanner to finish or scan this page again.",
)
E_EMPTY_IMAGE = define(
    "intake.empty_image",
    vi="Ảnh {path} có kích thước {width}×{height} điểm ảnh, không có nội dung. Hãy quét lại.",
    en="Image {path} is {width}×{height} pixels and has no content. Scan it again.",
)
E_TOO_LARGE = define(
    "intake.image_too_large",
    vi="Ảnh {path} quá lớn ({width}×{height} điểm ảnh; tối đa {max_side} điểm mỗi cạnh và "
    "{max_mpx} triệu điểm ảnh). Tệp có thể bị hỏng hoặc cố ý gây tràn bộ nhớ. "
    "Hãy quét lại ở độ phân giải 200–300 dpi.",
    en="Image {path} is too large ({width}×{height} pixels; at most {max_side} per side and "
    "{max_mpx} million pixels). The file may be damaged or built to exhaust memory. "
    "Scan it again at 200–300 dpi.",
)


@dataclass(frozen=True)
class ImagePage:
    """One page to be: an image, its resolution and how to turn it upright."""

    source: Path
    frame: int  # 0-based frame of a multi-page TIFF
    width_px: int
    height_px: int
    dpi_x: float
    dpi_y: float
    dpi_assumed: bool  # the file recorded no resolution
    orientation: int  # EXIF orientation still to apply when drawing (1 = none)
    stream: ImageStream

    @property
    def dpi(self) -> float:
        return min(self.dpi_x, self.dpi_y)

    @property
    def swaps_sides(self) -> bool:
        return self.orientation in (5, 6, 7, 8)

    @property
    def page_size_pt(self) -> tuple[float, float]:
        """The page's size in points, upright: the image at its real size."""
        w = self.width_px / self.dpi_x * 72.0
        h = self.height_px / self.dpi_y * 72.0
        return (h, w) if self.swaps_sides else (w, h)

    @property
    def matrix(self) -> tuple[float, float, float, float, float, float]:
        """The `cm` matrix drawing the unit-square image upright on the page."""
        w = self.width_px / self.dpi_x * 72.0
        h = self.height_px / self.dpi_y * 72.0
        return {
            1: (w, 0, 0, h, 0, 0),
            2: (-w, 0, 0, h, w, 0),
            3: (-w, 0, 0, -h, w, h),
            4: (w, 0, 0, -h, 0, h),
            5: (0, -w, -h, 0, h, w),
            6: (0, -w, h, 0, 0, w),
            7: (0, w, h, 0, 0, 0),
            8: (0, w, -h, 0, h, 0),
        }.get(self.orientation, (w, 0, 0, h, 0, 0))


def _check_size(path: Path, width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise UserError(E_EMPTY_IMAGE, path=str(path), width=width, height=height)
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise UserError(
            E_TOO_LARGE,
            path=str(path),
            width=width,
            height=height,
            max_side=MAX_SIDE,
            max_mpx=MAX_PIXELS // 1_000_000,
        )


def _png_header_size(path: Path) -> tuple[int, int] | None:
    with path.open("rb") as f:
        head = f.read(24)
    if len(head) == 24 and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    return None


def _open(path: Path) -> Image.Image:
    # Pillow refuses a 0×0 PNG with a cryptic error; say what is wrong instead.
    if (size := _png_header_size(path)) is not None:
        _check_size(path, *size)
    # Our own size guard runs right after opening; Pillow's bomb check (which reads only
    # the header) stays as a second line of defence, but its mere warning (above ~89
    # million pixels) is not a reason to refuse a large-format scan.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    except Image.DecompressionBombError:
        raise UserError(
            E_TOO_LARGE,
            path=str(path),
            width="?",
            height="?",
            max_side=MAX_SIDE,
            max_mpx=MAX_PIXELS // 1_000_000,
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UserError(
            E_BAD_IMAGE, path=str(path), detail=str(exc) or type(exc).__name__
        ) from None


def _resolution(image: Image.Image, override: float | None) -> tuple[float, float, bool]:
    if override:
        return override, override, False
    dpi: Any = image.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, IndexError, ValueError):
        return DEFAULT_DPI, DEFAULT_DPI, True
    # Some writers store 0 or 1 ("aspect ratio only"); treat those as no resolution.
    if x < 10 or y < 10:
        return DEFAULT_DPI, DEFAULT_DPI, True
    return x, y, False


def _has_eoi(path: Path) -> bool:
    # Scanners sometimes pad after the end marker; look at the tail, not the last 2 bytes.
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 4096))
        tail = f.read()
    return tail.rstrip(b"\x00\r\n\x1a").endswith(b"\xff\xd9")


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def _jpeg_page(path: Path, dpi_override: float | None) -> ImagePage | None:
    """The JPEG as a page without decoding it, or None if it must be decoded instead."""
    image = _open(path)
    with image:
        _check_size(path, *image.size)
        if not _has_eoi(path):
            raise UserError(E_TRUNCATED, path=str(path))
        spaces = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}
        if image.mode not in spaces or image.info.get("bits", 8) != 8:
            return None
        decode = None
        if image.mode == "CMYK" and "adobe" in image.info:
            # Photoshop-style CMYK JPEGs store inverted values (as img2pdf also assumes).
            decode = "[1 0 1 0 1 0 1 0]"
        orientation = int(image.getexif().get(_EXIF_ORIENTATION, 1) or 1)
        dpi_x, dpi_y, assumed = _resolution(image, dpi_override)
        return ImagePage(
            source=path,
            frame=0,
            width_px=image.width,
            height_px=image.height,
            dpi_x=dpi_x,
            dpi_y=dpi_y,
            dpi_assumed=assumed,
            orientation=orientation if 1 <= orientation <= 8 else 1,
            stream=ImageStream(
                width=image.width,
                height=image.height,
                colorspace=spaces[image.mode],
                bits=8,
                filter="/DCTDecode",
                chunks=_file_chunks(path),
                decode=decode,
            ),
        )


def _normalise(frame: Image.Image) -> Image.Image:
    """An image in a mode a PDF can show directly: 1, L, RGB or CMYK (8 bits)."""
    mode = frame.mode
    if mode in ("1", "L", "RGB", "CMYK"):
        return frame
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit grey: scale to 8 bits; a plain convert("L") would clip everything to white.
        wide = frame.convert("I")
        # Pillow opens 16-bit PNGs as "I;16" or "I"; a 32-bit "I" with small values is 8-bit.
        highest: Any = wide.getextrema()[1]
        top = 65535 if mode.startswith("I;16") or float(highest) > 255 else 255
        scaled = wide.point(lambda v: v * (255.0 / top))
        return scaled.convert("L")
    if mode == "F":
        return frame.convert("L")
    if mode == "P" and "transparency" not in frame.info:
        return frame.convert("RGB")
    if mode in ("LA", "La", "PA", "RGBA", "RGBa", "P"):
        # A scan has no transparency: flatten onto white paper.
        rgba = frame.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        grey = mode in ("LA", "La")
        return paper.convert("L" if grey else "RGB")
    return frame.convert("RGB")


def _flate_chunks(image: Image.Image) -> Iterator[bytes]:
    encoder = zlib.compressobj(6)
    for top in range(0, image.height, _STRIP_ROWS):
        strip = image.crop((0, top, image.width, min(image.height, top + _STRIP_ROWS)))
        if data := encoder.compress(strip.tobytes()):
            yield data
    yield encoder.flush()


def _decoded_pages(path: Path, dpi_override: float | None) -> Iterator[ImagePage]:
    image = _open(path)
    with image:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            _check_size(path, *frame.size)
            try:
                frame.load()
                upright = ImageOps.exif_transpose(frame) if index == 0 else frame
                page_image = _normalise(upright)
            except (OSError, SyntaxError, ValueError) as exc:
                raise UserError(
                    E_BAD_IMAGE, path=str(path), detail=str(exc) or type(exc).__name__
                ) from None
            dpi_x, dpi_y, assumed = _resolution(frame, dpi_override)
            if upright.size != frame.size:
                dpi_x, dpi_y = dpi_y, dpi_x
            space = {"1": "/DeviceGray", "L": "/DeviceGray", "CMYK": "/DeviceCMYK"}
            yield ImagePage(
                source=path,
                frame=index,
                width_px=page_image.width,
                height_px=page_image.height,
                dpi_x=dpi_x,
                dpi_y=dpi_y,
                dpi_assumed=assumed,
                orientation=1,
                stream=ImageStream(
                    width=page_image.width,
                    height=page_image.height,
                    colorspace=space.get(page_image.mode, "/DeviceRGB"),
                    bits=1 if page_image.mode == "1" else 8,
                    filter="/FlateDecode",
                    chunks=_flate_chunks(page_image),
                ),
            )


def image_pages(path: Path, dpi_override: float | None = None) -> Iterator[ImagePage]:
    """The pages of one image file, lazily: a TIFF frame is read only when reached.

    Each page's `stream.chunks` must be consumed before asking for the next page.
    """
    kind = sniff(path)
    if not kind.is_image:
        raise UserError(E_BAD_IMAGE, path=str(path), detail="PDF")
    if kind is Kind.JPEG:
        page = _jpeg_page(path, dpi_override)
        if page is not None:
            yield page
            return
    yield from _decoded_pages(path, dpi_override)
