"""The quality check of a dossier's scans and the fixes a clerk picks from its list.

`check` runs desktop.intake.quality on one PDF attachment (with the record's page count);
`fix` applies the action of a finding to that file: `rotate` turns the page, `delete`
removes the (blank) page; the new PDF replaces the attachment in the same component
(made PDF/A again with the record metadata when the original was PDF/A). `replace`
puts a new scan in place of a file (the `rescan` action).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from desktop.attachments.store import BlobStore
from desktop.dossier.model import Attachment, Dossier
from desktop.dossier.records import RecordMetadataStore
from desktop.dossier.service import DossierService
from desktop.errors import UserError, define
from desktop.intake import pages, pdfa
from desktop.intake.pdfa_check import check as pdfa_problems
from desktop.intake.quality import DELETE, ROTATE, Issue, QualityReport, check_file
from desktop.progress import CancelToken, ProgressCallback, no_progress

E_NOT_A_SCAN = define(
    "scans.not_a_pdf",
    vi="Chỉ kiểm tra được tệp PDF; «{name}» không phải tệp PDF.",
    en="Only PDF files can be checked; '{name}' is not a PDF.",
)
E_NO_FIX = define(
    "scans.no_fix",
    vi="Việc này cần người làm: {message}",
    en="This needs a person: {message}",
)


class ScanQuality:
    """Quality check and page fixes on the PDF attachments of draft dossiers."""

    def __init__(
        self, dossiers: DossierService, store: BlobStore, records: RecordMetadataStore
    ) -> None:
        self._dossiers, self._store, self._records = dossiers, store, records

    def _attachment(self, dossier_id: int, attachment_id: int) -> Attachment:
        found = [a for a in self._dossiers.get(dossier_id).attachments if a.id == attachment_id]
        if not found or found[0].media_type != "application/pdf":
            name = found[0].name if found else str(attachment_id)
            raise UserError(E_NOT_A_SCAN, name=name)
        return found[0]

    def check(
        self,
        dossier_id: int,
        attachment_id: int,
        *,
        ocr: bool = False,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> QualityReport:
        """The findings of one PDF attachment (`ocr`: confidence and orientation too)."""
        attachment = self._attachment(dossier_id, attachment_id)
        record = self._records.get(dossier_id)
        expected = int(record.get("pages")) if record is not None and record.get("pages") else None
        path = self._store.path(attachment.sha256)
        return check_file(path, expected_pages=expected, ocr=ocr, progress=progress, cancel=cancel)

    def fix(self, dossier_id: int, attachment_id: int, issue: Issue) -> Dossier:
        """Apply `issue`'s action (rotate or delete a page) to the attachment's file."""
        if issue.action not in (ROTATE, DELETE):
            raise UserError(E_NO_FIX, message=issue.message())
        attachment = self._attachment(dossier_id, attachment_id)
        source = self._store.path(attachment.sha256)
        with tempfile.TemporaryDirectory(prefix="dvc-fix-") as tmp:
            edited = Path(tmp) / "edited.pdf"
            if issue.action == ROTATE:
                pages.edit_pages(source, edited, rotate=[(issue.page, int(issue.value))])
            else:
                pages.edit_pages(source, edited, delete=[issue.page])
            result = Path(tmp) / attachment.name
            if pdfa_problems(source) == []:
                pdfa.convert(edited, result, self._records.get(dossier_id))
            else:
                edited.replace(result)
            return self.replace(dossier_id, attachment_id, result)

    def replace(self, dossier_id: int, attachment_id: int, path: Path) -> Dossier:
        """`path` in place of the attachment, in the same component (a new scan)."""
        old = next(a for a in self._dossiers.get(dossier_id).attachments if a.id == attachment_id)
        self._dossiers.attach(dossier_id, old.component_code, [path])
        return self._dossiers.detach(dossier_id, attachment_id)
