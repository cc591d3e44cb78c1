"""The service-style adapter (kind "lgsp") against the sandbox's /lgsp/ face on 127.0.0.1:
session log-in and renewal, code reservation, whole-file upload with hash, create with
look-up first, status mapping (unknown codes kept), catalog, and the same dossier seen
through API v1."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import uuid as uuidlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.portal.adapter import PortalAdapter, make_adapter
from desktop.portal.errors import (
    ChecksumMismatchError,
    LoginRequiredError,
    PortalUnreachableError,
    ServiceRefusedError,
    UnsupportedError,
)
from desktop.portal.lgsp_map import parse_stamp, status_of
from desktop.portal.memory import TransientMemory
from portal_sandbox.config import SandboxConfig
from portal_sandbox.lgsp_services import dossier_uuid
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.portal import PASSWORD, register

PDF = b"%PDF-1.7\n" + b"x" * 3000 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedSandbox]:
    config = SandboxConfig(tmp_path_factory.mktemp("lgsp") / "sandbox", catalog_procedures=37)
    with ThreadedSandbox(config) as server:
        yield server


@pytest.fixture
def user(live: ThreadedSandbox) -> str:
    return register(live.url, f"xa-{uuidlib.uuid4().hex[:10]}")


def _adapter(live: ThreadedSandbox, user: str, memory: TransientMemory | None = None) -> Any:
    return make_adapter(
        "lgsp", f"{live.url}/lgsp", password=lambda: (user, PASSWORD),
        memory=memory or TransientMemory(),
    )  # fmt: skip


def _faults(live: ThreadedSandbox, **switches: object) -> None:
    reply = httpx.put(f"{live.url}/sandbox/faults", headers=live.secret_headers, json=switches)
    assert reply.status_code == 200


def _body(data: bytes = PDF) -> dict[str, Any]:
    return {
        "procedure_code": "1.001234",
        "procedure_name": "Đăng ký khai sinh",
        "agency_code": "G09.20",
        "form": {"applicant": {"full_name": "Nguyễn Văn A"}},
        "files": [
            {"file_id": "TP1", "name": "to-khai.pdf", "size": len(data),
             "sha256": hashlib.sha256(data).hexdigest(), "media_type": "application/pdf",
             "component_code": "TP1"},
        ],
    }  # fmt: skip


def _send(adapter: Any, uuid: str, data: bytes = PDF) -> None:
    [target] = adapter.put_dossier(uuid, _body(data)).files
    adapter.send_file(
        target.upload_url, io.BytesIO(data), len(data), hashlib.sha256(data).hexdigest(), "a.pdf"
    )


def _portal_rows(live: ThreadedSandbox) -> list[tuple[str, str | None]]:
    conn = sqlite3.connect(live.config.database)
    try:
        return list(conn.execute("SELECT uuid, receipt_no FROM dossiers"))
    finally:
        conn.close()


def test_the_lgsp_adapter_is_a_portal_adapter_that_says_what_it_cannot_do(
    live: ThreadedSandbox, user: str
) -> None:
    adapter = _adapter(live, user)
    assert isinstance(adapter, PortalAdapter)
    assert adapter.kind == "lgsp"
    caps = adapter.capabilities
    assert not caps.resumable_upload and not caps.payments
    assert caps.catalog_sync and caps.supplements
    with pytest.raises(UnsupportedError) as refused:
        adapter.create_payment("x", ["f1"])
    assert "không hỗ trợ" in refused.value.message("vi")
    assert "does not offer" in refused.value.message("en")
    assert adapter.reachable(2.0)


def test_code_reserved_once_file_hash_checked_create_after_look_up(
    live: ThreadedSandbox, user: str
) -> None:
    memory = TransientMemory()
    adapter = _adapter(live, user, memory)
    uuid = str(uuidlib.uuid4())
    first = adapter.put_dossier(uuid, _body())
    code = memory.recall(uuid, "code")
    assert code is not None and code.startswith("G09.20-")
    # A replayed PUT keeps the reserved code (no second GetNextValue).
    assert adapter.put_dossier(uuid, _body()).files == first.files
    assert memory.recall(uuid, "code") == code
    assert adapter.upload_state(first.files[0].upload_url).offset == 0
    _send(adapter, uuid)
    assert adapter.upload_state(first.files[0].upload_url).offset == len(PDF)
    receipt = adapter.submit(uuid, {"files": []}, "unused-key")
    assert receipt.receipt_no == code
    # Platform dates are Vietnam time; the app keeps moments in UTC.
    assert receipt.submitted_at.utcoffset() == timedelta(0)
    # Submitting again updates the same dossier: still one on the portal.
    assert adapter.submit(uuid, {"files": []}, "unused-key").receipt_no == code
    assert [r for r in _portal_rows(live) if r[1] == code] == [(dossier_uuid(code), code)]


def test_a_create_whose_answer_was_lost_is_found_by_the_retry(
    live: ThreadedSandbox, user: str
) -> None:
    """DongBoHoSoMC commits, its answer never arrives; the retry looks the code up and
    updates instead of creating: one dossier. Creating blindly again is refused (error 4),
    which is why the look-up comes first."""
    memory = TransientMemory()
    adapter = _adapter(live, user, memory)
    uuid = str(uuidlib.uuid4())
    _send(adapter, uuid)
    _faults(live, lose_response={"lgsp:DongBoHoSoMC": 1})
    with pytest.raises(PortalUnreachableError):
        adapter.submit(uuid, {"files": []}, "k")
    code = memory.recall(uuid, "code")
    assert sum(1 for r in _portal_rows(live) if r[1] == code) == 1
    receipt = adapter.submit(uuid, {"files": []}, "k")
    assert receipt.receipt_no == code
    assert sum(1 for r in _portal_rows(live) if r[1] == code) == 1
    with pytest.raises(ServiceRefusedError) as exists:
        adapter.call("DongBoHoSoMC", isUpdating=False, data={
            "MaHoSo": code, "TenTTHC": "x", "DonViXuLy": "G09.20", "TaiLieuNop": []})  # fmt: skip
    assert exists.value.error_code == 4 and exists.value.status == 409


def test_a_hash_that_differs_records_nothing(live: ThreadedSandbox, user: str) -> None:
    memory = TransientMemory()
    adapter = _adapter(live, user, memory)
    uuid = str(uuidlib.uuid4())
    [target] = adapter.put_dossier(uuid, _body()).files
    damaged = PDF[:-5] + b"XXXXX"
    with pytest.raises(ChecksumMismatchError):
        adapter.send_file(target.upload_url, io.BytesIO(damaged), len(damaged),
                          hashlib.sha256(PDF).hexdigest(), "a.pdf")  # fmt: skip
    assert memory.recall(uuid, "file:TP1") is None
    assert adapter.upload_state(target.upload_url).offset == 0


def test_an_expired_session_is_renewed_with_the_password(live: ThreadedSandbox, user: str) -> None:
    adapter = _adapter(live, user)
    adapter.put_dossier(str(uuidlib.uuid4()), _body())
    assert adapter.logins == 1
    conn = sqlite3.connect(live.config.database)
    with conn:
        conn.execute("UPDATE tokens SET revoked = 1 WHERE kind = 'lgsp'")
    conn.close()
    adapter.put_dossier(str(uuidlib.uuid4()), _body())
    assert adapter.logins == 2
    wrong = make_adapter("lgsp", f"{live.url}/lgsp", password=lambda: (user, "sai-mat-khau"))
    with pytest.raises(LoginRequiredError):
        wrong.put_dossier(str(uuidlib.uuid4()), _body())


def test_status_follows_both_faces_and_keeps_unknown_codes(
    live: ThreadedSandbox, user: str
) -> None:
    memory = TransientMemory()
    adapter = _adapter(live, user, memory)
    uuid = str(uuidlib.uuid4())
    _send(adapter, uuid)
    code = adapter.submit(uuid, {"files": []}, "k").receipt_no
    status = adapter.dossier(uuid)
    assert (status.state, status.receipt_no, status.uuid) == (1, code, uuid)
    assert status.appointment_date is not None
    # The officer console acts on the same dossier through the store's uuid.
    accepted = httpx.post(f"{live.url}/sandbox/officer/{dossier_uuid(code)}/accept",
                          headers=live.secret_headers, timeout=10)  # fmt: skip
    assert accepted.status_code in (200, 303)
    assert adapter.dossier(uuid).state == 2
    # API v1 shows it too, to the same account.
    v1 = make_adapter("v1", live.url, password=lambda: (user, PASSWORD))
    assert v1.dossier(dossier_uuid(code)).receipt_no == code
    # A state the national list does not know is kept as it is, with the platform's name.
    adapter.call("CapNhatTienDoHoSoMC", MaHoSo=code, TrangThaiHoSo=42, NoiDung="chờ ký")
    odd = adapter.dossier(uuid)
    assert odd.state == 42 and odd.state_name
    assert [h.state for h in odd.history][-1] == 42
    changes = adapter.changes("0")
    assert uuid in {s.uuid for s in changes.items}
    assert adapter.changes(changes.cursor).items  # at or after the cursor: the last again


def test_catalog_through_the_procedure_services(live: ThreadedSandbox, user: str) -> None:
    adapter = _adapter(live, user)
    fetch = adapter.catalog_records()
    assert not fetch.not_modified and fetch.data is not None
    import json

    records = json.loads(fetch.data)
    assert len(records) == 37
    assert adapter.call("LayThuTuc", MaTTHC=records[3]["code"])["data"] == records[3]
    assert adapter.catalog_records(fetch.etag).not_modified


def test_platform_dates_are_vietnam_time() -> None:
    moment = parse_stamp("20260609143005")
    assert moment is not None and moment.utcoffset() is not None
    assert moment.isoformat() == "2026-06-09T14:30:05+07:00"
    assert parse_stamp("2026-06-09") is None and parse_stamp(None) is None
    # In a status every moment is UTC (the local store keeps no offset): 14:30 in Hà Nội
    # is 07:30 UTC, and the same answer read twice gives the same history.
    view = {"TrangThaiHoSo": 2, "NgayCapNhat": "20260609143005",
            "QuaTrinhXuLy": [{"TrangThaiHoSo": 2, "NgayXuLy": "20260609143005"}]}  # fmt: skip
    status = status_of("u", view, moment)
    assert status.history[0].at.isoformat() == "2026-06-09T07:30:05+00:00"
    assert status.updated_at == moment


def test_the_platform_answering_garbage_is_a_clear_transient_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, html="<html>Wi-Fi login</html>")

    http = httpx.Client(transport=httpx.MockTransport(handler))
    adapter = make_adapter("lgsp", "http://portal.test/lgsp", http=http,
                           password=lambda: ("a", "b"))  # fmt: skip
    from desktop.errors import TransientError

    with pytest.raises(TransientError) as bad:
        adapter.put_dossier(str(uuidlib.uuid4()), _body())
    assert "login" in bad.value.message("en")
