from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import select

from desktop.dossier.actions import E_NO_DOCUMENT, supplement_problems
from desktop.errors import UserError, render
from desktop.portal.errors import PortalUnreachableError
from desktop.storage.outbox_models import OutboxFile, OutboxItem
from desktop.sync.engine import Engine
from desktop.sync.outbox import E_SUPPLEMENT_ANSWERED, E_SUPPLEMENT_FINISHING, E_TOO_LATE
from desktop.sync.status import StatusPoller
from desktop.sync.supplements import (
    SENDING,
    SENT,
    UNANSWERED,
    supplement_of,
    supplement_requests,
)
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox

from .factory import pdf, valid_dossier
from .portal import (
    PASSWORD,
    make_engine,
    portal_dossiers,
    register,
    start_sandbox,
    supplement_id_of,
)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def test_a_supplement_draft_knows_its_request_from_unanswered_to_sent(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    parent = valid_dossier(workspace, tmp_path / "f", "sup")
    workspace.outbox.submit(parent.id)
    engine = make_engine(workspace, sandbox.url, user)
    poller = StatusPoller(workspace.db, workspace.store, workspace.paths, workspace.events,
                          engine.portal)  # fmt: skip
    engine.run_once()
    submitted = workspace.dossiers.get(parent.id)
    assert submitted.uuid is not None and submitted.receipt_no is not None
    assert supplement_of(workspace.db, parent.id) is None, "the parent answers nothing"
    assert supplement_requests(workspace.db, parent.id) == []

    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{submitted.uuid}/supplement",
        headers=sandbox.secret_headers,
        data={"note": "Bổ sung bản sao CCCD có chứng thực"},
        timeout=10,
    )
    assert response.status_code in (200, 303)
    poller.poll()

    [request] = supplement_requests(workspace.db, parent.id)
    # The dossier list can say that this dossier waits for a supplement.
    [row] = [r for r in workspace.dossiers.list() if r.id == parent.id]
    assert (row.portal_state, row.receipt_no) == (5, submitted.receipt_no)
    assert request.draft_id is not None and request.draft_id != parent.id
    assert request.note == "Bổ sung bản sao CCCD có chứng thực"
    assert request.parent_receipt_no == submitted.receipt_no
    assert (request.progress, request.answered, request.draft_state) == (UNANSWERED, False, "DRAFT")
    assert supplement_of(workspace.db, request.draft_id) == request
    assert supplement_of(workspace.db, 999_999) is None

    draft = workspace.dossiers.get(request.draft_id)
    assert draft.attachments == ()
    assert [p.code for p in supplement_problems(len(draft.attachments))] == [E_NO_DOCUMENT]
    extra = tmp_path / "cccd.pdf"
    extra.write_bytes(pdf("bản sao CCCD"))
    workspace.dossiers.attach(draft.id, "TP2", [extra])
    assert supplement_problems(1) == []

    workspace.outbox.submit(draft.id)
    queued = supplement_of(workspace.db, draft.id)
    assert queued is not None and queued.progress == SENDING and not queued.answered

    engine.run_once()
    sent = supplement_of(workspace.db, draft.id)
    assert sent is not None and sent.progress == SENT and sent.draft_state == "SUBMITTED"
    poller.poll()
    [answered] = supplement_requests(workspace.db, parent.id)
    assert answered.answered_by == supplement_id_of(workspace, draft.id) and answered.answered


def test_the_no_document_problem_says_what_to_do() -> None:
    [problem] = supplement_problems(0)
    assert problem.field == "components" and problem.severity == "error"
    sentence = render(problem.code, problem.params, "vi")
    assert "Thêm tệp" in sentence and "Nộp bổ sung" in sentence


# --- "Rút và sửa" on a supplement draft -------------------------------------------------


def _request_supplement(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, **engine_kw: Any
) -> tuple[Engine, StatusPoller, int, int]:
    """A submitted dossier the officer asked a supplement for: (engine, poller, parent, draft)."""
    user = register(sandbox.url)
    parent = valid_dossier(workspace, tmp_path / "f", "rut")
    workspace.outbox.submit(parent.id)
    engine = make_engine(workspace, sandbox.url, user, **engine_kw)
    poller = StatusPoller(workspace.db, workspace.store, workspace.paths, workspace.events,
                          engine.portal)  # fmt: skip
    engine.run_once()
    submitted = workspace.dossiers.get(parent.id)
    uuid = submitted.uuid
    if engine_kw.get("adapter") == "lgsp":
        from portal_sandbox.lgsp_services import dossier_uuid

        uuid = dossier_uuid(str(submitted.receipt_no))  # the store's uuid of that code
    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{uuid}/supplement",
        headers=sandbox.secret_headers,
        data={"note": NOTE},
        timeout=10,
    )
    assert response.status_code in (200, 303)
    poller.poll()
    [request] = supplement_requests(workspace.db, parent.id)
    assert request.draft_id is not None
    return engine, poller, parent.id, request.draft_id


def _portal_rows(sandbox: ThreadedSandbox, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(sandbox.config.database)
    try:
        return [tuple(row) for row in conn.execute(sql)]
    finally:
        conn.close()


def _attach(workspace: Workspace, dossier_id: int, path: Path, tag: str, pages: int = 1) -> None:
    path.write_bytes(pdf(tag, pages))
    workspace.dossiers.attach(dossier_id, "TP2", [path])


NOTE = "Bổ sung bản sao CCCD có chứng thực"
PIECE = 1024  # small upload pieces, so a cut leaves a file half sent


def test_a_withdrawn_supplement_draft_is_answered_by_its_new_version_on_the_same_dossier(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(workspace, sandbox, tmp_path)
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD")
    workspace.outbox.submit(draft_id)

    new = workspace.outbox.withdraw(draft_id)

    # The request follows the new version: the editor's banner and the queue find it.
    assert new.supersedes_id == draft_id and new.state == "DRAFT"
    assert supplement_of(workspace.db, draft_id) is None, "the withdrawn version answers nothing"
    banner = supplement_of(workspace.db, new.id)
    assert banner is not None and banner.note == NOTE and banner.parent_id == parent_id
    assert (banner.draft_id, banner.progress, banner.draft_state) == (new.id, UNANSWERED, "DRAFT")
    [request] = supplement_requests(workspace.db, parent_id)
    assert request.draft_id == new.id
    assert [a.name for a in workspace.dossiers.get(new.id).attachments] == ["cccd.pdf"]

    entry = workspace.outbox.submit(new.id)
    parent = workspace.dossiers.get(parent_id)
    assert (entry.kind, entry.uuid) == ("supplement", parent.uuid), "not a new dossier"
    assert supplement_of(workspace.db, new.id) == dataclasses.replace(
        banner, progress=SENDING, draft_state="QUEUED"
    )
    engine.run_once()
    poller.poll()

    assert portal_dossiers(sandbox) == [(parent.uuid, parent.receipt_no)], "one portal dossier"
    assert _portal_rows(sandbox, "SELECT id, state FROM supplements") == [
        (supplement_id_of(workspace, new.id), "received")
    ]
    assert _portal_rows(sandbox, "SELECT state FROM dossiers") == [(4,)], "back in processing"
    [answered] = supplement_requests(workspace.db, parent_id)
    assert answered.answered and answered.answered_by == supplement_id_of(workspace, new.id)
    sent = workspace.dossiers.get(new.id)
    assert (sent.state, sent.receipt_no, sent.uuid) == ("SUBMITTED", parent.receipt_no, None)
    assert workspace.outbox.entry(draft_id).state == "WITHDRAWN"


def _cut_after_first_piece(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The link drops after one PATCH piece (and HEAD cannot reach the portal either)."""
    calls: list[int] = []
    send = engine.portal.patch_upload

    def patch_upload(url: str, offset: int, data: bytes) -> Any:
        calls.append(len(data))
        if len(calls) > 1:
            raise PortalUnreachableError(engine.portal.base_url, "cable pulled")
        return send(url, offset, data)

    def upload_state(url: str) -> Any:
        raise PortalUnreachableError(engine.portal.base_url, "cable pulled")

    monkeypatch.setattr(engine.portal, "patch_upload", patch_upload)
    monkeypatch.setattr(engine.portal, "upload_state", upload_state)


def _count_bytes(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sent: list[int] = []
    send = engine.portal.patch_upload

    def patch_upload(url: str, offset: int, data: bytes) -> Any:
        sent.append(len(data))
        return send(url, offset, data)

    monkeypatch.setattr(engine.portal, "patch_upload", patch_upload)
    return sent


@pytest.mark.parametrize("edited", [False, True], ids=["unchanged", "edited"])
def test_withdrawing_a_half_uploaded_supplement_then_resubmitting_answers_the_request_once(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, edited: bool
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, piece=PIECE
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=40)
    first = workspace.outbox.submit(draft_id)
    assert first.bytes_total > 3 * PIECE
    with pytest.MonkeyPatch.context() as cut:
        _cut_after_first_piece(engine, cut)
        engine.run_once()
    half = workspace.outbox.entry(draft_id)
    assert (half.state, half.bytes_sent) == ("UPLOADING", PIECE), "one piece reached the portal"
    old_sid = supplement_id_of(workspace, draft_id)
    assert _portal_rows(sandbox, "SELECT id, state FROM supplements") == [(old_sid, "uploading")]

    new = workspace.outbox.withdraw(draft_id)
    if edited:
        _attach(workspace, new.id, tmp_path / "giay-kham.pdf", "giấy khám sức khỏe")
    entry = workspace.outbox.submit(new.id)
    # Unchanged: the same supplement on the portal, resumed. Edited: a new one replaces it.
    with workspace.db.session() as session:
        item = session.get(OutboxItem, entry.id)
        assert item is not None and item.supplement_id is not None
        expected_sid = item.supplement_id
        assert (item.supplement_id != old_sid) if edited else (item.supplement_id == old_sid)

    with pytest.MonkeyPatch.context() as count:
        sent = _count_bytes(engine, count)
        engine.sync_now()
        engine.run_once()
    poller.poll()

    if edited:
        assert sum(sent) == entry.bytes_total, "the new supplement is sent whole"
        assert _portal_rows(sandbox, "SELECT id, state FROM supplements ORDER BY created_at") == [
            (old_sid, "uploading"),  # abandoned: API v1 cannot withdraw it; it never completes
            (expected_sid, "received"),
        ]
    else:
        assert sum(sent) == entry.bytes_total - PIECE, "the upload resumed where it stopped"
        assert _portal_rows(sandbox, "SELECT id, state FROM supplements") == [(old_sid, "received")]
    parent = workspace.dossiers.get(parent_id)
    assert portal_dossiers(sandbox) == [(parent.uuid, parent.receipt_no)]
    assert _portal_rows(sandbox, "SELECT answered_by FROM supplement_requests") == [(expected_sid,)]
    [answered] = supplement_requests(workspace.db, parent_id)
    assert (answered.draft_id, answered.answered_by, answered.progress) == (
        new.id, expected_sid, SENT,
    )  # fmt: skip
    assert workspace.dossiers.get(new.id).state == "SUBMITTED"


def test_a_new_version_is_refused_when_the_withdrawn_one_reached_the_portal_meanwhile(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, piece=PIECE
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=40)
    workspace.outbox.submit(draft_id)
    with pytest.MonkeyPatch.context() as cut:
        _cut_after_first_piece(engine, cut)
        engine.run_once()
    new = workspace.outbox.withdraw(draft_id)
    # The engine's attempt was still sending when the clerk withdrew: its last piece
    # reached the portal (API v1 cannot take a supplement back).
    with workspace.db.session() as session:
        [(url, size)] = session.execute(
            select(OutboxFile.upload_url, OutboxFile.size)
            .join(OutboxItem, OutboxItem.id == OutboxFile.item_id)
            .where(OutboxItem.dossier_id == draft_id)
        ).all()
    blob = workspace.dossiers.get(draft_id).attachments[0].sha256
    with workspace.store.open(blob) as source:
        data = source.read()
    assert url is not None and len(data) == size
    engine.portal.patch_upload(url, PIECE, data[PIECE:])
    poller.poll()

    _attach(workspace, new.id, tmp_path / "giay-kham.pdf", "giấy khám sức khỏe")
    with pytest.raises(UserError) as refused:
        workspace.outbox.submit(new.id)
    assert refused.value.code == E_SUPPLEMENT_ANSWERED
    sentence = render(refused.value.code, refused.value.params, "vi")
    answered_by = supplement_id_of(workspace, draft_id)
    assert answered_by is not None and answered_by in sentence
    assert f"dvc-desk status {parent_id}" in sentence
    assert workspace.dossiers.get(new.id).state == "DRAFT", "nothing was queued"
    assert _portal_rows(sandbox, "SELECT answered_by FROM supplement_requests") == [
        (supplement_id_of(workspace, draft_id),)
    ]


def test_withdraw_and_resubmit_a_supplement_from_the_command_line(
    workspace: Workspace,
    sandbox: ThreadedSandbox,
    run_cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = register(sandbox.url)
    parent = valid_dossier(workspace, tmp_path / "f", "cli")
    workspace.close()

    def sync() -> Any:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        return run_cli("sync", "--once", "--portal", sandbox.url, "--username", user,
                       "--password-stdin")  # fmt: skip

    def requests() -> list[dict[str, Any]]:
        status = run_cli("status", str(parent.id), "--json")
        assert status.code == 0, status.err
        return cast(list[dict[str, Any]], json.loads(status.out)["supplement_requests"])

    assert run_cli("submit", str(parent.id)).code == 0
    assert sync().code == 0
    [(uuid, receipt)] = portal_dossiers(sandbox)
    officer = httpx.post(f"{sandbox.url}/sandbox/officer/{uuid}/supplement",
                         headers=sandbox.secret_headers,
                         data={"note": NOTE}, timeout=10)  # fmt: skip
    assert officer.status_code in (200, 303)
    assert sync().code == 0  # the poll opens the supplement draft
    [request] = requests()
    draft_id = request["draft_dossier_id"]
    extra = tmp_path / "cccd.pdf"
    extra.write_bytes(pdf("bản sao CCCD"))
    assert run_cli("dossier", "attach", str(draft_id), "TP2", str(extra)).code == 0
    assert run_cli("submit", str(draft_id)).code == 0

    withdrawn = run_cli("withdraw", str(draft_id), "--json")
    assert withdrawn.code == 0, withdrawn.err
    new_id = json.loads(withdrawn.out)["id"]
    assert [r["draft_dossier_id"] for r in requests()] == [new_id]
    submitted = run_cli("submit", str(new_id), "--json")
    assert submitted.code == 0, submitted.err
    assert (json.loads(submitted.out)["kind"], json.loads(submitted.out)["uuid"]) == (
        "supplement", uuid,
    )  # fmt: skip
    assert sync().code == 0

    assert portal_dossiers(sandbox) == [(uuid, receipt)], "no second portal dossier"
    [answered] = requests()
    assert (answered["draft_dossier_id"], answered["answered_by"]) == (
        new_id,
        supplement_id_of(workspace, new_id),
    )
    shown = run_cli("status", str(new_id), "--json")
    assert json.loads(shown.out)["state"] == "SUBMITTED"


def test_a_supplement_the_portal_refuses_becomes_a_new_version_that_still_answers(
    workspace: Workspace, tmp_path: Path
) -> None:
    small = start_sandbox(tmp_path / "small", max_file_size=3000)
    try:
        engine, poller, parent_id, draft_id = _request_supplement(workspace, small, tmp_path)
        _attach(workspace, draft_id, tmp_path / "big.pdf", "bản quét quá lớn", pages=40)
        workspace.outbox.submit(draft_id)
        engine.run_once()
        stopped = workspace.outbox.entry(draft_id)
        assert (stopped.state, stopped.stop_reason) == ("STOPPED", "portal_refused")
        new_id = int((stopped.last_error_params or {})["new_id"])
        banner = supplement_of(workspace.db, new_id)
        assert banner is not None and banner.note == NOTE and banner.progress == UNANSWERED

        workspace.dossiers.detach(new_id, workspace.dossiers.get(new_id).attachments[0].id)
        _attach(workspace, new_id, tmp_path / "nho.pdf", "bản quét vừa")
        assert workspace.outbox.submit(new_id).kind == "supplement"
        engine.run_once()
        poller.poll()
        assert len(portal_dossiers(small)) == 1
        [answered] = supplement_requests(workspace.db, parent_id)
        assert (answered.draft_id, answered.answered_by) == (
            new_id,
            supplement_id_of(workspace, new_id),
        )
    finally:
        small.stop()


# --- the last piece of a supplement: the FINISH intent ---------------------------------


def _item(workspace: Workspace, dossier_id: int) -> OutboxItem:
    with workspace.db.session() as session:
        item = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.dossier_id == dossier_id)
            .order_by(OutboxItem.id.desc())
        ).first()
        assert item is not None
        session.expunge(item)
        return item


def _dossier_count(workspace: Workspace) -> int:
    return len(workspace.dossiers.list())


def test_withdrawing_while_the_last_piece_is_sent_is_refused_and_changes_nothing(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, piece=PIECE
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=40)
    entry = workspace.outbox.submit(draft_id)
    dossiers_before = _dossier_count(workspace)
    refusals: list[tuple[int, UserError]] = []
    pieces: list[int] = []
    send = engine.portal.patch_upload

    def patch_upload(url: str, offset: int, data: bytes) -> Any:
        pieces.append(len(data))
        if offset + len(data) < entry.bytes_total:
            return send(url, offset, data)
        # The clerk presses "Rút và sửa" while the last piece is about to go out.
        with pytest.raises(UserError) as refused:
            workspace.outbox.withdraw(draft_id)
        refusals.append((offset + len(data), refused.value))
        item = _item(workspace, draft_id)
        assert (item.state, item.in_flight) == ("UPLOADING", "finish")
        assert workspace.dossiers.get(draft_id).state == "UPLOADING"
        [request] = supplement_requests(workspace.db, parent_id)
        assert request.draft_id == draft_id, "the request stays with the queued version"
        assert _dossier_count(workspace) == dossiers_before, "no new version was made"
        return send(url, offset, data)

    monkeypatch.setattr(engine.portal, "patch_upload", patch_upload)
    engine.run_once()
    assert len(pieces) > 3 and len(refusals) == 1
    [(end, refused)] = refusals
    assert end == entry.bytes_total and refused.code == E_SUPPLEMENT_FINISHING
    sentence = render(refused.code, refused.params, "vi")
    assert "đợi một lát" in sentence and "thử rút lại" in sentence and str(draft_id) in sentence

    poller.poll()
    done = _item(workspace, draft_id)
    assert (done.state, done.in_flight) == ("DONE", None)
    assert workspace.dossiers.get(draft_id).state == "SUBMITTED"
    assert _portal_rows(sandbox, "SELECT answered_by FROM supplement_requests") == [
        (supplement_id_of(workspace, draft_id),)
    ]
    with pytest.raises(UserError) as late:
        workspace.outbox.withdraw(draft_id)
    assert late.value.code == E_TOO_LATE, "once the portal took it, it is submitted"


@pytest.mark.parametrize("edited", [False, True], ids=["unchanged", "edited"])
def test_a_withdrawal_during_an_upload_stops_it_at_the_next_piece(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, edited: bool
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, piece=PIECE
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=40)
    first = workspace.outbox.submit(draft_id)
    assert first.bytes_total > 5 * PIECE
    sent: list[int] = []
    new_ids: list[int] = []
    send = engine.portal.patch_upload

    def patch_upload(url: str, offset: int, data: bytes) -> Any:
        answer = send(url, offset, data)
        sent.append(len(data))
        if len(sent) == 3:  # the clerk withdraws while the third piece is on the wire
            new_ids.append(workspace.outbox.withdraw(draft_id).id)
        return answer

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(engine.portal, "patch_upload", patch_upload)
        engine.run_once()
    assert len(sent) == 3, "no piece went out after the withdrawal"
    assert _item(workspace, draft_id).state == "WITHDRAWN"
    old_sid = supplement_id_of(workspace, draft_id)
    assert _portal_rows(sandbox, "SELECT id, state FROM supplements") == [(old_sid, "uploading")]
    [new_id] = new_ids

    if edited:
        _attach(workspace, new_id, tmp_path / "giay-kham.pdf", "giấy khám sức khỏe")
    entry = workspace.outbox.submit(new_id)
    expected_sid = supplement_id_of(workspace, new_id)
    assert (expected_sid != old_sid) if edited else (expected_sid == old_sid)
    with pytest.MonkeyPatch.context() as count:
        resent = _count_bytes(engine, count)
        engine.run_once()
    poller.poll()

    if edited:
        assert sum(resent) == entry.bytes_total, "the new supplement is sent whole"
    else:
        assert sum(resent) == entry.bytes_total - 3 * PIECE, "resumed where it stopped"
    assert _portal_rows(sandbox, "SELECT answered_by FROM supplement_requests") == [(expected_sid,)]
    [answered] = supplement_requests(workspace.db, parent_id)
    assert (answered.draft_id, answered.answered_by, answered.progress) == (
        new_id, expected_sid, SENT,
    )  # fmt: skip
    parent = workspace.dossiers.get(parent_id)
    assert portal_dossiers(sandbox) == [(parent.uuid, parent.receipt_no)]


class CrashedError(Exception):
    """The process died at a crash point (raised instead of os._exit, in process)."""


def _crash_at(monkeypatch: pytest.MonkeyPatch, wanted: Callable[[str], bool]) -> None:
    from desktop.sync import delivery, uploader

    def die(name: str) -> None:
        if wanted(name):
            raise CrashedError(name)

    for module in (delivery, uploader):
        monkeypatch.setattr(module, "crash_point", die)


@pytest.mark.parametrize("point", ["supplement.intent", "patch.sent"])
def test_a_crash_at_the_finish_intent_is_reconciled_and_the_request_answered_once(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path, point: str, run_cli: Any
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, piece=PIECE
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=40)
    entry = workspace.outbox.submit(draft_id)
    seen: list[str] = []

    def wanted(name: str) -> bool:
        seen.append(name)
        # patch.sent: die right after the last piece reached the portal (intent standing).
        return name == point and (point != "patch.sent" or "supplement.intent" in seen)

    with pytest.MonkeyPatch.context() as crash, pytest.raises(CrashedError):
        _crash_at(crash, wanted)
        engine.run_once()
    item = _item(workspace, draft_id)
    assert (item.state, item.in_flight) == ("UPLOADING", "finish")
    received = point == "patch.sent"
    portal_state = "received" if received else "uploading"
    assert _portal_rows(sandbox, "SELECT state FROM supplements") == [(portal_state,)]
    with pytest.raises(UserError) as refused:
        workspace.outbox.withdraw(draft_id)
    assert refused.value.code == E_SUPPLEMENT_FINISHING, "the outcome is not known yet"
    from_cli = run_cli("withdraw", str(draft_id))
    assert from_cli.code == 1 and "Hãy đợi một lát rồi thử rút lại" in from_cli.err
    assert _item(workspace, draft_id).state == "UPLOADING", "the command changed nothing"

    user = "xa-an-phu"
    restarted = make_engine(workspace, sandbox.url, user, piece=PIECE)
    with pytest.MonkeyPatch.context() as count:
        sent = _count_bytes(restarted, count)
        restarted.run_once()
    # Reconciled with a GET first: received → finished with nothing sent; not received →
    # the intent is cleared and the last piece goes out (once).
    assert sum(sent) == (
        0 if received else entry.bytes_total - (entry.bytes_total // PIECE) * PIECE
    )
    poller.poll()
    done = _item(workspace, draft_id)
    assert (done.state, done.in_flight) == ("DONE", None)
    assert workspace.dossiers.get(draft_id).state == "SUBMITTED"
    assert _portal_rows(sandbox, "SELECT id, state FROM supplements") == [
        (supplement_id_of(workspace, draft_id), "received")
    ]
    assert _portal_rows(sandbox, "SELECT answered_by FROM supplement_requests") == [
        (supplement_id_of(workspace, draft_id),)
    ]
    [answered] = supplement_requests(workspace.db, parent_id)
    assert (
        answered.answered_by == supplement_id_of(workspace, draft_id) and answered.progress == SENT
    )
    restarted.close()
    engine.close()  # the dead process's client (the poller above still used it)


def test_the_finish_intent_outlives_a_lost_answer_until_the_portal_is_asked_again(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, piece=PIECE
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=40)
    entry = workspace.outbox.submit(draft_id)
    send, put = engine.portal.patch_upload, engine.portal.put_supplement

    def lose_the_last_answer(url: str, offset: int, data: bytes) -> Any:
        answer = send(url, offset, data)
        if offset + len(data) == entry.bytes_total:
            raise PortalUnreachableError(engine.portal.base_url, "cable pulled")
        return answer

    def head(url: str) -> Any:
        raise PortalUnreachableError(engine.portal.base_url, "cable pulled")

    with pytest.MonkeyPatch.context() as cut:
        cut.setattr(engine.portal, "patch_upload", lose_the_last_answer)
        cut.setattr(engine.portal, "upload_state", head)
        engine.run_once()
    # The portal took the supplement; the engine does not know it yet.
    assert _portal_rows(sandbox, "SELECT state FROM supplements") == [("received",)]
    assert _item(workspace, draft_id).in_flight == "finish"
    refusals: list[str] = []

    def withdraw_then_put(uuid: str, sid: str, body: dict[str, Any]) -> Any:
        # The next attempt's PUT intent must not open a window for a withdrawal.
        with pytest.raises(UserError) as refused:
            workspace.outbox.withdraw(draft_id)
        refusals.append(refused.value.code)
        return put(uuid, sid, body)

    with pytest.MonkeyPatch.context() as count:
        sent = _count_bytes(engine, count)
        count.setattr(engine.portal, "put_supplement", withdraw_then_put)
        engine.sync_now()
        engine.run_once()
    assert refusals == [E_SUPPLEMENT_FINISHING] and sum(sent) == 0
    poller.poll()
    assert _item(workspace, draft_id).state == "DONE"
    assert workspace.dossiers.get(draft_id).state == "SUBMITTED"
    [answered] = supplement_requests(workspace.db, parent_id)
    assert (
        answered.answered_by == supplement_id_of(workspace, draft_id)
        and answered.draft_id == draft_id
    )


def test_a_portal_without_supplements_records_the_request_and_opens_no_draft(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    """Through an adapter that says it takes no supplements the officer's request shows on
    the parent, but no draft opens that could never be sent."""
    from portal_sandbox.lgsp_services import dossier_uuid

    user = register(sandbox.url)
    parent = valid_dossier(workspace, tmp_path / "f", "nosup")
    workspace.outbox.submit(parent.id)
    engine = make_engine(workspace, sandbox.url, user, adapter="lgsp")
    caps = dataclasses.replace(engine.portal.capabilities, supplements=False)
    cast(Any, engine.portal).capabilities = caps
    engine.run_once()
    receipt = workspace.dossiers.get(parent.id).receipt_no
    assert receipt is not None
    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{dossier_uuid(receipt)}/supplement",
        headers=sandbox.secret_headers, data={"note": "Bổ sung giấy khám"}, timeout=10,
    )  # fmt: skip
    assert response.status_code in (200, 303)
    StatusPoller(workspace.db, workspace.store, workspace.paths, workspace.events,
                 engine.portal).poll()  # fmt: skip
    [request] = supplement_requests(workspace.db, parent.id)
    assert request.note == "Bổ sung giấy khám" and request.draft_id is None
    assert workspace.dossiers.get(parent.id).portal_state == 5
    engine.close()


def test_the_lgsp_adapter_answers_a_supplement_once_when_the_answer_is_lost(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    """Through the service-style adapter: the draft opens from the request read in
    DanhSachHoSoBoSung, its file goes up with UploadFile, the DongBoHoSoMC that answers it
    commits but its response is lost. The FINISH intent stands; the next pass asks the
    platform, finds the request answered by this supplement and sends nothing again."""
    engine, poller, parent_id, draft_id = _request_supplement(
        workspace, sandbox, tmp_path, adapter="lgsp"
    )
    _attach(workspace, draft_id, tmp_path / "cccd.pdf", "bản sao CCCD", pages=3)
    workspace.outbox.submit(draft_id)
    updates: list[str] = []
    call = cast(Any, engine.portal).call

    def counting(service: str, **fields: Any) -> Any:
        if service == "DongBoHoSoMC":
            updates.append(str(fields["data"].get("DanhSachHoSoBoSung")))
        return call(service, **fields)

    reply = httpx.put(f"{sandbox.url}/sandbox/faults", headers=sandbox.secret_headers,
                      json={"lose_response": {"lgsp:DongBoHoSoMC": 1}}, timeout=10)  # fmt: skip
    assert reply.status_code == 200
    with pytest.MonkeyPatch.context() as count:
        count.setattr(engine.portal, "call", counting)
        engine.run_once()
        item = _item(workspace, draft_id)
        assert (item.state, item.in_flight) == ("UPLOADING", "finish")
        assert _portal_rows(sandbox, "SELECT state FROM supplements") == [("received",)]
        engine.sync_now()
        engine.run_once()
    assert len(updates) == 1, "the answer went out once"
    poller.poll()
    done = _item(workspace, draft_id)
    assert (done.state, done.in_flight) == ("DONE", None)
    assert workspace.dossiers.get(draft_id).state == "SUBMITTED"
    sid = supplement_id_of(workspace, draft_id)
    assert _portal_rows(sandbox, "SELECT answered_by FROM supplement_requests") == [(sid,)]
    [answered] = supplement_requests(workspace.db, parent_id)
    assert answered.answered_by == sid and answered.progress == SENT
    assert workspace.dossiers.get(parent_id).portal_state == 4
    engine.close()
