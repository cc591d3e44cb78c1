from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.sync.events import PaymentChanged, PortalStatusChanged, ResultDownloaded
from desktop.sync.payments import Payments
from desktop.sync.status import StatusPoller, portal_view, signature_verifier
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox

from .factory import pdf, valid_dossier
from .portal import make_engine, register, start_sandbox, supplement_id_of


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    server = start_sandbox(tmp_path / "portal")
    yield server
    server.stop()


def _officer(sandbox: ThreadedSandbox, uuid: str, action: str, **form: object) -> None:
    response = httpx.post(
        f"{sandbox.url}/sandbox/officer/{uuid}/{action}", headers=sandbox.secret_headers, data=form
    )
    assert response.status_code in (200, 303), response.text


def test_the_dossier_follows_the_portal_through_fees_payment_supplement_and_result(
    workspace: Workspace, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    user = register(sandbox.url)
    dossier = valid_dossier(workspace, tmp_path / "f", "after")
    workspace.outbox.submit(dossier.id)
    engine = make_engine(workspace, sandbox.url, user)
    poller = StatusPoller(
        workspace.db, workspace.store, workspace.paths, workspace.events, engine.portal,
        verify=signature_verifier(None, (sandbox.config.pki / "ca.pem",)),
    )  # fmt: skip
    seen: list[object] = []
    for kind in (PortalStatusChanged, PaymentChanged, ResultDownloaded):
        workspace.events.subscribe(kind, seen.append)
    engine.run_once()
    uuid = workspace.dossiers.get(dossier.id).uuid
    assert uuid is not None

    _officer(sandbox, uuid, "accept")
    _officer(sandbox, uuid, "fees", description="Phí thẩm định", amount=500000)
    assert poller.poll() == 1
    assert workspace.dossiers.get(dossier.id).portal_state == 6
    view = portal_view(workspace.db, dossier.id)
    assert [h["state"] for h in view["history"]] == [1, 2, 6]  # type: ignore[index]
    assert view["fees"][0]["amount"] == 500000  # type: ignore[index]
    assert poller.poll() == 0, "the cursor remembers what was seen"

    payments = Payments(
        workspace.db, workspace.store, workspace.paths, workspace.events, engine.portal,
        sleep=lambda _s: httpx.post(
            started.payment_url, data={"action": "pay", "method": "Vietcombank"}
        ),
    )  # fmt: skip
    started = payments.start(dossier.id)
    assert started.amount == 500000 and "/sandbox/pay/" in started.payment_url
    final = payments.follow(started.ref, timeout=30, interval=0.01)
    assert final.state == "paid" and final.receipt_sha256 is not None
    assert workspace.store.path(final.receipt_sha256).read_bytes().startswith(b"%PDF")
    poller.poll()
    assert portal_view(workspace.db, dossier.id)["fees"][0]["paid"] is True  # type: ignore[index]

    _officer(sandbox, uuid, "supplement", note="Bổ sung bản sao CCCD có chứng thực")
    poller.poll()
    request = portal_view(workspace.db, dossier.id)["supplement_requests"][0]  # type: ignore[index]
    draft = workspace.dossiers.get(request["draft_dossier_id"])
    assert draft.state == "DRAFT" and "Bổ sung bản sao CCCD" in draft.notes
    assert workspace.dossiers.get(dossier.id).portal_state == 5

    extra = tmp_path / "cccd.pdf"
    extra.write_bytes(pdf("bản sao CCCD"))
    workspace.dossiers.attach(draft.id, "TP2", [extra])
    item = workspace.outbox.submit(draft.id)
    assert item.kind == "supplement" and item.uuid == uuid
    engine.run_once()
    assert workspace.dossiers.get(draft.id).state == "SUBMITTED"
    poller.poll()
    assert workspace.dossiers.get(dossier.id).portal_state == 4, "supplement received"
    answered = portal_view(workspace.db, dossier.id)["supplement_requests"][0]  # type: ignore[index]
    assert answered["answered_by"] == supplement_id_of(workspace, draft.id)

    _officer(sandbox, uuid, "finish", result="Cấp chứng chỉ hành nghề dược")
    poller.poll()
    assert workspace.dossiers.get(dossier.id).portal_state == 10
    result = portal_view(workspace.db, dossier.id)["results"][0]  # type: ignore[index]
    assert result["signature_valid"] is True, result["signature_detail"]
    assert workspace.store.path(result["blob_sha256"]).exists()
    assert PortalStatusChanged(dossier.id, 6, "Yêu cầu thực hiện nghĩa vụ tài chính") in seen
    assert any(isinstance(e, ResultDownloaded) and e.signature_valid for e in seen)
    assert any(isinstance(e, PaymentChanged) and e.state == "paid" for e in seen)
