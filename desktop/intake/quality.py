"""The quality check of a scan PDF before signing: per page, what a clerk must act on.

Per page: the effective resolution of its scan (≥ 200 dpi, from where the page draws
the image), the colour mode, whether it is blank, how skewed it is, and, when asked and
tesseract is installed, the OCR confidence of its Vietnamese text. Per file: the page
count against the number of pages entered in the record metadata. Each finding names
the action that fixes it (rescan, rotate, delete the blank page). The pixels are looked
at on a reduced copy (about 100 dpi), one page at a time.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import PdfImage
from PIL import Image, ImageOps

from desktop.errors import define, render
from desktop.intake.images import MIN_DPI
from desktop.intake.pdfs import open_pdf
from desktop.intake.placement import image_uses
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

ANALYSIS_DPI = 100
BLANK_INK = 0.0015  # share of dark pixels under which a page counts as blank
SKEW_LIMIT = 1.0  # degrees
MIN_CONFIDENCE = 75.0  # tesseract's mean word confidence, 0-100
_MAX_SKEW = 8.0

RESCAN, ROTATE, DELETE, CHECK = "rescan", "rotate", "delete", "check"

_ISSUES = {
    "low_dpi": (
        "trang {page}: độ phân giải {value} dpi, dưới mức 200 dpi — quét lại",
        "page {page}: {value} dpi, under 200 dpi — scan again",
        RESCAN,
    ),
    "not_colour": (
        "trang {page}: quét {value}, quy định số hoá yêu cầu quét màu — quét lại ở chế độ màu",
        "page {page}: scanned in {value}, the digitising rules ask for colour — scan again",
        RESCAN,
    ),
    "blank": (
        "trang {page}: trang trắng — xoá trang nếu không cần",
        "page {page}: blank page — delete it if it is not needed",
        DELETE,
    ),
    "skewed": (
        "trang {page}: nghiêng {value}° — quét lại cho thẳng",
        "page {page}: skewed by {value}° — scan it again straight",
        RESCAN,
    ),
    "rotated": (
        "trang {page}: chữ bị xoay, cần xoay trang {value}° theo chiều kim đồng hồ",
        "page {page}: the text is turned; rotate the page {value}° clockwise",
        ROTATE,
    ),
    "low_confidence": (
        "trang {page}: độ tin cậy nhận dạng chữ {value}%, thấp — quét lại rõ hơn",
        "page {page}: text recognition confidence {value}%, low — scan it again more clearly",
        RESCAN,
    ),
    "no_image": (
        "trang {page}: không có ảnh quét",
        "page {page}: holds no scanned image",
        CHECK,
    ),
    "page_count": (
        "tệp có {value} trang, siêu dữ liệu ghi {expected} trang — kiểm tra lại",
        "the file has {value} pages, the metadata says {expected} — check it",
        CHECK,
    ),
}
_CODES = {
    key: define(f"intake.quality.{key}", vi=vi, en=en) for key, (vi, en, _) in _ISSUES.items()
}


@dataclass(frozen=True)
class Issue:
    """One finding: its kind (a key of _ISSUES), page (0: the file), value and action."""

    kind: str
    page: int
    value: str
    expected: str = ""

    @property
    def action(self) -> str:
        return _ISSUES[self.kind][2]

    def message(self, language: str | None = None) -> str:
        params = {"page": self.page, "value": self.value, "expected": self.expected}
        return render(_CODES[self.kind], params, language)

    def as_dict(self) -> dict[str, Any]:
        return {**vars(self), "action": self.action, "message": self.message()}


@dataclass
class PageQuality:
    page: int
    dpi: float | None = None
    colour: str = "?"  # "colour", "grey", "bilevel", "cmyk"
    ink: float | None = None  # share of dark pixels
    skew: float | None = None  # degrees, counter-clockwise positive
    rotation: int | None = None  # clockwise degrees the text needs (tesseract's OSD)
    confidence: float | None = None  # mean OCR word confidence


@dataclass
class QualityReport:
    path: str
    pages: list[PageQuality] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    ocr_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "ocr_checked": self.ocr_checked,
            "pages": [vars(p) for p in self.pages],
            "issues": [i.as_dict() for i in self.issues],
        }


def ocr_available() -> bool:
    from desktop.intake.ocr import missing_tools

    return shutil.which("tesseract") is not None and "tesseract-ocr-vie" not in missing_tools()


def check_file(
    path: Path,
    *,
    expected_pages: int | None = None,
    ocr: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> QualityReport:
    """Check every page of the PDF `path` (`ocr`: also the OCR confidence and the text's
    orientation, by tesseract)."""
    report = QualityReport(str(path), ocr_checked=ocr)
    with open_pdf(path, check_signed=False) as pdf:
        largest = _largest_images(pdf)
        count = len(pdf.pages)
        for number in range(1, count + 1):
            if cancel is not None:
                cancel.check()
            progress(Progress(number - 1, count, path.name))
            quality = PageQuality(number)
            found = largest.get(number)
            if found is None:
                report.issues.append(Issue("no_image", number, ""))
            else:
                image, dpi = found
                quality.dpi = round(dpi, 1)
                _look(PdfImage(image), quality, ocr)
            report.pages.append(quality)
            report.issues += _issues(quality)
    if expected_pages is not None and expected_pages != count:
        report.issues.append(Issue("page_count", 0, str(count), str(expected_pages)))
    progress(Progress(count, count, path.name))
    return report


def _largest_images(pdf: pikepdf.Pdf) -> dict[int, tuple[pikepdf.Stream, float]]:
    """Per page number, the largest image it draws and its effective resolution."""
    found: dict[int, tuple[pikepdf.Stream, float, int]] = {}
    for use in image_uses(pdf).values():
        image: Any = pdf.get_object(use.objgen)
        area = use.width_px * use.height_px
        for page in use.pages:
            if page not in found or area > found[page][2]:
                found[page] = (image, use.dpi, area)
    return {page: (image, dpi) for page, (image, dpi, _area) in found.items()}


def _colour(image: PdfImage) -> str:
    if image.bits_per_component == 1:
        return "bilevel"
    try:
        components = image.colorspace
    except (NotImplementedError, pikepdf.PdfError):
        components = None
    if components in ("/DeviceGray", "/CalGray") or image.mode == "L":
        return "grey"
    if components == "/DeviceCMYK" or image.mode == "CMYK":
        return "cmyk"
    return "colour"


def _look(image: PdfImage, quality: PageQuality, ocr: bool) -> None:
    quality.colour = _colour(image)
    try:
        pixels = image.as_pil_image()
    except (NotImplementedError, pikepdf.PdfError, OSError, ValueError):
        return
    grey = ImageOps.grayscale(pixels) if pixels.mode != "L" else pixels
    if ocr:
        _ocr_look(grey, quality)
    scale = min(1.0, ANALYSIS_DPI / quality.dpi) if quality.dpi else 0.33
    small = grey.resize(
        (max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
        Image.Resampling.BOX,
    )
    ink = _ink(small)
    quality.ink = round(sum(ink.tobytes()) / 255 / (ink.width * ink.height), 5)
    if quality.ink >= BLANK_INK:
        quality.skew = _skew(ink)


def _ink(grey: Image.Image) -> Image.Image:
    """Dark pixels (255) against the paper (0): darker than the paper by a margin."""
    histogram = grey.histogram()
    total, running, paper = sum(histogram), 0, 255
    for level in range(255, -1, -1):  # the paper: the level below which 70 % lie
        running += histogram[level]
        if running >= total * 0.3:
            paper = level
            break
    threshold = max(0, paper - 80)
    return grey.point(lambda v: 255 if v < threshold else 0)


def _profile_score(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, expand=False, fillcolor=0)
    width = turned.width
    data = turned.tobytes()
    rows = [sum(data[i : i + width]) for i in range(0, len(data), width)]
    mean = sum(rows) / len(rows)
    return sum((r - mean) ** 2 for r in rows)


def _skew(ink: Image.Image) -> float:
    """The angle (degrees) by which text lines are tilted: the rotation that makes the
    rows' ink profile sharpest (coarse 1° steps, then 0.1°)."""
    best = max(
        (step * 1.0 for step in range(-int(_MAX_SKEW), int(_MAX_SKEW) + 1)),
        key=lambda a: _profile_score(ink, a),
    )
    fine = max((best + step / 10 for step in range(-9, 10)), key=lambda a: _profile_score(ink, a))
    return round(-fine, 1) + 0.0  # no "-0.0"


def _ocr_look(grey: Image.Image, quality: PageQuality) -> None:
    """Tesseract's orientation guess and mean word confidence for the page."""
    with tempfile.TemporaryDirectory(prefix="dvc-quality-") as tmp:
        png = Path(tmp) / "page.png"
        dpi = round(quality.dpi or 300)
        grey.save(png, dpi=(dpi, dpi))
        osd = subprocess.run(
            ["tesseract", str(png), "stdout", "--psm", "0", "--dpi", str(dpi)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        for line in osd.stdout.splitlines():
            if line.startswith("Rotate:"):
                quality.rotation = int(line.split(":")[1]) % 360
        tsv = subprocess.run(
            ["tesseract", str(png), "stdout", "-l", "vie", "--dpi", str(dpi), "tsv"],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    quality.confidence = _mean_confidence(tsv.stdout)


def _mean_confidence(tsv: str) -> float | None:
    """Tesseract's word confidences weighted by word length (None: no word found)."""
    weight = total = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            confidence = float(row.get("conf") or -1)
        except ValueError:
            continue
        if text and confidence >= 0:
            weight += len(text)
            total += confidence * len(text)
    return round(total / weight, 1) if weight else None


_COLOUR_WORDS = {"grey": "thang xám (grey)", "bilevel": "đen trắng (bilevel)"}


def _issues(quality: PageQuality) -> list[Issue]:
    found = []
    number = quality.page
    if quality.dpi is not None and quality.dpi < MIN_DPI - 0.5:
        found.append(Issue("low_dpi", number, f"{quality.dpi:g}"))
    if quality.colour in ("grey", "bilevel"):
        found.append(Issue("not_colour", number, _COLOUR_WORDS[quality.colour]))
    blank = quality.ink is not None and quality.ink < BLANK_INK
    if blank:
        found.append(Issue("blank", number, ""))
    if quality.skew is not None and abs(quality.skew) > SKEW_LIMIT:
        found.append(Issue("skewed", number, f"{quality.skew:g}"))
    if quality.rotation:
        found.append(Issue("rotated", number, str(quality.rotation)))
    low = quality.confidence is not None and quality.confidence < MIN_CONFIDENCE
    if low and not blank:
        found.append(Issue("low_confidence", number, f"{quality.confidence:g}"))
    return found
