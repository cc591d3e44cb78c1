"""The archival step of intake: OCR and/or PDF/A-2b with record metadata, after a PDF is made.

`images2pdf` streams PDF/A itself; `merge`, `compress` and the batch make their PDF as
before and then pass it through `finish` (one more lossless copy), so the page tools stay
as they are. Which steps run is an `ArchiveOptions`: the command line's ``--pdfa`` /
``--ocr`` / ``--metadata`` or the workspace setting ``intake_pdfa``.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from desktop.intake import ocr, pdfa
from desktop.intake.files import check_output
from desktop.intake.metadata import RecordMetadata
from desktop.progress import CancelToken

T = TypeVar("T")

# What PDF/A adds to a file (the sRGB profile, the XMP packet, the OutputIntent): a
# size limit is met with this much room left.
OVERHEAD = len(pdfa.icc_profile()) + 12_000


@dataclass(frozen=True)
class ArchiveOptions:
    pdfa: bool = False
    ocr: bool = False
    record: RecordMetadata | None = None

    @property
    def active(self) -> bool:
        return self.pdfa or self.ocr

    def with_record(self, record: RecordMetadata | None) -> ArchiveOptions:
        return dataclasses.replace(self, record=record)


def finish(
    pdf: Path, output: Path, options: ArchiveOptions, cancel: CancelToken | None = None
) -> Path:
    """`pdf` with the archival steps of `options` applied, written to `output` (returned);
    `pdf` itself when no step is asked for."""
    if options.ocr:
        ocr.ocr(pdf, output, pdfa=options.pdfa, record=options.record, cancel=cancel)
    elif options.pdfa:
        pdfa.convert(pdf, output, options.record, cancel=cancel)
    else:
        return pdf
    return output


def through(
    output: Path,
    inputs: Sequence[Path],
    options: ArchiveOptions,
    make: Callable[[Path], T],
    cancel: CancelToken | None = None,
) -> T:
    """Run `make(path)` (which writes a PDF at `path` and reports on it), then the archival
    steps into `output`. The report's `output` (and `size`) then describe `output`.
    `output` is refused first if it is one of `inputs` or its folder is missing."""
    if not options.active:
        return make(output)
    check_output(output, [Path(p) for p in inputs])
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".dvc-archive-") as tmp:
        middle = Path(tmp) / output.name
        result = make(middle)
        finish(middle, output, options, cancel)
    changes: dict[str, Any] = {"output": str(output)}
    if hasattr(result, "size"):
        changes["size"] = output.stat().st_size
    return dataclasses.replace(result, **changes)  # type: ignore[type-var]
