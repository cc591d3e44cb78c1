"""Answering a supplement through the service-style adapter (kind "lgsp") on the sandbox's
/lgsp/ face: the officer's request read from `DanhSachHoSoBoSung`, the files sent with
UploadFile, the answer sent with DongBoHoSoMC (isUpdating true) once, looked up first so
a retry after a lost answer or a crash sends nothing twice."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import uuid as uuidlib
from typing import Any

import httpx
import pytest

from desktop.portal.errors import PortalRefusedError, PortalUnreachableError, ServiceRefusedError
from desktop.portal.memory import TransientMemory
from portal_sandbox.lgsp_services import dossier_uuid
from portal_sandbox.server import ThreadedSandbox

from .test_lgsp import PDF, _adapter, _faults, _send, live, user

__all__ = ["live", "user"]  # the fixtures, shared with test_lgsp

NOTE = "Bổ sung bản sao CCCD có chứng thực"
EXTRA = b"%PDF-1.7\n" + b"cccd " * 700 + b"\n%%EOF\n"


def _supplement(request_id: str, data: bytes = EXTRA) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "note": "Đã bổ sung",
        "files": [
            {"file_id": "TP2", "name": "cccd.pdf", "size": len(data),
             "sha256": hashlib.sha256(data).hexdigest(), "media_type": "application/pdf",
             "component_code": "TP2"},
        ],
    }  # fmt: skip


def _requested(live: ThreadedSandbox, user: str) -> tuple[Any, TransientMemory, str, str]:
    """A dossier submitted through the adapter, the officer asked a supplement for it:
    (adapter, memory, local uuid, request id as the adapter reads it)."""
    memory = TransientMemory()
    adapter = _adapter(live, user, memory)
    uuid = str(uuidlib.uuid4())
    _send(adapter, uuid)
    code = adapter.submit(uuid, {"files": []}, "k").receipt_no
    asked = httpx.post(f"{live.url}/sandbox/officer/{dossier_uuid(code)}/supplement",
                       headers=live.secret_headers, data={"note": NOTE}, timeout=10)  # fmt: skip
    assert asked.status_code in (200, 303)
    status = adapter.dossier(uuid)
    [request] = status.supplement_requests
    assert (status.state, request.note, request.answered_by) == (5, NOTE, None)
    return adapter, memory, uuid, request.request_id


def _send_extra(adapter: Any, url: str) -> None:
    adapter.send_file(url, io.BytesIO(EXTRA), len(EXTRA), hashlib.sha256(EXTRA).hexdigest(),
                      "cccd.pdf")  # fmt: skip


def _rows(live: ThreadedSandbox, sql: str, *args: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(live.config.database)
    try:
        return [tuple(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def _updates(adapter: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The DongBoHoSoMC updates the adapter sends from now on."""
    sent: list[dict[str, Any]] = []
    call = adapter.call

    def counting(service: str, **fields: Any) -> dict[str, Any]:
        if service == "DongBoHoSoMC":
            sent.append(fields)
        return dict(call(service, **fields))

    monkeypatch.setattr(adapter, "call", counting)
    return sent


def test_a_supplement_answers_the_officers_request_seen_from_both_faces(
    live: ThreadedSandbox, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    adapter, _memory, uuid, request_id = _requested(live, user)
    sent = _updates(adapter, monkeypatch)
    created = adapter.put_supplement(uuid, "bs-1", _supplement(request_id))
    [target] = created.files
    assert created.state == "uploading" and not target.complete and sent == []
    assert adapter.upload_state(target.upload_url).offset == 0
    _send_extra(adapter, target.upload_url)

    # One update, answering the request with the uploaded file, the dossier's data kept.
    [update] = sent
    assert update["isUpdating"] is True
    [answer] = update["data"]["DanhSachHoSoBoSung"]
    assert (answer["MaYeuCau"], answer["MaBoSung"]) == (request_id, "bs-1")
    [doc] = answer["TaiLieuBoSung"]
    assert doc["HashTepTin"] == hashlib.sha256(EXTRA).hexdigest()
    assert update["data"]["TaiLieuNop"][0]["HashTepTin"] == hashlib.sha256(PDF).hexdigest()
    status = adapter.dossier(uuid)
    assert status.state == 4 and [r.answered_by for r in status.supplement_requests] == ["bs-1"]
    assert status.history[-1].note == "Đã nhận hồ sơ bổ sung"
    # The store's other face sees the same supplement, its file complete.
    store_uuid = dossier_uuid(str(status.receipt_no))
    assert _rows(live, "SELECT id, state FROM supplements WHERE dossier_uuid = ?",
                 store_uuid) == [("bs-1", "received")]  # fmt: skip
    assert _rows(live, "SELECT sha256, complete FROM uploads WHERE supplement_id = 'bs-1' "
                 "AND dossier_uuid = ?", store_uuid) == [(doc["HashTepTin"], 1)]  # fmt: skip

    # A replay is received with nothing to send; another answer to it is refused.
    again = adapter.put_supplement(uuid, "bs-1", _supplement(request_id))
    assert again.state == "received" and again.files[0].complete and len(sent) == 1
    with pytest.raises(PortalRefusedError) as other:
        adapter.put_supplement(uuid, "bs-2", _supplement(request_id))
    assert (other.value.status, other.value.code) == (409, "supplement.not_requested")
    with pytest.raises(PortalRefusedError) as unknown:
        adapter.put_supplement(uuid, "bs-3", _supplement("no-such-request"))
    assert (unknown.value.status, unknown.value.code) == (422, "supplement.unknown_request")
    with pytest.raises(PortalRefusedError) as changed:
        adapter.put_supplement(uuid, "bs-1", _supplement(request_id, EXTRA + b"x"))
    assert changed.value.status == 409


def test_an_answer_whose_response_was_lost_is_not_sent_again(
    live: ThreadedSandbox, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DongBoHoSoMC commits the answer, its response never arrives; the retry looks the
    request up, finds it answered by this supplement and sends nothing. Sending the same
    answer blindly is refused (error 4), which is why the look-up comes first."""
    adapter, _memory, uuid, request_id = _requested(live, user)
    [target] = adapter.put_supplement(uuid, "bs-lost", _supplement(request_id)).files
    _faults(live, lose_response={"lgsp:DongBoHoSoMC": 1})
    with pytest.raises(PortalUnreachableError):
        _send_extra(adapter, target.upload_url)
    code = str(adapter.dossier(uuid).receipt_no)
    assert _rows(live, "SELECT state FROM supplements WHERE dossier_uuid = ?",
                 dossier_uuid(code)) == [("received",)]  # fmt: skip

    sent = _updates(adapter, monkeypatch)
    retried = adapter.put_supplement(uuid, "bs-lost", _supplement(request_id))
    assert retried.state == "received" and all(t.complete for t in retried.files)
    assert adapter.upload_state(target.upload_url).offset == len(EXTRA)
    assert sent == [], "nothing sent twice"
    assert [r.answered_by for r in adapter.dossier(uuid).supplement_requests] == ["bs-lost"]
    assert len(_rows(live, "SELECT id FROM supplements WHERE dossier_uuid = ?",
                     dossier_uuid(code))) == 1  # fmt: skip
    blind = {"MaHoSo": code, "TenTTHC": "x", "DonViXuLy": "G09.20", "DanhSachHoSoBoSung": [
        {"MaYeuCau": request_id, "MaBoSung": "bs-lost", "TaiLieuBoSung": []}]}  # fmt: skip
    with pytest.raises(ServiceRefusedError) as exists:
        adapter.call("DongBoHoSoMC", isUpdating=True, data=blind)
    assert exists.value.error_code == 4


class CrashedError(Exception):
    pass


def test_a_crash_between_the_last_file_and_the_answer_is_answered_by_the_next_put(
    live: ThreadedSandbox, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last UploadFile recorded, the process dies before the update: the next PUT of
    the supplement finds every file recorded and sends the answer (once)."""
    adapter, memory, uuid, request_id = _requested(live, user)
    [target] = adapter.put_supplement(uuid, "bs-crash", _supplement(request_id)).files
    with monkeypatch.context() as crash:
        crash.setattr(adapter, "_answer", lambda *a: (_ for _ in ()).throw(CrashedError()))
        with pytest.raises(CrashedError):
            _send_extra(adapter, target.upload_url)
    assert memory.recall(uuid, "file:bs-crash/TP2") is not None
    assert adapter.dossier(uuid).supplement_requests[0].answered_by is None
    sent = _updates(adapter, monkeypatch)
    answered = adapter.put_supplement(uuid, "bs-crash", _supplement(request_id))
    assert answered.state == "received" and len(sent) == 1
    assert [r.answered_by for r in adapter.dossier(uuid).supplement_requests] == ["bs-crash"]
