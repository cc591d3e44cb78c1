"""Export at the commune, import at the office: marks, queue, exactly one copy."""

from __future__ import annotations

import pytest

from desktop.errors import IntegrityError, UserError
from desktop.sync.items import QUEUED
from tests.core.bundles.helpers import Pair


def test_exported_dossiers_are_handed_over_and_enter_the_office_queue_with_their_uuids(
    pair: Pair,
) -> None:
    ids = pair.ready_dossiers(2)
    bundle = pair.export(ids)
    uuids = {pair.commune.dossiers.get(i).uuid for i in ids}
    assert None not in uuids
    assert {pair.commune.dossiers.get(i).state for i in ids} == {"HANDED_OVER"}

    result = pair.office.bundles.importer.import_bundle(
        bundle, trust_signer=pair.fingerprint()[:16]
    )
    assert set(result.added) == uuids and not result.skipped and result.trusted_now
    entries = pair.office.outbox.entries()
    assert {e.uuid for e in entries} == uuids
    assert {e.state for e in entries} == {QUEUED}
    for dossier_id in result.dossier_ids:
        dossier = pair.office.dossiers.get(dossier_id)
        assert dossier.state == "QUEUED"
        commune = [pair.commune.dossiers.get(i) for i in ids]
        original = next(d for d in commune if d.uuid == dossier.uuid)
        assert dossier.applicant == original.applicant
        assert [a.sha256 for a in dossier.attachments] == [a.sha256 for a in original.attachments]
        assert pair.office.store.path(dossier.attachments[0].sha256).is_file()


def test_the_same_bundle_twice_or_a_later_one_repeating_a_dossier_changes_nothing(
    pair: Pair,
) -> None:
    ids = pair.ready_dossiers(2)
    first = pair.export(ids[:1], "1.dvcb")
    importer = pair.office.bundles.importer
    importer.import_bundle(first, trust_signer=pair.fingerprint())
    again = importer.import_bundle(first)
    assert again.already_imported and not again.added
    assert len(pair.office.outbox.entries()) == 1

    pair.commune.bundles.exporter.take_back(ids[0], "gửi lại")
    second = pair.export(ids, "2.dvcb")
    later = importer.import_bundle(second)
    assert not later.already_imported
    assert later.skipped == (pair.commune.dossiers.get(ids[0]).uuid,)
    assert len(later.added) == 1
    assert len(pair.office.outbox.entries()) == 2


def test_a_handed_over_dossier_cannot_be_edited_or_submitted_until_taken_back(
    pair: Pair,
) -> None:
    (dossier_id,) = pair.ready_dossiers(1)
    pair.export([dossier_id])
    with pytest.raises(UserError) as edit:
        pair.commune.dossiers.set_fields(dossier_id, {"notes": "sửa"})
    assert edit.value.code == "dossier.handed_over"
    with pytest.raises(UserError) as submit:
        pair.commune.outbox.submit(dossier_id)
    assert submit.value.code == "dossier.handed_over"

    pair.commune.bundles.exporter.take_back(dossier_id, "xã có mạng trở lại")
    dossier = pair.commune.dossiers.get(dossier_id)
    assert dossier.state == "READY"
    notes = [h.note for h in pair.commune.dossiers.history(dossier_id)]
    assert any("Lấy lại hồ sơ đã chuyển đi" in n and "xã có mạng" in n for n in notes)
    entry = pair.commune.outbox.submit(dossier_id)
    assert entry.uuid == dossier.uuid  # the UUID minted at export: one dossier on the portal


def test_an_unknown_signer_needs_the_clerks_explicit_trust(pair: Pair) -> None:
    ids = pair.ready_dossiers(1)
    bundle = pair.export(ids)
    importer = pair.office.bundles.importer
    with pytest.raises(UserError) as refused:
        importer.import_bundle(bundle)
    assert refused.value.code == "bundle.untrusted_signer"
    message = refused.value.message()
    assert "NGUYỄN VĂN A" in message and "gồm 1 hồ sơ" in message
    assert pair.fingerprint() in message
    assert pair.office.outbox.entries() == []
    with pytest.raises(UserError) as wrong:
        importer.import_bundle(bundle, trust_signer="00" * 8)
    assert wrong.value.code == "bundle.trust_mismatch"
    assert importer.import_bundle(bundle, trust_signer=pair.fingerprint()[:16]).added


def test_only_ready_or_signed_dossiers_can_be_handed_over(pair: Pair) -> None:
    dossier = pair.commune.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    with pytest.raises(UserError) as refused:
        pair.export([dossier.id])
    assert refused.value.code == "bundle.not_exportable"
    assert pair.commune.dossiers.get(dossier.id).state == "DRAFT"


def test_a_bundle_that_cannot_be_written_leaves_the_dossiers_here(pair: Pair) -> None:
    ids = pair.ready_dossiers(1)
    target = pair.folder / "no-such-stick" / "x.dvcb"
    with pytest.raises(UserError):
        pair.commune.bundles.exporter.export(ids, target, pair.key())
    assert pair.commune.dossiers.get(ids[0]).state == "READY"


def test_a_damaged_stored_file_stops_the_export_and_leaves_no_bundle(pair: Pair) -> None:
    ids = pair.ready_dossiers(1)
    sha = pair.commune.dossiers.get(ids[0]).attachments[0].sha256
    blob = pair.commune.store.path(sha)
    data = bytearray(blob.read_bytes())
    data[100] ^= 0xFF
    blob.write_bytes(data)
    with pytest.raises(IntegrityError) as caught:
        pair.export(ids)
    assert caught.value.code == "sync.file_damaged"
    assert list((pair.folder / "usb").iterdir()) == []  # no part, no hidden partial file
    assert pair.commune.dossiers.get(ids[0]).state == "READY"
    notes = [h.note for h in pair.commune.dossiers.history(ids[0])]
    assert any("không ghi được" in n for n in notes)


def test_a_dossier_the_offices_catalog_finds_invalid_refuses_the_whole_bundle(
    pair: Pair,
) -> None:

    from desktop.settings import MAX_FILE_SIZE

    ids = pair.ready_dossiers(1)
    bundle = pair.export(ids)
    # The dossier keeps its edition (its checklist) at the office, but the office's own
    # rules still apply: here it accepts no file this large.
    pair.office.settings.set(MAX_FILE_SIZE, 10)
    with pytest.raises(UserError) as refused:
        pair.office.bundles.importer.import_bundle(bundle, trust_signer=pair.fingerprint())
    assert refused.value.code == "bundle.invalid_dossier"
    assert "Nguyễn Văn An" in refused.value.message()
    assert pair.office.outbox.entries() == []
    assert pair.office.dossiers.count() == 0
    assert not [p for p in pair.office.paths.blobs.rglob("*") if p.is_file()]
