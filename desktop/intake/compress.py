"""Fit a scan PDF under a size limit: re-encode, then downsample, step by step.

Steps go from the least to the most lossy: JPEG quality first at the scan's own
resolution, then lower resolutions down to 200 dpi (the rule for digitised documents;
lower only when the user allows it). A few sample images estimate each step's size so
that the first full pass usually fits; a pass stops as soon as it cannot fit. Images are
processed one at a time, the original file is never changed, and nothing is written
unless the result fits.
"""

from __future__ import annotations

import contextlib
import math
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from desktop.atomic import copy_atomically
from desktop.errors import UserError, define
from desktop.intake import recode
from desktop.intake.convert import images_to_pdf
from desktop.intake.files import Kind, check_output, sniff
from desktop.intake.images import MIN_DPI
from desktop.intake.pdfs import open_pdf
from desktop.intake.placement import ImageUse, image_uses
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

E_SIZE_SPEC = define(
    "intake.size_spec",
    vi="Không hiểu dung lượng “{spec}”. Hãy ghi như 10MB, 500KB hoặc 2.5MB.",
    en="Cannot read the size “{spec}”. Write it like 10MB, 500KB or 2.5MB.",
)
E_MIN_DPI = define(
    "intake.min_dpi_below_rule",
    vi="Độ phân giải tối thiểu {dpi} dpi thấp hơn mức {rule} dpi theo quy định số hoá. "
    "Nếu vẫn muốn, hãy thêm --allow-below-200dpi.",
    en="A minimum of {dpi} dpi is below the {rule} dpi the digitising rules ask for. "
    "If you still want it, add --allow-below-200dpi.",
)
E_CANNOT_FIT = define(
    "intake.cannot_fit",
    vi="Không thể nén {path} xuống dưới {limit} mà vẫn giữ {dpi} dpi (nhỏ nhất đạt được "
    "khoảng {smallest}). Không có tệp nào được ghi. Hãy tách tệp thành nhiều phần "
    "(dvc-desk intake split) hoặc hỏi cơ quan tiếp nhận về giới hạn dung lượng.",
    en="{path} cannot be brought under {limit} while keeping {dpi} dpi (the smallest "
    "reached is about {smallest}). Nothing was written. Split the file into parts "
    "(dvc-desk intake split) or ask the receiving agency about the size limit.",
)

E_NO_IMAGES = define(
    "intake.nothing_to_compress",
    vi="Tệp {path} không có ảnh để nén (chỉ có chữ, hình vẽ, ảnh quá nhỏ hoặc ảnh in nhiều "
    "màu mực đặc biệt), nên không thể làm nhỏ hơn {limit}. Không có tệp nào được ghi. "
    "Hãy tách tệp thành nhiều phần (dvc-desk intake split) hoặc hỏi cơ quan tiếp nhận "
    "về giới hạn dung lượng.",
    en="{path} has no images to compress (only text, drawings, tiny images or images in "
    "special print inks), so it cannot be brought under {limit}. Nothing was written. "
    "Split it into parts (dvc-desk intake split) or ask the receiving agency about the size limit.",
)
E_TEXT_OVER_LIMIT = define(
    "intake.text_over_limit",
    vi="Phần không phải ảnh của tệp {path} (chữ, phông, hình vẽ) đã nặng khoảng {other}, "
    "vượt giới hạn {limit}; nén ảnh không thể đủ. Không có tệp nào được ghi. Hãy tách tệp "
    "(dvc-desk intake split) hoặc hỏi cơ quan tiếp nhận về giới hạn dung lượng.",
    en="The part of {path} that is not images (text, fonts, drawings) already weighs "
    "about {other}, over the {limit} limit; compressing images cannot be enough. Nothing "
    "was written. Split it (dvc-desk intake split) or ask the agency about the limit.",
)

_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3}
_UNITS.update({"K": 1000, "M": 1000**2, "G": 1000**3, "KIB": 1024, "MIB": 1024**2})
_UNITS["GIB"] = 1024**3
_SAMPLES = 6
_QUALITIES = (80, 65, 50)
_LAST_QUALITIES = (42, 35)  # at the lowest resolution only: the last resort


def parse_size(spec: str) -> int:
    """ "10MB" → 10,000,000 bytes. MB is decimal (the stricter reading of a portal's
    limit); MiB is binary."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*", spec)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _UNITS:
        raise UserError(E_SIZE_SPEC, spec=spec)
    size = int(float(match.group(1).replace(",", ".")) * _UNITS[unit])
    if size <= 0:
        raise UserError(E_SIZE_SPEC, spec=spec)
    return size


def format_size(size: float) -> str:
    """Bytes for people: "12.35 MB" or "480 KB" (decimal units, as parse_size reads them)."""
    if size < 1000:
        return f"{size:.0f} byte"
    if size < 10_000:
        return f"{size / 1000:.1f} KB"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.2f} MB"


@dataclass(frozen=True)
class Step:
    """One setting of the ladder: a JPEG quality and a resolution cap (None = as scanned)."""

    quality: int
    dpi: float | None


@dataclass
class CompressReport:
    output: str
    original_size: int
    size: int
    changed: bool
    quality: int | None = None
    dpi_before: float | None = None  # lowest effective resolution of the scan's images
    dpi_reached: float | None = None
    images_recoded: int = 0
    passes: int = 0
    below_rule: bool = False
    converted: bool = False  # an image made into a PDF first

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class _Plan:
    uses: list[ImageUse]
    image_bytes: int  # the images' encoded size in the source
    other_bytes: int  # everything else (estimated)
    dpi_before: float | None
    steps: list[Step] = field(default_factory=list)


def _ladder(top_dpi: float | None, min_dpi: float) -> list[Step]:
    steps = [Step(q, None) for q in _QUALITIES]
    if top_dpi is None:
        return steps
    levels = [float(d) for d in (300, 250, 200, 150, 100, 75) if min_dpi <= d < top_dpi - 1]
    if min_dpi < top_dpi - 1 and min_dpi not in levels:
        levels.append(min_dpi)
    for dpi in sorted(set(levels), reverse=True):
        steps += [Step(q, float(dpi)) for q in _QUALITIES]
    last = float(min(levels)) if levels else None
    steps += [Step(q, last) for q in _LAST_QUALITIES]
    return steps


def _scale(use: ImageUse, step: Step) -> float:
    if step.dpi is None or not math.isfinite(use.dpi) or use.dpi <= step.dpi:
        return 1.0
    return step.dpi / use.dpi


def _plan(pdf: pikepdf.Pdf, file_size: int, min_dpi: float) -> _Plan:
    uses = []
    image_bytes = 0
    for use in image_uses(pdf).values():
        image: Any = pdf.get_object(use.objgen)
        if recode.can_recode(image):
            uses.append(use)
            image_bytes += int(image.get("/Length", 0))
    finite = [u.dpi for u in uses if math.isfinite(u.dpi)]
    top = max(finite) if finite else None
    plan = _Plan(uses, image_bytes, max(0, file_size - image_bytes), min(finite, default=None))
    plan.steps = _ladder(top, min_dpi)
    return plan


def _estimate(pdf: pikepdf.Pdf, plan: _Plan, step: Step, cancel: CancelToken | None) -> float:
    """Estimated output size at `step`, from a few images spread through the file."""
    if not plan.uses:
        return float(plan.other_bytes + plan.image_bytes)
    stride = max(1, len(plan.uses) // _SAMPLES)
    sample = plan.uses[::stride][:_SAMPLES]
    sample_in = sum(int(pdf.get_object(u.objgen).get("/Length", 0)) for u in sample) or 1
    out = 0
    for use in sample:
        if cancel is not None:
            cancel.check()
        image: Any = pdf.get_object(use.objgen)
        try:
            out += len(recode.recode(image, _scale(use, step), step.quality).data)
        except recode.CANNOT_RECODE:
            out += int(image.get("/Length", 0))
    return plan.other_bytes + plan.image_bytes * out / sample_in


def _first_step(
    pdf: pikepdf.Pdf, plan: _Plan, max_size: int, cancel: CancelToken | None
) -> tuple[int, float]:
    """The least lossy step expected to fit (binary search: sizes fall along the ladder),
    and the smallest size estimated."""
    estimates: dict[int, float] = {}

    def estimate(index: int) -> float:
        if index not in estimates:
            estimates[index] = _estimate(pdf, plan, plan.steps[index], cancel)
        return estimates[index]

    goal = max_size * 0.92  # a little margin: the estimate comes from a sample
    low, high = 0, len(plan.steps) - 1
    if estimate(high) > goal:
        return high, estimates[high]
    while low < high:
        middle = (low + high) // 2
        if estimate(middle) <= goal:
            high = middle
        else:
            low = middle + 1
    return low, min(estimates.values())


@dataclass
class _Pass:
    fits: bool
    size: int
    recoded: int
    dpi_reached: float | None


def _run_pass(
    source: Path,
    target: Path,
    plan: _Plan,
    step: Step,
    *,
    max_size: int,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> _Pass:
    recoded = 0
    reached: list[float] = []
    written = plan.other_bytes
    with pikepdf.open(source) as pdf:
        for index, use in enumerate(plan.uses):
            if cancel is not None:
                cancel.check()
            progress(Progress(index, len(plan.uses), f"q{step.quality} {step.dpi or ''}"))
            image: Any = pdf.get_object(use.objgen)
            before = int(image.get("/Length", 0))
            scale = _scale(use, step)
            try:
                new = recode.recode(image, scale, step.quality)
            except recode.CANNOT_RECODE:
                new = None  # an image we cannot decode stays as it is
            if new is not None and (scale < 1 or len(new.data) < before):
                recode.replace(image, new)
                recoded += 1
                written += len(new.data)
                reached.append(use.dpi * new.width / use.width_px)
            else:
                written += before
                reached.append(use.dpi)
            # Everything written so far is a lower bound of the result: stop early.
            if written > max_size:
                return _Pass(False, written, recoded, None)
        pdf.remove_unreferenced_resources()
        # A deterministic /ID: the same scan always gives the same bytes, so a batch or a
        # watched folder that runs again recognises what it already attached.
        pdf.save(
            target,
            min_version="1.4",
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
            # Leave the XMP packet alone: pikepdf cannot update every one it meets, and
            # its version field is not worth a refusal or a lost packet.
            fix_metadata_version=False,
        )
    size = target.stat().st_size
    finite = [d for d in reached if math.isfinite(d)]
    return _Pass(size <= max_size, size, recoded, min(finite) if finite else None)


@contextlib.contextmanager
def _pdf_source(path: Path, scratch: Path, cancel: CancelToken | None) -> Iterator[Path]:
    if sniff(path) is Kind.PDF:
        yield path
        return
    converted = scratch / "source.pdf"
    images_to_pdf([path], converted, cancel=cancel)
    yield converted


def compress(
    source: Path,
    output: Path,
    max_size: int,
    *,
    min_dpi: float = MIN_DPI,
    allow_below_rule: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> CompressReport:
    """Write `output`: `source` re-encoded to at most `max_size` bytes, or refuse.

    Never goes below `min_dpi`; a `min_dpi` under 200 needs `allow_below_rule`.
    """
    if min_dpi < MIN_DPI and not allow_below_rule:
        raise UserError(E_MIN_DPI, dpi=f"{min_dpi:g}", rule=MIN_DPI)
    check_output(output, [source])
    original_size = source.stat().st_size if source.exists() else 0
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".compress-") as tmp:
        scratch = Path(tmp)
        with _pdf_source(source, scratch, cancel) as pdf_path:
            with open_pdf(pdf_path) as pdf:
                plan = _plan(pdf, pdf_path.stat().st_size, min_dpi)
                if pdf_path.stat().st_size <= max_size:
                    _publish(pdf_path, output)
                    return CompressReport(
                        str(output), original_size, output.stat().st_size, changed=False,
                        dpi_before=plan.dpi_before, dpi_reached=plan.dpi_before,
                        converted=pdf_path != source,
                    )  # fmt: skip
                _refuse_what_images_cannot_fix(source, plan, max_size)
                first, smallest = _first_step(pdf, plan, max_size, cancel)
            for number, step in enumerate(plan.steps[first:], start=1):
                target = scratch / f"pass-{number}.pdf"
                result = _run_pass(
                    pdf_path,
                    target,
                    plan,
                    step,
                    max_size=max_size,
                    progress=progress,
                    cancel=cancel,
                )
                smallest = min(smallest, float(result.size))
                if result.fits:
                    _publish(target, output)
                    reached = result.dpi_reached
                    return CompressReport(
                        output=str(output),
                        original_size=original_size,
                        size=output.stat().st_size,
                        changed=True,
                        quality=step.quality,
                        dpi_before=plan.dpi_before,
                        dpi_reached=round(reached, 1) if reached is not None else None,
                        images_recoded=result.recoded,
                        passes=number,
                        below_rule=reached is not None and reached < MIN_DPI - 0.5,
                        converted=pdf_path != source,
                    )
                target.unlink(missing_ok=True)
    raise UserError(
        E_CANNOT_FIT,
        path=str(source),
        limit=format_size(max_size),
        dpi=f"{min_dpi:g}",
        smallest=format_size(smallest),
    )


def _refuse_what_images_cannot_fix(source: Path, plan: _Plan, max_size: int) -> None:
    """Only images are compressed: say so when there are none to work on, or when the
    rest of the file alone is already over the limit."""
    if not plan.uses:
        raise UserError(E_NO_IMAGES, path=str(source), limit=format_size(max_size))
    if plan.other_bytes > max_size:
        raise UserError(
            E_TEXT_OVER_LIMIT,
            path=str(source),
            limit=format_size(max_size),
            other=format_size(plan.other_bytes),
        )


def _publish(built: Path, output: Path) -> None:
    """Copy (or move) a finished file into place atomically."""
    copy_atomically(built, output)
