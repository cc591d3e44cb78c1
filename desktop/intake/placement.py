"""Where each image of a PDF is drawn, and so its effective resolution on paper.

A scan's resolution is not stored in a PDF: it follows from the image's pixel size and
the size it is drawn at (the current transformation matrix at its `Do`). Form XObjects
are followed (bounded depth); an image drawn several times counts at its largest use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_DEPTH = 8


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n (m applied first, as `cm` concatenates onto the current matrix)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


@dataclass
class ImageUse:
    """One image XObject and the lowest resolution at which any page shows it."""

    objgen: tuple[int, int]
    width_px: int
    height_px: int
    dpi: float = math.inf
    pages: set[int] = field(default_factory=set)


def _dpi(width_px: int, height_px: int, ctm: Matrix) -> float:
    a, b, c, d, _e, _f = ctm
    drawn_w = math.hypot(a, b) / 72.0
    drawn_h = math.hypot(c, d) / 72.0
    if drawn_w <= 0 or drawn_h <= 0:
        return math.inf
    return min(width_px / drawn_w, height_px / drawn_h)


def _walk(
    stream_owner: Any,
    resources: Any,
    ctm: Matrix,
    *,
    page_number: int,
    uses: dict[tuple[int, int], ImageUse],
    depth: int,
) -> None:
    xobjects: Any = resources.get("/XObject") if resources is not None else None
    stack: list[Matrix] = []
    current = ctm
    for instruction in pikepdf.parse_content_stream(stream_owner, "q Q cm Do"):
        operands: Any = instruction.operands
        op = str(instruction.operator)
        if op == "q":
            stack.append(current)
        elif op == "Q":
            current = stack.pop() if stack else ctm
        elif op == "cm" and len(operands) == 6:
            local: Matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
            current = _multiply(local, current)
        elif op == "Do" and xobjects is not None and operands:
            target: Any = xobjects.get(operands[0])
            if not isinstance(target, pikepdf.Stream):
                continue
            subtype = target.get("/Subtype")
            if subtype == pikepdf.Name.Image and target.is_indirect:
                width, height = int(target.get("/Width", 0)), int(target.get("/Height", 0))
                use = uses.setdefault(target.objgen, ImageUse(target.objgen, width, height))
                use.dpi = min(use.dpi, _dpi(width, height, current))
                use.pages.add(page_number)
            elif subtype == pikepdf.Name.Form and depth < _MAX_DEPTH:
                raw: Any = target.get("/Matrix")
                form_matrix: Matrix = (
                    tuple(float(v) for v in raw) if raw is not None and len(raw) == 6 else _IDENTITY  # type: ignore[assignment]
                )
                inner = target.get("/Resources", resources)
                _walk(
                    target,
                    inner,
                    _multiply(form_matrix, current),
                    page_number=page_number,
                    uses=uses,
                    depth=depth + 1,
                )


def image_uses(pdf: pikepdf.Pdf) -> dict[tuple[int, int], ImageUse]:
    """Every image XObject drawn on some page, with its effective resolution."""
    uses: dict[tuple[int, int], ImageUse] = {}
    for number, page in enumerate(pdf.pages, start=1):
        user_unit = float(page.obj.get("/UserUnit", 1))
        scale: Matrix = (user_unit, 0.0, 0.0, user_unit, 0.0, 0.0)
        try:
            _walk(page, page.obj.get("/Resources"), scale, page_number=number, uses=uses, depth=0)
        except pikepdf.PdfError:
            # A page whose content cannot be parsed keeps its images untouched.
            continue
    return uses
