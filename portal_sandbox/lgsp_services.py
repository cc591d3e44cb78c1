"""The services of the sandbox's /lgsp/ face: codes, look-up, create or update, progress,
procedures. Each takes the request body and answers the fields beside `error_code: 0`, or
raises ServiceError (an `error_code` and a Vietnamese message)."""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuidlib
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, select, update

from desktop.portal.contract import STATE_NAMES
from portal_sandbox import store as t
from portal_sandbox.catalog import records_bytes
from portal_sandbox.config import VIETNAM
from portal_sandbox.dossiers import dossier_status
from portal_sandbox.state import Sandbox, content_hash
from portal_sandbox.store import next_value
from portal_sandbox.submissions import _processing_days, add_working_days
from portal_sandbox.uploads import receive_supplement

# error_code values of the envelope (0: success).
E_CREDENTIALS = 1  # wrong log-in, or the account is not activated
E_SESSION = 2  # no session, or it expired: log in again
E_NOT_FOUND = 3
E_EXISTS = 4  # DongBoHoSoMC create of a code that exists: look it up, then update
E_INVALID = 5  # the request is not what the service takes
E_SERVICE = 6  # no such service

DATE_FORMAT = "%Y%m%d%H%M%S"
PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$")
# Dossiers created through this face get a uuid derived from their code.
NAMESPACE = uuidlib.UUID("9b7f8c1e-55b4-4b8e-9a53-2c1f0d6a7e10")


class ServiceError(Exception):
    def __init__(self, error_code: int, message: str) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message


def dossier_uuid(code: str) -> str:
    return str(uuidlib.uuid5(NAMESPACE, code))


def stamp(moment: datetime | None) -> str | None:
    """yyyyMMddHHmmss in Asia/Ho_Chi_Minh."""
    return None if moment is None else moment.astimezone(VIETNAM).strftime(DATE_FORMAT)


def session_account(sandbox: Sandbox, session: str) -> int:
    """The account behind a live session, else ServiceError(E_SESSION)."""
    if not session:
        raise ServiceError(E_SESSION, "Thiếu phiên làm việc (session)")
    digest = hashlib.sha256(session.encode()).hexdigest()
    with sandbox.store.begin() as conn:
        row = conn.execute(
            select(t.tokens).where(t.tokens.c.token_hash == digest, t.tokens.c.kind == "lgsp")
        ).first()
    if row is None or row.revoked or row.expires_at <= sandbox.config.now():
        raise ServiceError(E_SESSION, "Phiên làm việc không hợp lệ hoặc đã hết hạn")
    return int(row.account_id)


def _text(body: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ServiceError(E_INVALID, f"Thiếu hoặc sai trường {key}")
    return value


def get_next_value(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    """GetNextValue: a new dossier code `{prefix}-{yyyyMMdd}-{NNNNNNN}` (never reused)."""
    session_account(sandbox, str(body.get("session", "")))
    prefix = str(body.get("TienTo") or body.get("madonvi") or "")
    if not PREFIX.match(prefix):
        raise ServiceError(E_INVALID, "Tiền tố mã hồ sơ (TienTo hoặc madonvi) không hợp lệ")
    day = sandbox.config.now().astimezone(VIETNAM).strftime("%Y%m%d")
    with sandbox.store.begin() as conn:
        number = next_value(conn, f"lgsp-code:{prefix}:{day}")
    return {"value": f"{prefix}-{day}-{number:07d}"}


def _own(conn: Connection, account: int, code: str) -> Any:
    row = conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == dossier_uuid(code))).first()
    return row if row is not None and row.account_id == account else None


def lgsp_view(conn: Connection, row: Any) -> dict[str, Any]:
    """One dossier in the platform's field names."""
    status = dossier_status(conn, row, "")
    files = conn.execute(
        select(t.uploads).where(
            t.uploads.c.dossier_uuid == row.uuid, t.uploads.c.supplement_id.is_(None)
        )
    ).all()
    appointment = status.appointment_date
    return {
        "MaHoSo": row.receipt_no,
        "MaTTHC": row.procedure_code,
        "TenTTHC": row.procedure_name,
        "DonViXuLy": row.agency_code,
        "TrangThaiHoSo": row.state,
        "TenTrangThai": STATE_NAMES.get(row.state, str(row.state)),
        "NgayTiepNhan": stamp(row.submitted_at),
        "NgayHenTra": (
            stamp(datetime.combine(appointment, time(17), VIETNAM)) if appointment else None
        ),
        "NgayCapNhat": stamp(row.updated_at),
        "TaiLieuNop": [
            {"IdTepTin": f.id, "TenTepDinhKem": f.name, "HashTepTin": f.sha256} for f in files
        ],
        "QuaTrinhXuLy": [
            {"TrangThaiHoSo": h.state, "NgayXuLy": stamp(h.at), "NoiDung": h.note or ""}
            for h in status.history
        ],
        "DanhSachLePhi": [
            {"MaLePhi": f.fee_id, "TenLePhi": f.description, "SoTien": f.amount, "DaNop": f.paid}
            for f in status.fees
        ],
        "DanhSachHoSoBoSung": [
            {
                "MaYeuCau": r.request_id,
                "NoiDungYeuCau": r.note,
                "NgayYeuCau": stamp(r.requested_at),
                "DaBoSung": r.answered_by is not None,
                "MaBoSung": r.answered_by,
            }
            for r in status.supplement_requests
        ],
        "DanhSachGiayToKetQua": [
            {
                "IdTepTin": r.result_id,
                "TenGiayTo": r.name,
                "KichThuoc": r.size,
                "HashTepTin": r.sha256,
            }
            for r in status.results
        ],
    }


def look_up(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    """TraCuuHoSo: the dossier of code `MaHoSo`, or error 3 when there is none."""
    account = session_account(sandbox, str(body.get("session", "")))
    code = _text(body, "MaHoSo")
    with sandbox.store.begin() as conn:
        row = _own(conn, account, code)
        if row is None:
            raise ServiceError(E_NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
        return {"data": lgsp_view(conn, row)}


def _attachments(
    conn: Connection, account: int, data: dict[str, Any], field: str = "TaiLieuNop"
) -> list[Any]:
    listed = data.get(field)
    if not isinstance(listed, list) or not listed:
        raise ServiceError(E_INVALID, f"{field} phải là danh sách tệp đã tải lên")
    found = []
    for entry in listed:
        if not isinstance(entry, dict):
            raise ServiceError(E_INVALID, f"Mỗi phần tử {field} phải là đối tượng")
        row = conn.execute(
            select(t.lgsp_files).where(t.lgsp_files.c.id == str(entry.get("IdTepTin", "")))
        ).first()
        if row is None or row.account_id != account:
            raise ServiceError(E_INVALID, f"Không có tệp IdTepTin={entry.get('IdTepTin')}")
        if row.sha256 != entry.get("HashTepTin"):
            raise ServiceError(E_INVALID, f"HashTepTin của tệp {row.id} không khớp tệp đã nhận")
        found.append((row, entry))
    return found


def _record_files(
    conn: Connection, uuid: str, supplement_id: str | None, files: list[Any], now: datetime
) -> None:
    """Files uploaded with UploadFile, now part of the dossier (or of one supplement)."""
    for row, entry in files:
        conn.execute(
            t.uploads.insert().values(
                id=row.id, dossier_uuid=uuid, supplement_id=supplement_id,
                file_id=str(entry.get("MaThanhPhanHoSo") or row.id)[:64],
                name=str(entry.get("TenTepDinhKem") or row.name)[:255], size=row.size,
                sha256=row.sha256, media_type="application/octet-stream",
                component_code=entry.get("MaThanhPhanHoSo"), offset=row.size,
                complete=True, expires_at=now,
            )
        )  # fmt: skip


def _answers(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The applicant's answers in an update's `DanhSachHoSoBoSung`: the entries naming a
    `MaBoSung` (the officer's requests, echoed back as the look-up showed them, name none)."""
    listed = data.get("DanhSachHoSoBoSung") or []
    if not isinstance(listed, list) or not all(isinstance(e, dict) for e in listed):
        raise ServiceError(E_INVALID, "DanhSachHoSoBoSung phải là danh sách đối tượng")
    return [e for e in listed if e.get("MaBoSung")]


def _take_answer(
    sandbox: Sandbox, conn: Connection, account: int, dossier: Any, answer: dict[str, Any]
) -> None:
    """Record one supplement answer: the officer's request `MaYeuCau` is answered by
    `MaBoSung` with the files `TaiLieuBoSung`, and the dossier goes back to processing.
    A request answered already is refused (error 4): the caller looks it up first."""
    request_id, supplement_id = _text(answer, "MaYeuCau"), _text(answer, "MaBoSung")
    if not PREFIX.match(supplement_id):
        raise ServiceError(E_INVALID, "MaBoSung không hợp lệ")
    wanted = conn.execute(
        select(t.supplement_requests).where(
            t.supplement_requests.c.id == request_id,
            t.supplement_requests.c.dossier_uuid == dossier.uuid,
        )
    ).first()
    if wanted is None:
        raise ServiceError(E_NOT_FOUND, f"Không có yêu cầu bổ sung {request_id}")
    if wanted.answered_by is not None:
        raise ServiceError(
            E_EXISTS, f"Yêu cầu bổ sung {request_id} đã được trả lời ({wanted.answered_by})"
        )
    if dossier.state != 5:
        raise ServiceError(E_INVALID, f"Hồ sơ {dossier.receipt_no} không chờ bổ sung")
    files = _attachments(conn, account, answer, "TaiLieuBoSung")
    now = sandbox.config.now()
    conn.execute(
        t.supplements.insert().values(
            id=supplement_id, dossier_uuid=dossier.uuid, request_id=request_id,
            content_hash=content_hash(answer), state="uploading", created_at=now,
        )
    )  # fmt: skip
    _record_files(conn, dossier.uuid, supplement_id, files, now)
    # Every file is complete: received, the request answered, back to processing (4).
    receive_supplement(conn, sandbox, dossier.uuid, supplement_id)


def sync_dossier(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    """DongBoHoSoMC: create (`isUpdating` false) or update (true) the dossier `MaHoSo`.

    Creating a code that exists is refused (error 4): the caller looks it up first and
    sets `isUpdating` from the answer, which is what makes a retry safe. An update may
    answer supplement requests (`DanhSachHoSoBoSung` entries with `MaBoSung`).
    """
    account = session_account(sandbox, str(body.get("session", "")))
    data = body.get("data")
    updating = body.get("isUpdating")
    if not isinstance(data, dict) or not isinstance(updating, bool):
        raise ServiceError(E_INVALID, "Cần data (đối tượng) và isUpdating (true/false)")
    code = _text(data, "MaHoSo")
    name = _text(data, "TenTTHC")
    agency = _text(data, "DonViXuLy")
    procedure = _text(data, "MaTTHC", required=False) or None
    form = data.get("DuLieuBieuMau") or {}
    now = sandbox.config.now()
    with sandbox.store.begin() as conn:
        existing = conn.execute(
            select(t.dossiers).where(t.dossiers.c.uuid == dossier_uuid(code))
        ).first()
        if updating:
            if existing is None or existing.account_id != account:
                raise ServiceError(E_NOT_FOUND, f"Không tìm thấy hồ sơ {code} để cập nhật")
            for answer in _answers(data):
                _take_answer(sandbox, conn, account, existing, answer)
            conn.execute(
                update(t.dossiers)
                .where(t.dossiers.c.uuid == existing.uuid)
                .values(body={"form": form, "lgsp": data}, procedure_name=name)
            )
            sandbox.touch(conn, existing.uuid)
            row = conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == existing.uuid)).one()
            return {"data": lgsp_view(conn, row)}
        if existing is not None:
            raise ServiceError(E_EXISTS, f"Hồ sơ {code} đã tồn tại; hãy tra cứu rồi cập nhật")
        files = _attachments(conn, account, data)
        local_day = now.astimezone(VIETNAM).date()
        appointment: date = add_working_days(local_day, _processing_days(sandbox, procedure))
        uuid = dossier_uuid(code)
        conn.execute(
            t.dossiers.insert().values(
                uuid=uuid, account_id=account, content_hash=content_hash(data),
                body={"form": form, "lgsp": data}, agency_code=agency[:64],
                procedure_code=procedure, procedure_name=name[:500], state=1, receipt_no=code,
                submitted_at=now, appointment_date=appointment.isoformat(), seq=0,
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
        _record_files(conn, uuid, None, files, now)
        sandbox.record_state(conn, uuid, 1, "Tiếp nhận qua nền tảng tích hợp (LGSP)")
        row = conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == uuid)).one()
        return {"data": lgsp_view(conn, row)}


def progress(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    """CapNhatTienDoHoSoMC: the processing system moves the dossier to `TrangThaiHoSo`."""
    account = session_account(sandbox, str(body.get("session", "")))
    code = _text(body, "MaHoSo")
    state = body.get("TrangThaiHoSo")
    if not isinstance(state, int) or not 1 <= state <= 99:
        raise ServiceError(E_INVALID, "TrangThaiHoSo phải là số nguyên")
    with sandbox.store.begin() as conn:
        row = _own(conn, account, code)
        if row is None:
            raise ServiceError(E_NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
        sandbox.record_state(conn, row.uuid, state, str(body.get("NoiDung") or ""))
        row = conn.execute(select(t.dossiers).where(t.dossiers.c.uuid == row.uuid)).one()
        return {"data": lgsp_view(conn, row)}


def _records(sandbox: Sandbox) -> tuple[list[dict[str, Any]], str]:
    data = records_bytes(sandbox.config.catalog_records_dir, sandbox.config.catalog_procedures)
    records = json.loads(data)
    return (records if isinstance(records, list) else []), hashlib.sha256(data).hexdigest()[:32]


def list_procedures(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    """LayDanhSachTTHC: a page (`TrangSo` from 1, `SoBanGhi` up to 1000) of procedure
    records in the national format, the total and the catalog's version (`PhienBan`)."""
    session_account(sandbox, str(body.get("session", "")))
    page, size = body.get("TrangSo", 1), body.get("SoBanGhi", 500)
    if not isinstance(page, int) or not isinstance(size, int) or page < 1 or not 1 <= size <= 1000:
        raise ServiceError(E_INVALID, "TrangSo >= 1 và 1 <= SoBanGhi <= 1000")
    records, version = _records(sandbox)
    start = (page - 1) * size
    return {"PhienBan": version, "TongSo": len(records), "data": records[start : start + size]}


def procedure(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    """LayThuTuc: one procedure record by `MaTTHC`."""
    session_account(sandbox, str(body.get("session", "")))
    code = _text(body, "MaTTHC")
    records, _version = _records(sandbox)
    for record in records:
        if isinstance(record, dict) and record.get("code") == code:
            return {"data": record}
    raise ServiceError(E_NOT_FOUND, f"Không có thủ tục {code}")


SERVICES: dict[str, Callable[[Sandbox, dict[str, Any]], dict[str, Any]]] = {
    "GetNextValue": get_next_value,
    "TraCuuHoSo": look_up,
    "DongBoHoSoMC": sync_dossier,
    "CapNhatTienDoHoSoMC": progress,
    "LayDanhSachTTHC": list_procedures,
    "LayThuTuc": procedure,
}
