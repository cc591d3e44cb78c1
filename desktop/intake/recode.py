"""Re-encoding one PDF image as a JPEG at a given resolution and quality."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import pikepdf
from PIL import Image

_MIN_PIXELS = 64 * 64  # logos and rules are not worth touching
# What decoding an image may raise: qpdf's and pikepdf's errors (PikepdfError covers
# e.g. a HiFi-print DeviceN image pikepdf cannot transcode), Pillow's and bad values.
# Such an image is kept as it is.
CANNOT_RECODE: tuple[type[Exception], ...] = (
    pikepdf.PikepdfError,
    OSError,
    ValueError,
    NotImplementedError,
)


@dataclass(frozen=True)
class Recoded:
    data: bytes
    width: int
    height: int
    colorspace: Any  # a pikepdf Name or the original ICCBased array


def can_recode(image: pikepdf.Stream) -> bool:
    """Whether an image may be turned into a JPEG without changing what a page shows."""
    if image.get("/ImageMask", False) or "/SMask" in image or "/Mask" in image:
        return False
    if int(image.get("/BitsPerComponent", 8)) < 8:
        return False  # bilevel scans are far smaller as they are (CCITT/Flate)
    colorspace: Any = image.get("/ColorSpace")
    if isinstance(colorspace, pikepdf.Array) and colorspace and colorspace[0] == "/DeviceN":
        return False  # HiFi-print inks: pikepdf cannot turn them into RGB faithfully
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    return width * height >= _MIN_PIXELS


def _plain_jpeg(image: pikepdf.Stream) -> bool:
    filters: Any = image.get("/Filter")
    colorspace = image.get("/ColorSpace")
    return (
        filters == pikepdf.Name.DCTDecode
        and colorspace in (pikepdf.Name.DeviceRGB, pikepdf.Name.DeviceGray)
        and "/Decode" not in image
    )


def decode(image: pikepdf.Stream, target: tuple[int, int] | None) -> Image.Image:
    """The image's pixels as RGB or L; JPEGs decode straight at a reduced scale when possible."""
    pil: Image.Image
    if _plain_jpeg(image):
        jpeg = Image.open(io.BytesIO(image.read_raw_bytes()))
        if target is not None:
            # The DCT can decode at 1/2, 1/4, 1/8 scale: far faster than a full decode.
            jpeg.draft(jpeg.mode, target)
        jpeg.load()
        pil = jpeg
    else:
        pil = pikepdf.PdfImage(image).as_pil_image()
    if pil.mode not in ("RGB", "L"):
        pil = pil.convert("RGB")
    return pil


def _colorspace(image: pikepdf.Stream, mode: str) -> Any:
    original: Any = image.get("/ColorSpace")
    if (
        isinstance(original, pikepdf.Array)
        and len(original) == 2
        and original[0] == pikepdf.Name.ICCBased
        and int(original[1].get("/N", 0)) == (3 if mode == "RGB" else 1)
    ):
        return original  # keep the scanner's colour profile when it still fits
    return pikepdf.Name.DeviceRGB if mode == "RGB" else pikepdf.Name.DeviceGray


def recode(image: pikepdf.Stream, scale: float, quality: int) -> Recoded:
    """`image` scaled by `scale` (≤ 1) and encoded as a baseline JPEG of `quality`."""
    width, height = int(image["/Width"]), int(image["/Height"])
    size = (max(1, math.floor(width * scale)), max(1, math.floor(height * scale)))
    pil = decode(image, size if scale < 1 else None)
    if pil.size != size:
        pil = pil.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    pil.save(out, "JPEG", quality=quality)
    return Recoded(out.getvalue(), size[0], size[1], _colorspace(image, pil.mode))


def replace(image: pikepdf.Stream, recoded: Recoded) -> None:
    """Put `recoded` in place of the image's data and describe it."""
    image.write(recoded.data, filter=pikepdf.Name.DCTDecode)
    image.Width = recoded.width
    image.Height = recoded.height
    image.ColorSpace = recoded.colorspace
    image.BitsPerComponent = 8
    for key in ("/Decode", "/DecodeParms", "/Interpolate"):
        if key in image:
            del image[key]
