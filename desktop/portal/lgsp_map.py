"""Field mapping of the service-style (LGSP) adapter: our dossier → `DongBoHoSoMC` data,
a `TraCuuHoSo` answer → `DossierStatus`, and the platform's dates.

Dates are `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (UTC+7 all year: Vietnam keeps no summer
time). `TrangThaiHoSo` uses the national state codes 1-10, which are dvc-desk's portal
states as they are; a code outside them is kept as it is (never dropped or clamped),
with the platform's own name for it when it gives one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from desktop.portal.contract import (
    STATE_NAMES,
    DossierStatus,
    FeeItem,
    HistoryEntry,
    ResultFile,
    SupplementRequest,
)

VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
RESULT_PREFIX = "lgsp-result:"
# A request the platform marks answered (`DaBoSung`) without naming the answer (`MaBoSung`)
# was answered elsewhere (at the counter, or by another system).
ANSWERED_ELSEWHERE = "lgsp"


def stamp(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime(DATE_FORMAT)


def parse_stamp(value: object) -> datetime | None:
    """A platform date as an aware datetime; None when missing or not the format."""
    if not isinstance(value, str) or len(value) != 14:
        return None
    try:
        return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VIETNAM)
    except ValueError:
        return None


def _utc(value: object) -> datetime | None:
    """A platform date in UTC, as the app stores every moment (SQLite keeps no offset)."""
    moment = parse_stamp(value)
    return None if moment is None else moment.astimezone(UTC)


def _party_name(form: Mapping[str, Any]) -> tuple[str, int]:
    """The dossier's owner (ChuHoSo) and LoaiDoiTuong (1 citizen, 2 business)."""
    applicant = form.get("applicant")
    if not isinstance(applicant, Mapping):
        return "", 1
    name = next(
        (str(applicant[k]) for k in ("full_name", "name", "business_name") if applicant.get(k)),
        "",
    )
    business = applicant.get("kind") in ("business", "organization", "to_chuc", "doanh_nghiep")
    return name, 2 if business or applicant.get("business_name") else 1


def _attached(
    body: Mapping[str, Any], files: Mapping[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """The uploaded files of `body` (its `files` manifest) as the platform names them."""
    return [
        {
            "IdTepTin": files[f["file_id"]][0],
            "HashTepTin": files[f["file_id"]][1],
            "TenTepDinhKem": f["name"],
            "MaThanhPhanHoSo": f.get("component_code") or f["file_id"],
        }
        for f in body.get("files", [])
    ]


def dossier_data(
    code: str, body: Mapping[str, Any], files: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    """`DongBoHoSoMC` data for our dossier `body` (DossierCreate as JSON) under `code`;
    `files` maps each file_id to its (IdTepTin, HashTepTin). The same inputs give the
    same data, so a retried update changes nothing."""
    form = body.get("form") or {}
    owner, kind = _party_name(form)
    name = str(body.get("procedure_name", ""))
    return {
        "MaHoSo": code,
        "MaTTHC": body.get("procedure_code") or "",
        "TenTTHC": name,
        "DonViXuLy": str(body.get("agency_code", "")),
        "ChuHoSo": owner,
        "LoaiDoiTuong": kind,
        "TrichYeuHoSo": f"{name} – {owner}" if owner else name,
        "HinhThuc": 1,  # nộp trực tuyến
        "TaiLieuNop": _attached(body, files),
        "DuLieuBieuMau": form,
    }


def supplement_answer(
    supplement_id: str,
    body: Mapping[str, Any],
    files: Mapping[str, tuple[str, str]],
    answered_at: datetime,
) -> dict[str, Any]:
    """One `DanhSachHoSoBoSung` entry answering the request `body["request_id"]` with our
    supplement `body` (SupplementCreate as JSON) under `supplement_id`; `files` maps each
    file_id to its (IdTepTin, HashTepTin). The officer's request entries carry no
    `MaBoSung`: the entry that does is the applicant's answer."""
    return {
        "MaYeuCau": str(body["request_id"]),
        "MaBoSung": supplement_id,
        "NoiDungBoSung": str(body.get("note") or ""),
        "NgayBoSung": stamp(answered_at),
        "TaiLieuBoSung": _attached(body, files),
    }


def _state_name(code: int, given: object) -> str:
    if isinstance(given, str) and given:
        return given
    return STATE_NAMES.get(code, f"Trạng thái {code}")


def _date(value: object) -> date | None:
    moment = parse_stamp(value)
    return None if moment is None else moment.date()


def status_of(uuid: str, view: Mapping[str, Any], fallback: datetime) -> DossierStatus:
    """A `TraCuuHoSo` answer as the status the engine and the poller read."""
    state = view.get("TrangThaiHoSo")
    code = state if isinstance(state, int) else 0
    updated = _utc(view.get("NgayCapNhat")) or fallback
    history = [
        HistoryEntry(
            state=int(h.get("TrangThaiHoSo") or 0),
            state_name=_state_name(int(h.get("TrangThaiHoSo") or 0), h.get("TenTrangThai")),
            at=_utc(h.get("NgayXuLy")) or updated,
            note=h.get("NoiDung") or None,
        )
        for h in view.get("QuaTrinhXuLy") or []
        if isinstance(h, Mapping)
    ]
    fees = [
        FeeItem(
            fee_id=str(f.get("MaLePhi", "")),
            description=str(f.get("TenLePhi", "")),
            amount=int(f.get("SoTien") or 0),
            paid=bool(f.get("DaNop")),
        )
        for f in view.get("DanhSachLePhi") or []
        if isinstance(f, Mapping)
    ]
    requests = [
        SupplementRequest(
            request_id=str(r.get("MaYeuCau", "")),
            note=str(r.get("NoiDungYeuCau", "")),
            requested_at=_utc(r.get("NgayYeuCau")) or updated,
            answered_by=(
                str(r.get("MaBoSung") or ANSWERED_ELSEWHERE) if r.get("DaBoSung") else None
            ),
        )
        for r in view.get("DanhSachHoSoBoSung") or []
        if isinstance(r, Mapping)
    ]
    results = [
        ResultFile(
            result_id=str(r.get("IdTepTin", "")),
            name=str(r.get("TenGiayTo", "")),
            media_type="application/pdf",
            size=int(r.get("KichThuoc") or 0),
            sha256=str(r.get("HashTepTin", "")),
            url=f"{RESULT_PREFIX}{r.get('IdTepTin', '')}",
        )
        for r in view.get("DanhSachGiayToKetQua") or []
        if isinstance(r, Mapping)
    ]
    return DossierStatus(
        uuid=uuid,
        state=code,
        state_name=_state_name(code, view.get("TenTrangThai")),
        procedure_code=view.get("MaTTHC") or None,
        agency_code=str(view.get("DonViXuLy") or ""),
        receipt_no=view.get("MaHoSo") if code else None,
        submitted_at=_utc(view.get("NgayTiepNhan")),
        appointment_date=_date(view.get("NgayHenTra")),
        updated_at=updated,
        cursor=str(view.get("NgayCapNhat") or ""),
        history=history,
        fees=fees,
        supplement_requests=requests,
        results=results,
    )
