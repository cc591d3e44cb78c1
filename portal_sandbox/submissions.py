"""POST /v1/dossiers/{uuid}/submission: exactly once, keyed by Idempotency-Key.

The receipt number is `{agency code}-{yymmdd}-{NNNN}` with a counter per agency and per
day (Vietnam time). A replay with the same key and body returns the same receipt; the
same key with another body is 422; a second request while the first is still being
processed is 409.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from sqlalchemy import select, update

from desktop.portal.contract import Receipt, SubmissionRequest
from portal_sandbox import store as t
from portal_sandbox.auth import Account
from portal_sandbox.catalog import BUNDLED_CATALOG, catalog_procedure
from portal_sandbox.config import VIETNAM
from portal_sandbox.dossiers import DossierUuid, own_dossier
from portal_sandbox.problems import ProblemError
from portal_sandbox.state import Sandbox, content_hash, get_sandbox
from portal_sandbox.store import next_value

router = APIRouter()
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


def add_working_days(start: date, days: int) -> date:
    """`days` working days after `start` (Saturdays and Sundays skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _processing_days(sandbox: Sandbox, procedure_code: str | None) -> int:
    procedure = catalog_procedure(sandbox.config.catalog_file or BUNDLED_CATALOG, procedure_code)
    channels = (procedure or {}).get("channels") or []
    days = [
        c.get("processing_days")
        for c in channels
        if isinstance(c, dict) and isinstance(c.get("processing_days"), int)
    ]
    online = [
        c.get("processing_days")
        for c in channels
        if isinstance(c, dict)
        and c.get("kind") == "truc_tuyen"
        and isinstance(c.get("processing_days"), int)
    ]
    chosen = online or days
    return int(chosen[0] or 0) if chosen else sandbox.config.processing_days


@router.post(
    "/v1/dossiers/{uuid}/submission",
    name="submit",
    response_model=Receipt,
    status_code=201,
    responses={
        200: {"model": Receipt, "description": "replay: the same receipt"},
        409: {"description": "files incomplete, already submitted, or a duplicate in flight"},
        422: {"description": "key reused with another body, or files differ from the manifest"},
    },
)
def submit(
    *,
    uuid: DossierUuid,
    body: SubmissionRequest,
    response: Response,
    account: Account,
    sandbox: SandboxDep,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=200)],
) -> Receipt:
    """Submit the uploaded dossier and get the portal's receipt number."""
    body_hash = content_hash(body.model_dump(mode="json"))
    with sandbox.exclusive(f"submit:{uuid.lower()}", "submission.in_progress"):
        sandbox.faults.sleep("submit")
        with sandbox.store.begin() as conn:
            dossier = own_dossier(conn, uuid, account)
            used = conn.execute(
                select(t.idempotency).where(
                    t.idempotency.c.key == idempotency_key, t.idempotency.c.account_id == account
                )
            ).first()
            if used is not None:
                if used.dossier_uuid != dossier.uuid or used.body_hash != body_hash:
                    raise ProblemError(
                        422,
                        "submission.key_reused",
                        "This Idempotency-Key was used for another request",
                    )
                response.status_code = 200
                return _receipt(dossier)
            if dossier.receipt_no is not None:
                raise ProblemError(
                    409,
                    "submission.already_submitted",
                    "The dossier was already submitted with another key",
                    receipt_no=dossier.receipt_no,
                )
            files = conn.execute(
                select(t.uploads).where(
                    t.uploads.c.dossier_uuid == dossier.uuid, t.uploads.c.supplement_id.is_(None)
                )
            ).all()
            manifest = {(f.file_id, f.sha256) for f in files}
            if manifest != {(f.file_id, f.sha256) for f in body.files}:
                raise ProblemError(
                    422, "submission.files_mismatch", "The files differ from the dossier's manifest"
                )
            missing = sorted(f.file_id for f in files if not f.complete)
            if missing:
                raise ProblemError(
                    409, "submission.files_incomplete", "Upload every file first", missing=missing
                )
            now = sandbox.config.now()
            local_day = now.astimezone(VIETNAM).date()
            stamp = local_day.strftime("%y%m%d")
            number = next_value(conn, f"receipt:{dossier.agency_code}:{stamp}")
            receipt_no = f"{dossier.agency_code}-{stamp}-{number:04d}"
            appointment = add_working_days(
                local_day, _processing_days(sandbox, dossier.procedure_code)
            )
            conn.execute(
                update(t.dossiers)
                .where(t.dossiers.c.uuid == dossier.uuid)
                .values(
                    receipt_no=receipt_no,
                    submitted_at=now,
                    appointment_date=appointment.isoformat(),
                    submission_key=idempotency_key,
                    submission_hash=body_hash,
                )
            )
            conn.execute(
                t.idempotency.insert().values(
                    key=idempotency_key,
                    account_id=account,
                    dossier_uuid=dossier.uuid,
                    body_hash=body_hash,
                )
            )
            sandbox.record_state(conn, dossier.uuid, 1, body.note)
            return Receipt(receipt_no=receipt_no, submitted_at=now, appointment_date=appointment)


def _receipt(dossier: object) -> Receipt:
    return Receipt(
        receipt_no=dossier.receipt_no,  # type: ignore[attr-defined]
        submitted_at=dossier.submitted_at,  # type: ignore[attr-defined]
        appointment_date=date.fromisoformat(dossier.appointment_date),  # type: ignore[attr-defined]
    )
