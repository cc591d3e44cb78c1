"""A dossier as it travels: its data, files, history and the catalog record it was made
under (one JSON entry per dossier), and the same dossier rebuilt at the office."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.bundles.editions import procedure_record
from desktop.dossier import state_door
from desktop.storage import models


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def dossier_payload(session: Session, row: models.Dossier, state: str) -> dict[str, Any]:
    """The JSON of `row` as it was in `state` (READY or SIGNED) when handed over."""
    files = session.scalars(
        select(models.DossierFile)
        .where(models.DossierFile.dossier_id == row.id)
        .order_by(models.DossierFile.component_code, models.DossierFile.position)
    ).all()
    blobs = {
        b.sha256: b
        for b in session.scalars(
            select(models.Blob).where(models.Blob.sha256.in_([f.blob_sha256 for f in files]))
        )
    }
    events = session.scalars(
        select(models.DossierEvent)
        .where(models.DossierEvent.dossier_id == row.id)
        .order_by(models.DossierEvent.id)
    ).all()
    return {
        "uuid": row.uuid,
        "state": state,
        "version": row.version,
        "procedure_key": row.procedure_key,
        "applicant": row.applicant,
        "submitter": row.submitter,
        "delivery": row.delivery,
        "notes": row.notes,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
        "attachments": [
            {
                "component_code": f.component_code,
                "name": f.name,
                "position": f.position,
                "added_at": _iso(f.added_at),
                "sha256": f.blob_sha256,
                "size": blobs[f.blob_sha256].size,
            }
            for f in files
        ],
        "history": [
            {"at": _iso(e.at), "from_state": e.from_state, "to_state": e.to_state, "note": e.note}
            for e in events
        ],
        "procedure": procedure_record(session, row.procedure_key, row.procedure_edition),
        "case_code": row.case_code,
        "marks": [
            {
                "component_code": m.component_code,
                "mark": m.mark,
                "marked_by": m.marked_by,
                "marked_at": _iso(m.marked_at),
                "reason": m.reason,
            }
            for m in session.scalars(
                select(models.ComponentMark).where(models.ComponentMark.dossier_id == row.id)
            )
        ],
    }


def attachment_shas(payload: dict[str, Any]) -> set[str]:
    return {str(a["sha256"]) for a in payload["attachments"]}


def restore_dossier(
    session: Session,
    payload: dict[str, Any],
    procedure_key: str,
    note: str,
    now: datetime,
    *,
    edition: int | None = None,
) -> models.Dossier:
    """Insert the carried dossier in the state it was handed over in, with its files and
    its history (each line marked as the commune's), plus `note`; blobs must be recorded."""
    row = models.Dossier(
        procedure_key=procedure_key,
        version=payload["version"],
        uuid=payload["uuid"],
        applicant=payload["applicant"],
        applicant_name=str((payload["applicant"] or {}).get("name", "")),
        submitter=payload["submitter"],
        delivery=payload["delivery"],
        notes=payload["notes"],
        created_at=datetime.fromisoformat(payload["created_at"]),
        updated_at=now,
        procedure_edition=edition,
        case_code=payload.get("case_code"),  # absent in bundles of before editions
    )
    carried = [
        state_door.HistoryLine(
            line["from_state"], line["to_state"], f"[Máy gửi] {line['note']}",
            datetime.fromisoformat(line["at"]),
        )
        for line in payload["history"]
    ]  # fmt: skip
    state_door.start(session, row, payload["state"], note, now, carried=carried)
    for mark in payload.get("marks", []):
        session.add(
            models.ComponentMark(
                dossier_id=row.id,
                component_code=mark["component_code"],
                mark=mark["mark"],
                marked_by=mark["marked_by"],
                marked_at=datetime.fromisoformat(mark["marked_at"]),
                reason=mark["reason"],
            )
        )
    for item in payload["attachments"]:
        session.add(
            models.DossierFile(
                dossier_id=row.id,
                component_code=item["component_code"],
                blob_sha256=item["sha256"],
                name=item["name"],
                position=item["position"],
                added_at=datetime.fromisoformat(item["added_at"]),
            )
        )
    session.flush()
    return row
