"""Where a stamp goes on page N: that page's own box and rotation (issue #11, item 3).

Positions are computed on the page as it is shown (after /Rotate), then mapped back to
the page's user space, where the widget's rectangle lives; the stamp's appearance is
turned by the same angle the other way (a /Matrix on its form XObject), so it reads
upright on screen. A `--rect` is given in user-space points and must lie on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.errors import UserError
from desktop.signing.errors import E_RECT_OUTSIDE

Rect = tuple[float, float, float, float]
A4 = (0.0, 0.0, 595.0, 842.0)


@dataclass(frozen=True)
class PageGeometry:
    box: Rect  # CropBox (MediaBox when none), normalised, in user space
    rotate: int  # 0, 90, 180 or 270 (clockwise, as /Rotate)

    @property
    def shown_size(self) -> tuple[float, float]:
        """Width and height of the page as a viewer shows it."""
        width, height = self.box[2] - self.box[0], self.box[3] - self.box[1]
        return (height, width) if self.rotate in (90, 270) else (width, height)

    def to_user(self, rect: Rect) -> Rect:
        """A rectangle given on the shown page, in user space."""
        corners = [self._point(rect[0], rect[1]), self._point(rect[2], rect[3])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def _point(self, dx: float, dy: float) -> tuple[float, float]:
        left, bottom, right, top = self.box
        width, height = right - left, top - bottom
        if self.rotate == 90:
            return (left + width - dy, bottom + dx)
        if self.rotate == 180:
            return (left + width - dx, bottom + height - dy)
        if self.rotate == 270:
            return (left + dy, bottom + height - dx)
        return (left + dx, bottom + dy)

    def check_inside(self, rect: Rect, value: str) -> None:
        left, bottom, right, top = self.box
        x1, y1, x2, y2 = rect
        if x1 < left or y1 < bottom or x2 > right or y2 > top:
            raise UserError(
                E_RECT_OUTSIDE,
                value=value,
                width=_num(right - left),
                height=_num(top - bottom),
                box=",".join(_num(v) for v in self.box),
            )


def _num(value: float) -> str:
    return f"{value:g}"


def _inherited(node: Any, key: str) -> Any:
    """An inheritable page attribute (PDF 1.7 §7.7.3.4)."""
    seen = 0
    while node is not None and seen < 64:
        value = node.get(key)
        if value is not None:
            return value.get_object() if hasattr(value, "get_object") else value
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return None


def page_geometry(writer: Any, index: int) -> PageGeometry:
    """The box and rotation of page `index` (0-based) of the file being signed."""
    page_ref, _ = writer.find_page_for_modification(index)
    page = page_ref.get_object()
    box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    x1, y1, x2, y2 = (float(v) for v in box) if box is not None else A4
    media = _inherited(page, "/MediaBox")
    if media is not None:  # a CropBox is clipped to the MediaBox (§14.11.2)
        m1, n1, m2, n2 = (float(v) for v in media)
        x1, x2 = max(min(x1, x2), min(m1, m2)), min(max(x1, x2), max(m1, m2))
        y1, y2 = max(min(y1, y2), min(n1, n2)), min(max(y1, y2), max(n1, n2))
    rotate = int(_inherited(page, "/Rotate") or 0) % 360
    if rotate not in (0, 90, 180, 270):
        rotate = 0  # not a multiple of 90: invalid, viewers ignore it
    return PageGeometry((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)), rotate)
