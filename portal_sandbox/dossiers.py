"""Dossiers: idempotent create, status with history, batched polling, supplements, results."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy import Connection, select

from desktop.portal.contract import (
    STATE_CREATED,
    STATE_NAMES,
    DossierChanges,
    DossierCreate,
    DossierCreated,
    DossierStatus,
    FeeItem,
    HistoryEntry,
    ResultFile,
    SupplementCreate,
    SupplementCreated,
    SupplementRequest,
)
from portal_sandbox import store as t
from portal_sandbox.addresses import check_form_addresses
from portal_sandbox.auth import Account
from portal_sandbox.problems import ProblemError
from portal_sandbox.state import Sandbox, base_url, content_hash, get_sandbox
from portal_sandbox.uploads import create_uploads, renew_expired, upload_targets

router = APIRouter()
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
DossierUuid = Annotated[str, Path(pattern=UUID_PATTERN)]
SupplementId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


def state_name(state: int) -> str:
    return STATE_NAMES.get(state, "Chưa nộp")


def own_dossier(conn: Connection, uuid: str, account: int) -> Any:
    """The dossier if it belongs to `account`; another account's dossier is 'not found'."""
    row = conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == uuid.lower())).first()
    if row is None or row.account_id != account:
        raise ProblemError(404, "dossier.not_found", "No such dossier", uuid=uuid)
    return row


def _check_sizes(sandbox: Sandbox, files: list[Any]) -> None:
    ids = [f.file_id for f in files]
    if len(set(ids)) != len(ids):
        raise ProblemError(422, "dossier.duplicate_file_id", "Each file_id must be unique")
    for entry in files:
        if entry.size > sandbox.config.max_file_size:
            raise ProblemError(
                413,
                "dossier.file_too_large",
                "A file is over the portal's size limit",
                file_id=entry.file_id,
                size=entry.size,
                limit=sandbox.config.max_file_size,
            )


@router.put(
    "/v1/dossiers/{uuid}",
    name="put_dossier",
    response_model=DossierCreated,
    status_code=201,
    responses={
        200: {"model": DossierCreated, "description": "identical replay"},
        409: {"description": "this uuid exists with other content"},
        413: {"description": "a file is over the size limit"},
    },
)
def put_dossier(
    *,
    uuid: DossierUuid,
    body: DossierCreate,
    request: Request,
    response: Response,
    account: Account,
    sandbox: SandboxDep,
) -> DossierCreated:
    """Create the dossier once: 201 first, 200 for an identical replay, 409 otherwise."""
    uuid = uuid.lower()
    _check_sizes(sandbox, body.files)
    check_form_addresses(body.form)
    digest = content_hash(body.model_dump(mode="json"))
    now = sandbox.config.now()
    with sandbox.store.begin() as conn:
        row = conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == uuid)).first()
        if row is not None:
            if row.account_id != account or row.content_hash != digest:
                raise ProblemError(
                    409, "dossier.conflict", "This dossier id exists with other content", uuid=uuid
                )
            renew_expired(conn, sandbox, uuid, None)
            response.status_code = 200
        else:
            conn.execute(
                t.dossiers.insert().values(
                    uuid=uuid,
                    account_id=account,
                    content_hash=digest,
                    body=body.model_dump(mode="json"),
                    agency_code=body.agency_code,
                    procedure_code=body.procedure_code,
                    procedure_name=body.procedure_name,
                    state=STATE_CREATED,
                    seq=0,
                    created_at=now,
                    updated_at=now,
                )
            )
            create_uploads(conn, sandbox, uuid, None, body.files)
            sandbox.touch(conn, uuid)
        state = conn.execute(select(t.dossiers.c.state).where(t.dossiers.c.uuid == uuid)).scalar()
        files = upload_targets(conn, uuid, None, base_url(request))
    return DossierCreated(uuid=uuid, state=int(state or 0), files=files)


def dossier_status(conn: Connection, row: Any, base: str) -> DossierStatus:
    """Everything the client polls about one dossier."""
    uuid = row.uuid
    history = [
        HistoryEntry(state=h.state, state_name=state_name(h.state), at=h.at, note=h.note)
        for h in conn.execute(
            select(t.history).where(t.history.c.dossier_uuid == uuid).order_by(t.history.c.id)
        ).all()
    ]
    fees = [
        FeeItem(
            fee_id=f.id,
            description=f.description,
            amount=f.amount,
            paid=f.paid,
            payment_ref=f.payment_ref,
        )
        for f in conn.execute(
            select(t.fees).where(t.fees.c.dossier_uuid == uuid).order_by(t.fees.c.id)
        ).all()
    ]
    requests = [
        SupplementRequest(
            request_id=r.id, note=r.note, requested_at=r.requested_at, answered_by=r.answered_by
        )
        for r in conn.execute(
            select(t.supplement_requests)
            .where(t.supplement_requests.c.dossier_uuid == uuid)
            .order_by(t.supplement_requests.c.requested_at)
        ).all()
    ]
    results = [
        ResultFile(
            result_id=r.id,
            name=r.name,
            media_type="application/pdf",
            size=r.size,
            sha256=r.sha256,
            url=f"{base}/v1/dossiers/{uuid}/results/{r.id}",
        )
        for r in conn.execute(select(t.results).where(t.results.c.dossier_uuid == uuid)).all()
    ]
    return DossierStatus(
        uuid=uuid,
        state=row.state,
        state_name=state_name(row.state),
        procedure_code=row.procedure_code,
        agency_code=row.agency_code,
        receipt_no=row.receipt_no,
        submitted_at=row.submitted_at,
        appointment_date=date.fromisoformat(row.appointment_date) if row.appointment_date else None,
        updated_at=row.updated_at,
        cursor=str(row.seq),
        history=history,
        fees=fees,
        supplement_requests=requests,
        results=results,
    )


@router.get("/v1/dossiers/{uuid}", name="get_dossier", response_model=DossierStatus)
def get_dossier(
    uuid: DossierUuid, request: Request, account: Account, sandbox: SandboxDep
) -> DossierStatus:
    """State 1..10 (0 = created, not yet submitted), history, fees, supplements, results."""
    with sandbox.store.begin() as conn:
        return dossier_status(conn, own_dossier(conn, uuid, account), base_url(request))


@router.get("/v1/dossiers", name="list_dossiers", response_model=DossierChanges)
def list_dossiers(
    request: Request,
    account: Account,
    sandbox: SandboxDep,
    changed_since: Annotated[str, Query(pattern=r"^[0-9]{1,18}$")] = "0",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DossierChanges:
    """This account's dossiers changed after the cursor, oldest change first."""
    with sandbox.store.begin() as conn:
        rows = conn.execute(
            select(t.dossiers)
            .where(t.dossiers.c.account_id == account, t.dossiers.c.seq > int(changed_since))
            .order_by(t.dossiers.c.seq)
            .limit(limit + 1)
        ).all()
        base = base_url(request)
        items = [dossier_status(conn, row, base) for row in rows[:limit]]
    cursor = items[-1].cursor if items else changed_since
    return DossierChanges(items=items, cursor=cursor, has_more=len(rows) > limit)


@router.put(
    "/v1/dossiers/{uuid}/supplements/{sid}",
    name="put_supplement",
    response_model=SupplementCreated,
    status_code=201,
    responses={
        200: {"model": SupplementCreated, "description": "identical replay"},
        409: {"description": "no supplement was requested, or this id has other content"},
    },
)
def put_supplement(
    *,
    uuid: DossierUuid,
    sid: SupplementId,
    body: SupplementCreate,
    request: Request,
    response: Response,
    account: Account,
    sandbox: SandboxDep,
) -> SupplementCreated:
    """Answer a supplement request with documents; same upload rules as the dossier."""
    _check_sizes(sandbox, body.files)
    digest = content_hash(body.model_dump(mode="json"))
    with sandbox.store.begin() as conn:
        dossier = own_dossier(conn, uuid, account)
        existing = conn.execute(
            select(t.supplements).where(
                t.supplements.c.id == sid, t.supplements.c.dossier_uuid == dossier.uuid
            )
        ).first()
        if existing is not None:
            if existing.content_hash != digest:
                raise ProblemError(
                    409, "supplement.conflict", "This supplement id exists with other content"
                )
            renew_expired(conn, sandbox, dossier.uuid, sid)
            response.status_code = 200
        else:
            wanted = conn.execute(
                select(t.supplement_requests).where(
                    t.supplement_requests.c.id == body.request_id,
                    t.supplement_requests.c.dossier_uuid == dossier.uuid,
                )
            ).first()
            if wanted is None:
                raise ProblemError(
                    422,
                    "supplement.unknown_request",
                    "No such supplement request",
                    request_id=body.request_id,
                )
            if dossier.state != 5 or wanted.answered_by is not None:
                raise ProblemError(
                    409,
                    "supplement.not_requested",
                    "The portal is not waiting for a supplement",
                    state=dossier.state,
                )
            conn.execute(
                t.supplements.insert().values(
                    id=sid,
                    dossier_uuid=dossier.uuid,
                    request_id=body.request_id,
                    content_hash=digest,
                    state="uploading",
                    created_at=sandbox.config.now(),
                )
            )
            create_uploads(conn, sandbox, dossier.uuid, sid, body.files)
            sandbox.touch(conn, dossier.uuid)
        state = conn.execute(
            select(t.supplements.c.state).where(
                t.supplements.c.id == sid, t.supplements.c.dossier_uuid == dossier.uuid
            )
        ).scalar()
        files = upload_targets(conn, dossier.uuid, sid, base_url(request))
    return SupplementCreated(
        supplement_id=sid, state="received" if state == "received" else "uploading", files=files
    )


@router.get(
    "/v1/dossiers/{uuid}/results/{rid}",
    name="get_result",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}, "description": "signed result PDF"}},
)
def get_result(uuid: DossierUuid, rid: str, account: Account, sandbox: SandboxDep) -> FileResponse:
    """A result document: a PDF signed with the sandbox's test agency certificate."""
    with sandbox.store.begin() as conn:
        dossier = own_dossier(conn, uuid, account)
        row = conn.execute(
            select(t.results).where(t.results.c.id == rid, t.results.c.dossier_uuid == dossier.uuid)
        ).first()
    if row is None:
        raise ProblemError(404, "result.not_found", "No such result", result_id=rid)
    return FileResponse(
        sandbox.config.documents / f"result-{row.id}.pdf",
        media_type="application/pdf",
        filename=row.name,
    )


def new_id() -> str:
    return secrets.token_hex(8)
