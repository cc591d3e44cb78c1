"""/sandbox/officer: a plain HTML console to play the agency's side (no JavaScript).

An officer lists dossiers of every account, opens one, downloads its files, and
accepts, refuses, requests a supplement, asks for fees, or finishes it with a signed
result. Each action is a form POST answered by a redirect back to the dossier.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from portal_sandbox import store as t
from portal_sandbox.documents import write_signed
from portal_sandbox.dossiers import state_name
from portal_sandbox.html import esc, local_time, page
from portal_sandbox.state import Sandbox, get_sandbox
from portal_sandbox.uploads import part_path

router = APIRouter(include_in_schema=False)
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]

# Which actions each state allows (national state codes).
ALLOWED = {
    "accept": {1},
    "refuse": {1, 2, 4, 5},
    "supplement": {1, 2, 4},
    "fees": {1, 2, 4, 6},
    "finish": {2, 4},
}


class OfficerRefusalError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@router.get("/sandbox/officer", response_class=HTMLResponse)
def officer_list(sandbox: SandboxDep) -> HTMLResponse:
    with sandbox.store.begin() as conn:
        rows = conn.execute(
            select(t.dossiers, t.accounts.c.username)
            .join(t.accounts, t.accounts.c.id == t.dossiers.c.account_id)
            .order_by(t.dossiers.c.seq.desc())
        ).all()
    if not rows:
        return page("Hồ sơ tiếp nhận", "<p>Chưa có hồ sơ nào.</p>")
    body = "".join(
        f"<tr><td><a href='/sandbox/officer/{esc(r.uuid)}'>{esc(r.receipt_no or '(chưa nộp)')}"
        f"</a></td><td>{esc(r.procedure_name)}</td><td>{esc(r.agency_code)}</td>"
        f"<td>{esc(r.username)}</td><td>{r.state} · {esc(state_name(r.state))}</td>"
        f"<td>{esc(local_time(r.updated_at))}</td></tr>"
        for r in rows
    )
    return page(
        "Hồ sơ tiếp nhận",
        "<table><tr><th>Số biên nhận</th><th>Thủ tục</th><th>Cơ quan</th><th>Tài khoản</th>"
        f"<th>Trạng thái</th><th>Cập nhật</th></tr>{body}</table>",
    )


def _dossier(conn: Connection, uuid: str) -> Any:
    return conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == uuid)).first()


@router.get("/sandbox/officer/{uuid}", response_class=HTMLResponse)
def officer_dossier(uuid: str, sandbox: SandboxDep) -> HTMLResponse:
    with sandbox.store.begin() as conn:
        row = _dossier(conn, uuid)
        if row is None:
            return page("Không tìm thấy hồ sơ", "<p>Không có hồ sơ này.</p>", status_code=404)
        files = conn.execute(
            select(t.uploads)
            .where(t.uploads.c.dossier_uuid == uuid)
            .order_by(t.uploads.c.supplement_id, t.uploads.c.file_id)
        ).all()
        hist = conn.execute(
            select(t.history).where(t.history.c.dossier_uuid == uuid).order_by(t.history.c.id)
        ).all()
        fee_rows = conn.execute(select(t.fees).where(t.fees.c.dossier_uuid == uuid)).all()
        result_rows = conn.execute(select(t.results).where(t.results.c.dossier_uuid == uuid)).all()
    file_list = "".join(
        f"<li>{_file_link(uuid, f)} ({f.size} byte, {esc(f.media_type)})"
        f"{' — bổ sung ' + esc(f.supplement_id) if f.supplement_id else ''}</li>"
        for f in files
    )
    history_list = "".join(
        f"<li>{esc(local_time(h.at))}: {h.state} · {esc(state_name(h.state))}"
        f"{' — ' + esc(h.note) if h.note else ''}</li>"
        for h in hist
    )
    fee_list = "".join(
        f"<li>{esc(f.description)}: {f.amount} đ — {'đã nộp' if f.paid else 'chưa nộp'}</li>"
        for f in fee_rows
    )
    form_text = json.dumps(row.body.get("form", {}), ensure_ascii=False, indent=2)
    result_list = "".join(f"<li>{esc(r.name)} ({r.size} byte)</li>" for r in result_rows)
    body = (
        f"<p>Mã: {esc(uuid)}<br>Số biên nhận: <b>{esc(row.receipt_no or '(chưa nộp)')}</b><br>"
        f"Thủ tục: {esc(row.procedure_name)}<br>Trạng thái: <b>{row.state} · "
        f"{esc(state_name(row.state))}</b><br>Hẹn trả: {esc(row.appointment_date)}</p>"
        f"<h2>Thông tin</h2><pre>{esc(form_text)}</pre>"
        f"<h2>Tệp</h2><ul>{file_list}</ul><h2>Quá trình</h2><ul>{history_list}</ul>"
        f"<h2>Phí, lệ phí</h2><ul>{fee_list or '<li>Không có</li>'}</ul>"
        f"<h2>Kết quả</h2><ul>{result_list or '<li>Chưa có</li>'}</ul>" + _forms(uuid, row.state)
    )
    return page("Hồ sơ", body)


def _file_link(uuid: str, row: Any) -> str:
    if not row.complete:
        return f"{esc(row.name)} (đang tải lên: {row.offset}/{row.size})"
    return f"<a href='/sandbox/officer/{esc(uuid)}/files/{esc(row.id)}'>{esc(row.name)}</a>"


def _forms(uuid: str, state: int) -> str:
    action = f"/sandbox/officer/{esc(uuid)}"
    parts = ["<h2>Xử lý</h2>"]
    if state in ALLOWED["accept"]:
        parts.append(
            f"<form method='post' action='{action}/accept'><button>Tiếp nhận</button></form>"
        )
    if state in ALLOWED["refuse"]:
        parts.append(
            f"<form method='post' action='{action}/refuse'><fieldset><legend>Không tiếp nhận"
            "</legend><input name='note' required size='60' placeholder='Lý do'> "
            "<button>Không tiếp nhận</button></fieldset></form>"
        )
    if state in ALLOWED["supplement"]:
        parts.append(
            f"<form method='post' action='{action}/supplement'><fieldset><legend>Yêu cầu bổ "
            "sung</legend><input name='note' required size='60' placeholder='Cần bổ sung gì'> "
            "<button>Yêu cầu bổ sung</button></fieldset></form>"
        )
    if state in ALLOWED["fees"]:
        parts.append(
            f"<form method='post' action='{action}/fees'><fieldset><legend>Yêu cầu nộp phí"
            "</legend><input name='description' required size='40' value='Phí thẩm định hồ sơ'> "
            "<input name='amount' type='number' min='1' required value='500000'> đ "
            "<button>Yêu cầu nộp phí</button></fieldset></form>"
        )
    if state in ALLOWED["finish"]:
        parts.append(
            f"<form method='post' action='{action}/finish'><fieldset><legend>Hoàn thành, trả "
            "kết quả</legend><input name='result' required size='60' "
            "value='Chấp thuận theo đề nghị'> <button>Trả kết quả</button></fieldset></form>"
        )
    if len(parts) == 1:
        parts.append("<p>Hồ sơ ở trạng thái này không còn thao tác nào.</p>")
    return "".join(parts)


@router.get("/sandbox/officer/{uuid}/files/{upload_id}", response_model=None)
def officer_file(uuid: str, upload_id: str, sandbox: SandboxDep) -> Response:
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.uploads).where(t.uploads.c.id == upload_id, t.uploads.c.dossier_uuid == uuid)
        ).first()
    if row is None or not row.complete:
        return page(
            "Không có tệp", "<p>Tệp chưa tải lên xong hoặc không tồn tại.</p>", status_code=404
        )
    return FileResponse(part_path(sandbox, row.id), media_type=row.media_type, filename=row.name)


def _act(sandbox: Sandbox, uuid: str, action: str, work: Any) -> Response:
    try:
        with sandbox.store.begin() as conn:
            row = _dossier(conn, uuid)
            if row is None:
                raise OfficerRefusalError("Không có hồ sơ này.")
            if row.state not in ALLOWED[action]:
                raise OfficerRefusalError(
                    f"Hồ sơ đang ở trạng thái «{state_name(row.state)}»: không thể làm việc này."
                )
            work(conn, row)
    except OfficerRefusalError as refusal:
        return page("Không thực hiện được", f"<p>{esc(refusal.message)}</p>", status_code=409)
    return RedirectResponse(f"/sandbox/officer/{uuid}", status_code=303)


@router.post("/sandbox/officer/{uuid}/accept")
def officer_accept(uuid: str, sandbox: SandboxDep) -> Response:
    return _act(
        sandbox, uuid, "accept", lambda conn, row: sandbox.record_state(conn, uuid, 2, None)
    )


@router.post("/sandbox/officer/{uuid}/refuse")
def officer_refuse(uuid: str, sandbox: SandboxDep, note: Annotated[str, Form()]) -> Response:
    return _act(
        sandbox, uuid, "refuse", lambda conn, row: sandbox.record_state(conn, uuid, 3, note)
    )


@router.post("/sandbox/officer/{uuid}/supplement")
def officer_supplement(uuid: str, sandbox: SandboxDep, note: Annotated[str, Form()]) -> Response:
    def work(conn: Connection, row: Any) -> None:
        conn.execute(
            t.supplement_requests.insert().values(
                id=secrets.token_hex(8),
                dossier_uuid=uuid,
                note=note,
                requested_at=sandbox.config.now(),
            )
        )
        sandbox.record_state(conn, uuid, 5, note)

    return _act(sandbox, uuid, "supplement", work)


@router.post("/sandbox/officer/{uuid}/fees")
def officer_fees(
    uuid: str,
    sandbox: SandboxDep,
    description: Annotated[str, Form()],
    amount: Annotated[int, Form(ge=1)],
) -> Response:
    def work(conn: Connection, row: Any) -> None:
        conn.execute(
            t.fees.insert().values(
                id=secrets.token_hex(8),
                dossier_uuid=uuid,
                description=description,
                amount=amount,
                paid=False,
            )
        )
        if row.state == 6:
            sandbox.touch(conn, uuid)
        else:
            sandbox.record_state(conn, uuid, 6, f"{description}: {amount} đ")

    return _act(sandbox, uuid, "fees", work)


@router.post("/sandbox/officer/{uuid}/finish")
def officer_finish(uuid: str, sandbox: SandboxDep, result: Annotated[str, Form()]) -> Response:
    def work(conn: Connection, row: Any) -> None:
        result_id = secrets.token_hex(8)
        data = write_signed(
            sandbox.config.documents / f"result-{result_id}.pdf",
            "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
            [
                f"Số biên nhận: {row.receipt_no}",
                f"Thủ tục: {row.procedure_name[:80]}",
                f"Kết quả: {result[:90]}",
                f"Ngày: {local_time(sandbox.config.now())[:10]}",
            ],
            sandbox.identity,
            reason="Kết quả giải quyết hồ sơ",
        )
        conn.execute(
            t.results.insert().values(
                id=result_id,
                dossier_uuid=uuid,
                name=f"ket-qua-{row.receipt_no}.pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
        sandbox.record_state(conn, uuid, 9, result)
        sandbox.record_state(conn, uuid, 10, "Trả kết quả điện tử")

    return _act(sandbox, uuid, "finish", work)
