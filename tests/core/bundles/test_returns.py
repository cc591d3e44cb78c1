"""Return bundles: what the office's engine recorded goes back to the commune, which
records it as a poll would; a return bundle is for one commune only."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.paths import Paths
from desktop.sync.status import portal_view
from desktop.workspace import Workspace
from tests.core.bundles.helpers import Pair, commune_id, submitted_at_office


def _returns(pair: Pair) -> tuple[list[int], Path]:
    ids = pair.ready_dossiers(2)
    result = pair.office.bundles.importer.import_bundle(
        pair.export(ids), trust_signer=pair.fingerprint()
    )
    submitted_at_office(pair, result.dossier_ids[0], "H01-261201-0001")
    target = pair.folder / "usb" / "tra-ve.dvcb"
    pair.office.bundles.returns.export(
        commune_id(pair.commune), target, pair.key(), part_size=1 << 30
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
            commune_id(pair.commune), pair.folder / "r.dvcb", pair.key(), part_size=1 << 30
        )
    assert refused.value.code == "bundle.nothing_to_return"
