from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.errors import render
from desktop.sandbox.server import ThreadedSandbox
from desktop.sync.status import StatusPoller
from desktop.sync.supplements import (
    E_NO_DOCUMENT,
    SENDING,
    SENT,
    UNANSWERED,
    supplement_of,
    supplement_problems,
    supplement_requests,
)
from desktop.workspace import Workspace

from .factory import pdf, valid_dossier
from .portal import make_engine, register, start_sandbox


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
                          engine.wire)  # fmt: skip
    engine.run_once()
    submitted = workspace.dossiers.get(parent.id)
    assert submitted.uuid is not None and submitted.receipt_no is not None
    assert supplement_of(workspace.db, parent.id) is None, "the parent answers nothing"
    assert supplement_requests(workspace.db, parent.id) == []

    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{submitted.uuid}/supplement",
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
    assert answered.answered_by == f"s{draft.id}" and answered.answered


def test_the_no_document_problem_says_what_to_do() -> None:
    [problem] = supplement_problems(0)
    assert problem.field == "components" and problem.severity == "error"
    sentence = render(problem.code, problem.params, "vi")
    assert "Thêm tệp" in sentence and "Nộp bổ sung" in sentence
