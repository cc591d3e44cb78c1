"""Page work on PDFs: merge PDFs and images in order, reorder, rotate, delete, split.

Sources are opened from disk and their pages copied lazily (qpdf reads a page's stream
data from its source only while writing), so large scans are never held in memory.
Signed PDFs are refused: any page change would break their signature.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from desktop.atomic import atomic_path
from desktop.errors import UserError, define
from desktop.intake.convert import images_to_pdf
from desktop.intake.files import Kind, check_output, sniff
from desktop.intake.pdfs import open_pdf
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

E_PAGE_SPEC = define(
    "intake.page_spec",
    vi="Không hiểu danh sách trang “{spec}”: {reason}. Ví dụ đúng: 1-3,5 hoặc 2:90.",
    en="Cannot read the page list “{spec}”: {reason_en}. Valid examples: 1-3,5 or 2:90.",
)
E_PAGE_RANGE = define(
    "intake.page_out_of_range",
    vi="Trang {page} không có trong tệp {path} (tệp có {count} trang). Hãy kiểm tra số trang.",
    en="Page {page} is not in {path} (it has {count} pages). Check the page numbers.",
)
E_ORDER = define(
    "intake.page_order",
    vi="Thứ tự trang phải liệt kê mỗi trang còn lại đúng một lần (các trang còn lại: {pages}). "
    "Hãy sửa tham số --order.",
    en="The page order must list every remaining page exactly once (remaining pages: "
    "{pages}). Fix the --order option.",
)
E_NO_PAGES_LEFT = define(
    "intake.no_pages_left",
    vi="Sau khi xoá sẽ không còn trang nào; tệp PDF phải có ít nhất một trang.",
    en="No page would be left after deleting; a PDF needs at least one page.",
)
E_NOTHING_TO_MERGE = define(
    "intake.nothing_to_merge",
    vi="Chưa có tệp nào để ghép. Hãy chọn các tệp PDF hoặc ảnh theo thứ tự mong muốn.",
    en="There is nothing to merge. Choose PDF or image files in the order you want.",
)


@dataclass(frozen=True)
class PageSpec:
    """A page list as written ("1-3,5"): ranges kept as ranges until the page count is
    known, so "2-9999999999" is refused, never expanded."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def expand(self, count: int, path: Path) -> list[int]:
        """The pages in the order written; refuses a page beyond `count` first."""
        for start, end in self.spans:
            if end > count:
                raise UserError(
                    E_PAGE_RANGE, page=max(start, count + 1), path=str(path), count=count
                )
        return [page for start, end in self.spans for page in range(start, end + 1)]


def _bad_spec(spec: str, vi: str, en: str) -> UserError:
    return UserError(E_PAGE_SPEC, spec=spec, reason=vi, reason_en=en)


def parse_pages(spec: str) -> PageSpec:
    """ "1-3,5" → the spans (1, 3), (5, 5) (1-based, in the order written)."""
    spans: list[tuple[int, int]] = []
    for part in spec.replace(" ", "").split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            start = int(first)
            end = int(last) if dash else start
        except ValueError:
            raise _bad_spec(
                spec, f"“{part}” không phải số trang", f"“{part}” is not a page number"
            ) from None
        if start < 1 or end < start:
            raise _bad_spec(
                spec, f"khoảng “{part}” không hợp lệ", f"the range “{part}” is not valid"
            )
        spans.append((start, end))
    if not spans:
        raise _bad_spec(spec, "danh sách trống", "the list is empty")
    return PageSpec(spec, tuple(spans))


def parse_ranges(spec: str) -> list[PageSpec]:
    """ "1-3,4-5" → one page list per comma-separated part."""
    return [parse_pages(part) for part in spec.split(",") if part.strip()]


def _pages(pages: PageSpec | Sequence[int], count: int, path: Path) -> list[int]:
    if isinstance(pages, PageSpec):
        return pages.expand(count, path)
    for page in pages:
        _check_page(page, count, path)
    return list(pages)


def parse_rotation(spec: str) -> tuple[int, int]:
    """ "2:90" → (2, 90); the angle is clockwise, a multiple of 90."""
    page, colon, angle = spec.partition(":")
    try:
        number, degrees = int(page), int(angle)
    except ValueError:
        raise _bad_spec(spec, "cần dạng TRANG:GÓC", "write it as PAGE:ANGLE") from None
    if not colon or number < 1 or degrees % 90:
        raise _bad_spec(
            spec, "góc xoay phải là bội số của 90", "the angle must be a multiple of 90"
        )
    return number, degrees % 360


def _save(
    pdf: pikepdf.Pdf,
    output: Path,
    cancel: CancelToken | None,
    progress: ProgressCallback = no_progress,
) -> None:
    def on_progress(percent: int) -> None:
        progress(Progress(percent, 100, output.name))
        if cancel is not None:
            cancel.check()

    with atomic_path(output) as tmp:
        pdf.save(
            tmp,
            min_version="1.4",
            progress=on_progress,
            deterministic_id=True,
            fix_metadata_version=False,  # an XMP packet pikepdf cannot parse stays as it is
        )


def _check_page(page: int, count: int, path: Path) -> None:
    if not 1 <= page <= count:
        raise UserError(E_PAGE_RANGE, page=page, path=str(path), count=count)


@dataclass(frozen=True)
class PagesResult:
    output: str
    pages: int


def merge(
    inputs: Sequence[Path],
    output: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PagesResult:
    """PDFs and images, in the given order, into one PDF `output`."""
    inputs = [Path(p) for p in inputs]
    if not inputs:
        raise UserError(E_NOTHING_TO_MERGE)
    check_output(output, inputs)
    kinds = [sniff(p) for p in inputs]
    # Consecutive images become one temporary PDF (one open file per run, not per image).
    runs: list[tuple[Kind, list[Path]]] = []
    for path, kind in zip(inputs, kinds, strict=True):
        if kind is not Kind.PDF and runs and runs[-1][0] is not Kind.PDF:
            runs[-1][1].append(path)
        else:
            runs.append((kind, [path]))
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=output.parent)))
        result = stack.enter_context(pikepdf.new())
        done = 0
        for index, (kind, paths) in enumerate(runs):
            if cancel is not None:
                cancel.check()
            progress(Progress(done, len(inputs), paths[0].name))
            if kind is Kind.PDF:
                source = stack.enter_context(open_pdf(paths[0]))
            else:
                converted = scratch / f"{index}.pdf"
                images_to_pdf(paths, converted, cancel=cancel)
                source = stack.enter_context(pikepdf.open(converted))
            result.pages.extend(source.pages)
            done += len(paths)
        progress(Progress(len(inputs), len(inputs), output.name))
        _save(result, output, cancel)
        return PagesResult(str(output), len(result.pages))


def edit_pages(
    source: Path,
    output: Path,
    *,
    order: PageSpec | Sequence[int] = (),
    rotate: Sequence[tuple[int, int]] = (),
    delete: PageSpec | Sequence[int] = (),
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PagesResult:
    """Delete, rotate (clockwise, added to the current rotation) and reorder pages.

    Every page number refers to the page in `source` as it is (1-based). `order`, when
    given, must list each page that is not deleted exactly once.
    """
    check_output(output, [source])
    with open_pdf(source) as pdf:
        count = len(pdf.pages)
        ordered = _pages(order, count, source)
        dropped = set(_pages(delete, count, source))
        for page, _ in rotate:
            _check_page(page, count, source)
        kept = [p for p in range(1, count + 1) if p not in dropped]
        if not kept:
            raise UserError(E_NO_PAGES_LEFT)
        if ordered:
            if sorted(ordered) != kept:
                raise UserError(E_ORDER, pages=",".join(map(str, kept)))
            kept = ordered
        for page, degrees in rotate:
            target = pdf.pages[page - 1]
            current = int(target.obj.get("/Rotate", 0))
            target.obj.Rotate = (current + degrees) % 360
        with pikepdf.new() as result:
            result.pages.extend(pdf.pages[p - 1] for p in kept)
            _save(result, output, cancel, progress)
        return PagesResult(str(output), len(kept))


def split(
    source: Path,
    groups: Sequence[PageSpec | Sequence[int]],
    prefix: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[PagesResult]:
    """One PDF per group of pages: PREFIX-1.pdf, PREFIX-2.pdf, ... (each written atomically)."""
    outputs = [prefix.parent / f"{prefix.name}-{n}.pdf" for n in range(1, len(groups) + 1)]
    for out in outputs:
        check_output(out, [source])
    results: list[PagesResult] = []
    with open_pdf(source) as pdf:
        count = len(pdf.pages)
        expanded = [_pages(group, count, source) for group in groups]
        for index, (group, out) in enumerate(zip(expanded, outputs, strict=True)):
            progress(Progress(index, len(groups), out.name))
            with pikepdf.new() as part:
                part.pages.extend(pdf.pages[p - 1] for p in group)
                _save(part, out, cancel)
            results.append(PagesResult(str(out), len(group)))
    progress(Progress(len(groups), len(groups), ""))
    return results
