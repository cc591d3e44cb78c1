"""Facts about a PDF for the store: the one verdict (desktop.filecheck), kept with the file.

The verdict is computed once, here, at attach time and stored under `facts["pdf"]`;
`dossier validate` decides from it. A file whose damage nothing can mend (truncated,
no pages, lost content, broken page tree) is refused at once with what to do; a file
with a mendable defect, a password or a broken signature is stored, and validation
says what must be done before it can be signed.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from desktop.errors import UserError
from desktop.filecheck import damage
from desktop.filecheck.messages import E_DAMAGED
from desktop.filecheck.pdf import PASSWORD, inspect_stream


def pdf_facts(stream: BinaryIO, name: str) -> dict[str, Any]:
    """Pages, version, encryption, signatures and the verdict of the PDF in `stream`.

    Raises UserError(pdf.damaged) when the file is damaged beyond repair.
    """
    verdict = inspect_stream(stream)
    if verdict.damage and not damage.repairable(verdict.damage):
        raise UserError(
            E_DAMAGED,
            name=name,
            what=damage.describe(verdict.damage, "vi"),
            what_en=damage.describe(verdict.damage, "en"),
        )
    return {
        "pages": verdict.pages,
        "pdf_version": verdict.version,
        "encrypted": verdict.encryption == PASSWORD,
        "signed": verdict.signed,
        "signatures": len(verdict.signatures),
        "pdf": verdict.as_facts(),
    }
