"""Images to one PDF, one page per image at its real size, streamed to disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from desktop.atomic import atomic_output, atomic_path
from desktop.errors import UserError, define
from desktop.intake import pdfa as archival
from desktop.intake.files import check_output
from desktop.intake.images import MIN_DPI, image_pages
from desktop.intake.metadata import RecordMetadata
from desktop.intake.pdfwriter import PdfStreamWriter
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

E_NO_IMAGES = define(
    "intake.no_images",
    vi="Chưa có ảnh nào để ghép thành PDF. Hãy chọn ít nhất một tệp ảnh.",
    en="There are no images to turn into a PDF. Choose at least one image file.",
)


@dataclass(frozen=True)
class LowResolution:
    """A page under the 200 dpi the rules ask for."""

    source: str
    page: int  # 1-based page of the output
    dpi: float
    assumed: bool  # the file recorded no resolution; `dpi` is the default assumption


@dataclass
class ConversionReport:
    """What images→PDF produced."""

    output: str
    pages: int = 0
    size: int = 0
    low_resolution: list[LowResolution] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "output": self.output,
            "pages": self.pages,
            "size": self.size,
            "low_resolution": [vars(item) for item in self.low_resolution],
        }


def write_images(
    writer: PdfStreamWriter,
    images: Sequence[Path],
    report: ConversionReport,
    *,
    dpi: float | None = None,
    pdfa: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> None:
    """Append every page of `images` to `writer`, noting pages under 200 dpi in `report`
    (`pdfa`: refusing CMYK images, which an sRGB OutputIntent cannot describe)."""
    for index, path in enumerate(images):
        if cancel is not None:
            cancel.check()
        progress(Progress(index, len(images), path.name))
        for page in image_pages(path, dpi):
            if pdfa:
                archival.refuse_cmyk(page.stream.colorspace, path)
            width, height = page.page_size_pt
            writer.add_image_page(page.stream, width, height, page.matrix)
            if page.dpi < MIN_DPI - 0.5:
                report.low_resolution.append(
                    LowResolution(
                        str(path), writer.page_count, round(page.dpi, 1), page.dpi_assumed
                    )
                )
    report.pages = writer.page_count
    progress(Progress(len(images), len(images), ""))


def images_to_pdf_stream(
    out: BinaryIO,
    images: Sequence[Path],
    report: ConversionReport,
    *,
    dpi: float | None = None,
    pdfa: bool = False,
    record: RecordMetadata | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> None:
    """Write the PDF of `images` to an open binary stream (`pdfa`: as PDF/A-2b, with
    `record` in its XMP)."""
    if not images:
        raise UserError(E_NO_IMAGES)
    writer = PdfStreamWriter(out, file_id=pdfa)
    write_images(writer, images, report, dpi=dpi, pdfa=pdfa, progress=progress, cancel=cancel)
    if pdfa:
        archival.finish_stream(writer, record)
    else:
        writer.close()
    report.size = writer.bytes_written


def images_to_pdf(
    images: Sequence[Path],
    output: Path,
    *,
    dpi: float | None = None,
    pdfa: bool = False,
    record: RecordMetadata | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ConversionReport:
    """Turn `images` (JPEG, PNG, TIFF; in order) into the PDF `output`, atomically.

    JPEGs are embedded without re-encoding; each page has the image's real size from
    its recorded resolution (`dpi` overrides it). Nothing is written if any image is
    refused. With `pdfa` the file is PDF/A-2b (checked before it is kept), with `record`
    in its XMP.
    """
    images = [Path(p) for p in images]
    if not images:
        raise UserError(E_NO_IMAGES)
    check_output(output, images)
    report = ConversionReport(output=str(output))
    if not pdfa:
        with atomic_output(output) as out:
            images_to_pdf_stream(out, images, report, dpi=dpi, progress=progress, cancel=cancel)
        return report
    with atomic_path(output) as tmp:
        with tmp.open("w+b") as out:
            images_to_pdf_stream(
                out,
                images,
                report,
                dpi=dpi,
                pdfa=True,
                record=record,
                progress=progress,
                cancel=cancel,
            )
        archival.verify(tmp, output)
    return report
