"""Reading scanned images one page at a time: size, resolution, orientation, pixels.

JPEG files are checked from their headers and passed through untouched; other images
are decoded one frame at a time (Pillow), normalised to 8-bit grey, RGB, CMYK or
1-bit, and Flate-encoded in strips.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageSequence, UnidentifiedImageError

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


# Bytes per pixel of a decoded frame in Pillow's memory (RGB is stored as 4 bytes).
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# The most a decoded frame may take. Everything after decoding is done one strip at a
# time, so a page costs about this plus a few MB; with the interpreter and the PDF
# libraries `intake images2pdf` stays under 300 MB for any input (bench_intake_memory).
# 160 MiB is an RGB(A) scan of 42 million pixels (A4 at 600 dpi is 35 million) or a grey
# one of 167 million (A0 at 300 dpi is 139 million); 16-bit grey, half of that.
DECODE_BUDGET = 160 * 1024 * 1024

E_OVER_MEMORY_BUDGET = define(
    "intake.image_over_memory_budget",
    vi="Ảnh {path} ({width}×{height} điểm ảnh, {mode}) cần {need_mb} MB bộ nhớ để giải mã, "
    "quá mức {budget_mb} MB cho một trang. Hãy quét lại ở 200–300 dpi, lưu dạng JPEG, hoặc "
    "bỏ kênh trong suốt (alpha) và độ sâu 16 bit.",
    en="Image {path} ({width}×{height} pixels, {mode}) needs {need_mb} MB of memory to "
    "decode, over the {budget_mb} MB a page may take. Scan it again at 200–300 dpi, save it "
    "as JPEG, or drop the alpha channel and 16-bit depth.",
)


def _check_budget(path: Path, frame: Image.Image) -> None:
    need = frame.width * frame.height * _PIXEL_BYTES.get(frame.mode, 4)
    if need > DECODE_BUDGET:
        raise UserError(
            E_OVER_MEMORY_BUDGET,
            path=str(path),
            width=frame.width,
            height=frame.height,
            mode=frame.mode,
            need_mb=-(-need // (1024 * 1024)),
            budget_mb=DECODE_BUDGET // (1024 * 1024),
        )


def _normaliser(frame: Image.Image) -> tuple[str, Callable[[Image.Image], Image.Image]]:
    """The mode a PDF can show directly (1, L, RGB or CMYK, 8 bits) and how to bring one
    strip of `frame` to it: conversions run strip by strip, never on the whole image."""
    mode = frame.mode
    if mode in ("1", "L", "RGB", "CMYK"):
        return mode, lambda strip: strip
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit grey: scale to 8 bits; a plain convert("L") would clip everything to white.
        # Pillow opens 16-bit PNGs as "I;16" or "I"; a 32-bit "I" with small values is 8-bit.
        top = 65535 if mode.startswith("I;16") else 255
        if top == 255:
            highest: Any = frame.getextrema()[1]
            top = 65535 if float(highest) > 255 else 255
        factor = 255.0 / top
        return "L", lambda strip: strip.convert("I").point(lambda v: v * factor).convert("L")
    if mode == "F":
        return "L", lambda strip: strip.convert("L")
    if mode == "P" and "transparency" not in frame.info:
        return "RGB", lambda strip: strip.convert("RGB")
    if mode in ("LA", "La", "PA", "RGBA", "RGBa", "P"):
        # A scan has no transparency: flatten onto white paper.
        grey = mode in ("LA", "La")

        def flatten(strip: Image.Image) -> Image.Image:
            rgba = strip.convert("RGBA")
            paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            paper.alpha_composite(rgba)
            return paper.convert("L" if grey else "RGB")

        return ("L" if grey else "RGB"), flatten
    return "RGB", lambda strip: strip.convert("RGB")


def _flate_chunks(
    image: Image.Image, convert: Callable[[Image.Image], Image.Image]
) -> Iterator[bytes]:
    encoder = zlib.compressobj(6)
    for top in range(0, image.height, _STRIP_ROWS):
        strip = image.crop((0, top, image.width, min(image.height, top + _STRIP_ROWS)))
        if data := encoder.compress(convert(strip).tobytes()):
            yield data
    yield encoder.flush()


def _decoded_pages(path: Path, dpi_override: float | None) -> Iterator[ImagePage]:
    image = _open(path)
    with image:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            _check_size(path, *frame.size)
            _check_budget(path, frame)
            try:
                frame.load()
                mode, convert = _normaliser(frame)
            except MemoryError:
                raise UserError(
                    E_OVER_MEMORY_BUDGET,
                    path=str(path),
                    width=frame.width,
                    height=frame.height,
                    mode=frame.mode,
                    need_mb="?",
                    budget_mb=DECODE_BUDGET // (1024 * 1024),
                ) from None
            except (OSError, SyntaxError, ValueError) as exc:
                raise UserError(
                    E_BAD_IMAGE, path=str(path), detail=str(exc) or type(exc).__name__
                ) from None
            # The EXIF orientation is drawn by the page's matrix (as for JPEGs), so the
            # pixels are never copied to turn them.
            orientation = int(frame.getexif().get(_EXIF_ORIENTATION, 1) or 1) if index == 0 else 1
            dpi_x, dpi_y, assumed = _resolution(frame, dpi_override)
            space = {"1": "/DeviceGray", "L": "/DeviceGray", "CMYK": "/DeviceCMYK"}
            yield ImagePage(
                source=path,
                frame=index,
                width_px=frame.width,
                height_px=frame.height,
                dpi_x=dpi_x,
                dpi_y=dpi_y,
                dpi_assumed=assumed,
                orientation=orientation if 1 <= orientation <= 8 else 1,
                stream=ImageStream(
                    width=frame.width,
                    height=frame.height,
                    colorspace=space.get(mode, "/DeviceRGB"),
                    bits=1 if mode == "1" else 8,
                    filter="/FlateDecode",
                    chunks=_flate_chunks(frame, convert),
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
