"""The visible signature stamp of Nghị định 30/2020 (DOMAIN.md "Signature appearance").

Two layouts: the signer's stamp (blue signature image, red seal overlapping a third of
it on its left, then signer, organisation and time) and the electronic-copy mark (top
right of page 1, text only: SAO Y / SAO LỤC / TRÍCH SAO, copying agency, time; serif
10 pt, black). Text uses the shipped 1000-upem Times-metric font (see fonts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.generic import ArrayObject, FloatObject, NameObject
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStamp, TextStampStyle

from desktop.errors import UserError
from desktop.signing.errors import E_BAD_IMAGE, E_BAD_PAGE, E_BAD_RECT
from desktop.signing.placement import PageGeometry, Rect

SIGNATURE_SIZE = (210.0, 120.0)
COPY_SIZE = (190.0, 44.0)
PAGE_MARGIN = 28.0  # about 1 cm from the page edge
FONT_SIZE = 10
BLACK = (0.0, 0.0, 0.0)
TEXT_HEIGHT = 3 * (FONT_SIZE + 2) + 4  # three lines under the images


@dataclass(frozen=True)
class StampSpec:
    """Where and how to draw a visible signature; `page` counts from 1."""

    kind: Literal["signature", "copy"] = "signature"
    page: int = 1
    rect: Rect | None = None
    position: str | None = None
    signature_image: Path | None = None
    seal_image: Path | None = None
    copy_form: str = "SAO Y"
    copy_agency: str = ""


def parse_rect(value: str) -> Rect:
    """`x1,y1,x2,y2` in PDF points (origin bottom left)."""
    try:
        x1, y1, x2, y2 = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise UserError(E_BAD_RECT, value=value) from exc
    if not (x1 < x2 and y1 < y2 and min(x1, y1) >= 0):
        raise UserError(E_BAD_RECT, value=value)
    return (x1, y1, x2, y2)


def stamp_page(spec: StampSpec, pages: int) -> int:
    """The 0-based index of the page the stamp goes on (checked against `pages`)."""
    page = 1 if spec.kind == "copy" and spec.rect is None else spec.page
    if not 1 <= page <= pages:
        raise UserError(E_BAD_PAGE, page=page, pages=pages)
    return page - 1


def place(spec: StampSpec, page: PageGeometry | Rect, pages: int) -> tuple[int, Rect]:
    """The 0-based page index and the rectangle of the stamp on it, in the page's user
    space; `page` is that page's geometry (a bare box: an unrotated page)."""
    index = stamp_page(spec, pages)
    geometry = page if isinstance(page, PageGeometry) else PageGeometry(page, 0)
    if spec.rect is not None:
        geometry.check_inside(spec.rect, ",".join(f"{v:g}" for v in spec.rect))
        return index, spec.rect
    left, bottom = 0.0, 0.0
    right, top = geometry.shown_size
    width, height = COPY_SIZE if spec.kind == "copy" else SIGNATURE_SIZE
    real = real_size(spec)
    if real is not None:
        # Never larger than the page inside its margins.
        width = min(real[0], right - left - 2 * PAGE_MARGIN)
        height = min(real[1], top - bottom - 2 * PAGE_MARGIN)
    position = spec.position or ("top-right" if spec.kind == "copy" else "bottom-right")
    x = {
        "left": left + PAGE_MARGIN,
        "right": right - PAGE_MARGIN - width,
        "center": (left + right - width) / 2,
    }[position.split("-")[1]]
    y = top - PAGE_MARGIN - height if position.startswith("top") else bottom + PAGE_MARGIN
    return index, geometry.to_user((x, y, x + width, y + height))


def real_size(spec: StampSpec) -> tuple[float, float] | None:
    """The stamp box that shows the seal at its real size, from the DPI its PNG records
    (ND30: the seal at real size); None without a seal or without a recorded DPI."""
    if spec.kind != "signature" or spec.seal_image is None:
        return None
    try:
        with Image.open(spec.seal_image) as seal:
            dpi = seal.info.get("dpi")
            seal_height = seal.height
    except (OSError, UnidentifiedImageError):
        return None  # compose_images reports the unreadable file
    if not dpi or float(dpi[1]) < 30:
        return None
    seal_points = seal_height / float(dpi[1]) * 72
    composite = compose_images(spec.signature_image, spec.seal_image)
    assert composite is not None
    scale = seal_points / composite.height  # composite height = tallest image, in px
    width = max(composite.width * scale + 4, SIGNATURE_SIZE[0])
    return (width, seal_points + TEXT_HEIGHT + 4)


def _open_image(path: Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            return image.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        raise UserError(E_BAD_IMAGE, path=str(path), reason=str(exc)) from exc


def compose_images(signature: Path | None, seal: Path | None) -> Image.Image | None:
    """Seal on the left, overlapping the left third of the signature, drawn on top of it
    (the seal is pressed after the signature is written)."""
    sig = _open_image(signature) if signature else None
    stamp = _open_image(seal) if seal else None
    if sig is None or stamp is None:
        return sig or stamp
    # Same height for both: the stamp area is small, the seal leads.
    height = max(sig.height, stamp.height)
    sig = sig.resize((max(1, sig.width * height // sig.height), height))
    stamp = stamp.resize((max(1, stamp.width * height // stamp.height), height))
    overlap = sig.width // 3
    canvas = Image.new("RGBA", (stamp.width + sig.width - overlap, height), (0, 0, 0, 0))
    canvas.alpha_composite(sig, (stamp.width - overlap, 0))
    canvas.alpha_composite(stamp, (0, 0))
    return canvas


def _text_style(size: int = FONT_SIZE) -> TextBoxStyle:
    # Imported here, on the signing worker: fontTools takes ~100 ms to import, and the
    # signing dialog imports this module on the GUI thread for StampSpec (docs/ui.md,
    # Responsiveness).
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    from desktop.signing.fonts import stamp_font_path

    font = GlyphAccumulatorFactory(str(stamp_font_path()), font_size=size)
    return TextBoxStyle(font=font, font_size=size, leading=size + 2, text_color=BLACK)


@dataclass(frozen=True)
class _TurnedStyle(TextStampStyle):
    """A text stamp drawn turned by `turn` degrees counter-clockwise, to undo a page's
    clockwise /Rotate: laid out in the shown width × height, then a /Matrix on the
    appearance turns it into the widget's user-space rectangle."""

    turn: int = 0

    def create_stamp(
        self, writer: Any, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> TextStamp:
        if self.turn in (90, 270) and box.width_defined and box.height_defined:
            box = layout.BoxConstraints(width=box.height, height=box.width)
        return _TurnedStamp(writer=writer, style=self, box=box, text_params=text_params)


class _TurnedStamp(TextStamp):
    def as_form_xobject(self) -> Any:
        xobject = super().as_form_xobject()
        turn = getattr(self.style, "turn", 0)
        if turn:
            matrix = [FloatObject(v) for v in _TURNS[turn]]  # type: ignore[no-untyped-call]
            xobject[NameObject("/Matrix")] = ArrayObject(matrix)
        return xobject


# Counter-clockwise rotations (the viewer fits the turned BBox into the widget's Rect).
_TURNS = {90: (0, 1, -1, 0, 0, 0), 180: (-1, 0, 0, -1, 0, 0), 270: (0, -1, 1, 0, 0, 0)}


def stamp_style(spec: StampSpec, turn: int = 0) -> TextStampStyle:
    """The pyHanko stamp style for `spec` (text parameters: signer, org, time, form,
    agency), turned `turn` degrees to read upright on a page with that /Rotate."""
    if spec.kind == "copy":
        return _TurnedStyle(
            turn=turn,
            stamp_text="%(form)s\n%(agency)s\n%(time)s",
            text_box_style=_text_style(),
            border_width=0,
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MAX,
                margins=layout.Margins(left=2, top=2),
                inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
            ),
        )
    image = compose_images(spec.signature_image, spec.seal_image)
    background: Any = PdfImage(image, writer=None) if image is not None else None
    return _TurnedStyle(
        turn=turn,
        stamp_text="Ký bởi: %(signer)s\nCơ quan: %(org)s\nThời gian: %(time)s",
        text_box_style=_text_style(),
        border_width=0,
        background=background,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(left=2, right=2, top=2, bottom=TEXT_HEIGHT),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN
            if image is not None
            else layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=2, bottom=2),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )
