"""Valid dossiers for sync tests: the bundled catalog, filled-in parties, real PDFs."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter

from desktop.dossier.model import Dossier
from desktop.workspace import Workspace

PROCEDURE = "SYT-DUOC-CCHN-XET-HO-SO"
APPLICANT = {
    "applicant.name": "Nguyễn Văn An",
    "applicant.id_number": "051090001234",
    "applicant.phone": "0912345678",
    "applicant.address.province": "Quảng Ngãi",
    "applicant.address.commune": "Phường Trương Quang Trọng",
}


def pdf(tag: str, pages: int = 1) -> bytes:
    """A small real PDF whose bytes differ by `tag`."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": tag})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def valid_dossier(ws: Workspace, folder: Path, tag: str) -> Dossier:
    """A DRAFT dossier that passes validation: every required component has a PDF."""
    ws.catalog.ensure_bundled()
    dossier = ws.dossiers.create(PROCEDURE)
    ws.dossiers.set_fields(dossier.id, APPLICANT)
    procedure = ws.dossiers.procedure_of(dossier)
    folder.mkdir(parents=True, exist_ok=True)
    for spec in procedure.components:
        if spec.required:
            path = folder / f"{tag}-{spec.code}.pdf"
            path.write_bytes(pdf(f"{tag} {spec.code}"))
            ws.dossiers.attach(dossier.id, spec.code, [path])
    return ws.dossiers.get(dossier.id)
