"""Keep a PDF/A file PDF/A when pyHanko signs it: one producer in Info and XMP.

pyHanko rewrites the XMP packet of a document that has one, putting its own name in
``pdf:Producer``, but appends that name to the Info dictionary's ``/Producer`` ("dvc-desk;
pyHanko 0.38.0"). PDF/A (ISO 19005-2 6.6.3) wants both to say the same, so for a
document with XMP the Info entry is set to exactly pyHanko's name before signing.
"""

from __future__ import annotations

from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR


def match_producer(writer: IncrementalPdfFileWriter) -> None:
    """Make the Info /Producer what pyHanko will write into the XMP (documents with XMP)."""
    if "/Metadata" not in writer.root:
        return
    reference: Any = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if not isinstance(reference, generic.IndirectObject):
        return
    info: Any = reference.get_object()  # type: ignore[no-untyped-call]
    if str(info.get("/Producer", "")) == VENDOR:
        return
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(reference)
