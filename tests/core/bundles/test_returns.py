"""Return bundles: what the office's engine recorded goes back to the commune, which
records it as a poll would; a return bundle is for one commune only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.bundles import records
from desktop.errors import UserError
from desktop.paths import Paths
from desktop.storage.outbox_models import (
    OutboxItem,
    PortalFee,
    PortalHistory,
    PortalStatus,
    ResultDocument,
    SupplementRequestRow,
)
from desktop.sync.items import DONE
from desktop.sync.status import portal_view
from desktop.workspace import Workspace
from tests.core.bundles.helpers import Pair
from tests.core.sync.factory import pdf


def _submitted_at_office(pair: Pair, dossier_id: int, receipt: str) -> None:
    """What the office's engine and poller write for a submitted, finished dossier."""
    ws, now = pair.office, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    result = pair.folder / f"{receipt}.pdf"
    result.write_bytes(pdf(f"ket qua {receipt}"))
    blob = ws.store.put(result, accepted=("application/pdf",))
    with ws.db.session() as session:
        item = session.query(OutboxItem).filter_by(dossier_id=dossier_id).one()
        item.state, item.receipt_no, item.submitted_at = DONE, receipt, now
        session.add(PortalStatus(dossier_id=dossier_id, uuid=item.uuid, state=10,
                                 state_name="Đã trả kết quả", receipt_no=receipt,
                                 portal_updated_at=now, polled_at=now))  # fmt: skip
        for state, name in ((1, "Mới đăng ký"), (2, "Được tiếp nhận"), (10, "Đã trả kết quả")):
            session.add(PortalHistory(dossier_id=dossier_id, state=state, state_name=name, at=now))
        session.add(PortalFee(dossier_id=dossier_id, fee_id="le-phi", description="Lệ phí",
                              amount=100000, paid=False))  # fmt: skip
        session.add(SupplementRequestRow(dossier_id=dossier_id, request_id="bs1",
                                         note="Bổ sung bản sao CCCD", requested_at=now,
                                         answered_by="s9"))  # fmt: skip
        session.add(ResultDocument(dossier_id=dossier_id, result_id="r1", name=f"{receipt}.pdf",
                                   sha256=blob.sha256, size=blob.size, blob_sha256=blob.sha256,
                                   signature_valid=True, signature_detail="ok"))  # fmt: skip


def _commune_id(ws: Workspace) -> str:
    with ws.db.session() as session:
        return records.workspace_id(session, datetime.now(UTC))


def _returns(pair: Pair) -> tuple[list[int], Path]:
    ids = pair.ready_dossiers(2)
    result = pair.office.bundles.importer.import_bundle(
        pair.export(ids), trust_signer=pair.fingerprint()
    )
    _submitted_at_office(pair, result.dossier_ids[0], "H01-261201-0001")
    target = pair.folder / "usb" / "tra-ve.dvcb"
    pair.office.bundles.returns.export(
        _commune_id(pair.commune), target, pair.key(), part_size=1 << 30
    )
    return ids, target


def test_the_commune_sees_the_receipt_history_and_result_of_what_the_office_submitted(
    pair: Pair,
) -> None:
    ids, target = _returns(pair)
    importer = pair.commune.bundles.importer
    result = importer.import_bundle(target, trust_signer=pair.fingerprint())
    assert len(result.added) == 1  # only the submitted dossier travels back
    first = pair.commune.dossiers.get(ids[0])
    assert first.state == "SUBMITTED" and first.receipt_no == "H01-261201-0001"
    assert first.portal_state == 10
    view = portal_view(pair.commune.db, ids[0])
    assert [h["state"] for h in view["history"]] == [1, 2, 10]  # type: ignore[index]
    assert [(f["description"], f["amount"]) for f in view["fees"]] == [("Lệ phí", 100000)]  # type: ignore[index]
    (request,) = view["supplement_requests"]  # type: ignore[misc]
    assert request["note"] == "Bổ sung bản sao CCCD" and request["answered_by"] == "s9"
    (document,) = view["results"]  # type: ignore[misc]
    assert pair.commune.store.path(document["blob_sha256"]).is_file()
    assert pair.commune.dossiers.get(ids[1]).state == "HANDED_OVER"
    assert importer.import_bundle(target).already_imported


def test_a_return_bundle_for_another_commune_is_refused(pair: Pair, tmp_path: Path) -> None:
    _ids, target = _returns(pair)
    other = Workspace(Paths(tmp_path / "other"))
    try:
        with pytest.raises(UserError) as refused:
            other.bundles.importer.import_bundle(target, trust_signer=pair.fingerprint())
        assert refused.value.code == "bundle.wrong_workspace"
    finally:
        other.close()


def test_nothing_to_return_before_the_office_submitted(pair: Pair) -> None:
    ids = pair.ready_dossiers(1)
    pair.office.bundles.importer.import_bundle(pair.export(ids), trust_signer=pair.fingerprint())
    with pytest.raises(UserError) as refused:
        pair.office.bundles.returns.export(
            _commune_id(pair.commune), pair.folder / "r.dvcb", pair.key(), part_size=1 << 30
        )
    assert refused.value.code == "bundle.nothing_to_return"
