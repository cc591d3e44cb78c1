"""A complete dossier made through the core, for UI tests that need one to submit."""

from __future__ import annotations

from pathlib import Path

from ui_pdfs import write_pdf

from desktop.workspace import Workspace

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"
FIELDS = {
    "applicant.name": "Trần Văn Nam",
    "applicant.id_number": "001090012345",
    "applicant.phone": "0912345678",
    "applicant.address.province": "Hà Nội",
    "applicant.address.commune": "Phường Ba Đình",
}


def complete_dossier(workspace: Workspace, folder: Path) -> int:
    """A valid DRAFT of the CCHN procedure with one small PDF per required component."""
    dossier = workspace.dossiers.create(CCHN)
    workspace.dossiers.set_fields(dossier.id, FIELDS)
    for code in ("TP1", "TP2", "TP3", "TP4"):
        path = write_pdf(folder / f"{dossier.id}-{code}.pdf")
        workspace.dossiers.attach(dossier.id, code, [path])
    return dossier.id
