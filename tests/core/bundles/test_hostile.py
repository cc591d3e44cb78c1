"""Sticks are hostile: every damaged, cut, forged or escaping bundle is refused with a
message, and the office's data stays exactly as it was (nothing written)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.bundles.container import PART_LIMIT, parts_of
from desktop.bundles.manifest import canonical
from desktop.errors import DvcError
from desktop.storage import models
from desktop.storage.bundle_models import BundleImport, TrustedSigner
from desktop.storage.outbox_models import OutboxItem
from desktop.workspace import Workspace
from tests.core.bundles.craft import Entries, read_entries, rewrite, write_entries
from tests.core.bundles.helpers import Pair, big_pdf


def snapshot(ws: Workspace) -> dict[str, Any]:
    """Everything an import could write: rows and files."""
    with ws.db.session() as session:
        counts = {
            table.__name__: session.scalar(select(func.count()).select_from(table))
            for table in (models.Dossier, models.Blob, OutboxItem, BundleImport, TrustedSigner)
        }
    files = sorted(
        str(p.relative_to(ws.paths.root)) for p in ws.paths.blobs.rglob("*") if p.is_file()
    )
    temps = sorted(p.name for p in ws.paths.tmp.iterdir())
    return {"rows": counts, "blobs": files, "tmp": temps}


def refused(pair: Pair, bundle: Path, code: str | None = None) -> DvcError:
    before = snapshot(pair.office)
    with pytest.raises(DvcError) as caught:
        pair.office.bundles.importer.import_bundle(bundle, trust_signer=pair.fingerprint())
    assert snapshot(pair.office) == before, "nothing written"
    if code is not None:
        assert caught.value.code == code, caught.value.message()
    assert caught.value.code.startswith("bundle."), caught.value.code
    return caught.value


@pytest.fixture
def bundle(pair: Pair) -> Path:
    ids = pair.ready_dossiers(2)
    return pair.export(ids)


def test_a_bundle_cut_short_anywhere_is_refused(pair: Pair, bundle: Path) -> None:
    data = bundle.read_bytes()
    cut = pair.folder / "cut.dvcb"
    for keep in (len(data) - 1, len(data) - 1024, len(data) - 1500, len(data) // 2, 700, 100):
        cut.write_bytes(data[:keep])
        error = refused(pair, cut)
        assert error.code in ("bundle.truncated", "bundle.not_a_bundle")
    cut.write_bytes(data[: len(data) // 2])
    assert "bị thiếu phần cuối" in refused(pair, cut, "bundle.truncated").message()


def test_one_byte_changed_anywhere_is_refused(pair: Pair, bundle: Path) -> None:
    data = bytearray(bundle.read_bytes())
    changed = pair.folder / "changed.dvcb"
    # The name, size and checksum fields of every header; every 5th other byte of the
    # headers, padding, manifest, signature and end blocks; every 127th byte of data.
    structure = sorted(_structure(bundle))
    offsets = sorted(
        {o for i, o in enumerate(structure) if i % 9 == 0 or o % 512 < 160}
        | set(range(0, len(data), 211))
    )
    for offset in offsets:
        copy = bytearray(data)
        copy[offset] ^= 0x01
        changed.write_bytes(copy)
        refused(pair, changed)
    assert len(offsets) > 500, len(offsets)


def _structure(bundle: Path) -> set[int]:
    """Offsets of every byte that is not entry data, plus the whole manifest and signature."""
    entries, _ = read_entries(bundle)
    offsets: set[int] = set()
    pos = 0
    for name, data in entries:
        offsets |= set(range(pos, pos + 512))
        body = pos + 512
        end = body + len(data) + (-len(data) % 512)
        data_end = body + len(data)
        offsets |= set(range(data_end, end))
        if name in ("manifest.json", "manifest.sig", "bundle.json"):
            offsets |= set(range(body, data_end))
        pos = end
    offsets |= set(range(pos, pos + 1024))
    return offsets


def test_a_replaced_attachment_with_a_matching_manifest_entry_fails_the_signature(
    pair: Pair, bundle: Path
) -> None:
    def swap(entries: Entries) -> Entries:
        forged = b"%PDF-1.4 forged scan\n%%EOF\n"
        sha = hashlib.sha256(forged).hexdigest()
        victim = next(n for n, _ in entries if n.startswith("attachments/"))
        old = victim.split("/")[1]
        result: Entries = []
        for name, data in entries:
            if name == victim:
                result.append((f"attachments/{sha}", forged))
            elif name.startswith("dossiers/"):
                result.append((name, data.replace(old.encode(), sha.encode())))
            elif name == "manifest.json":
                manifest = json.loads(data)
                for entry in manifest["entries"]:
                    if entry["name"] == victim:
                        entry.update(name=f"attachments/{sha}", sha256=sha, size=len(forged))
                result.append((name, canonical(manifest)))
            else:
                result.append((name, data))
        return result

    forged = rewrite(bundle, pair.folder / "forged.dvcb", swap)
    error = refused(pair, forged, "bundle.bad_signature")
    assert "bị sửa sau khi ký" in error.message()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.txt", "thoát ra ngoài"),
        ("attachments/../../evil.txt", "thoát ra ngoài"),
        ("/etc/passwd", "tuyệt đối"),
        ("C:/Windows/evil.dll", "tuyệt đối"),
        ("\\\\server\\share\\evil", "tuyệt đối"),
        ("NUL", "thiết bị"),
        ("dossiers/CON.json", "thiết bị"),
        ("attachments/com1.txt", "thiết bị"),
        ("attachments/a|b", "ký tự Windows không cho phép"),
        ("attachments/tên?.pdf", "ký tự Windows không cho phép"),
        ("attachments/dot.", "dấu chấm"),
    ],
)
def test_entries_whose_names_escape_or_windows_cannot_store_are_refused(
    pair: Pair, bundle: Path, name: str, why: str
) -> None:
    def insert(entries: Entries) -> Entries:
        return [*entries[:2], (name, b"x"), *entries[2:]]

    hostile = rewrite(bundle, pair.folder / "hostile.dvcb", insert)
    error = refused(pair, hostile, "bundle.unsafe_name")
    assert why in error.message()
    assert not (pair.folder / "evil.txt").exists()
    assert not (pair.office.paths.root / "evil.txt").exists()


def test_a_large_bundle_is_split_into_parts_and_joined_on_import(pair: Pair) -> None:
    assert PART_LIMIT < 4 * 1024**3  # each part fits a FAT32 stick
    ids = pair.ready_dossiers(3)
    # Attach a 1.5 MiB scan to each, so the bundle needs several parts of 1 MiB.
    for index, dossier_id in enumerate(ids):
        _add_big_scan(pair, dossier_id, index)
    first = pair.export(ids, "lon.dvcb", part_size=1024 * 1024)
    parts = parts_of(first)
    assert len(parts) >= 4
    assert all(p.stat().st_size <= 1024 * 1024 for p in parts)
    assert [p.name for p in parts[:2]] == ["lon.dvcb", "lon.dvcb.002"]

    missing = pair.folder / "thieu"
    missing.mkdir()
    for part in parts[:-1]:
        shutil.copy(part, missing / part.name)
    refused(pair, missing / "lon.dvcb", "bundle.truncated")

    result = pair.office.bundles.importer.import_bundle(first, trust_signer=pair.fingerprint())
    assert len(result.added) == 3


def _add_big_scan(pair: Pair, dossier_id: int, index: int) -> None:
    ws = pair.commune
    dossier = ws.dossiers.get(dossier_id)
    ws.dossiers.back_to_draft(dossier_id)
    path = pair.folder / f"scan{index}.pdf"
    path.write_bytes(big_pdf(index, 1536 * 1024))
    ws.dossiers.attach(dossier_id, dossier.attachments[0].component_code, [path])
    ws.dossiers.mark_ready(dossier_id)


@pytest.mark.parametrize("name", ["CON.dvcb", "a:b.dvcb", "gói?.dvcb", "bad.dvcb.", "LPT1"])
def test_a_bundle_name_windows_cannot_store_is_refused_before_anything(
    pair: Pair, name: str
) -> None:
    ids = pair.ready_dossiers(1)
    with pytest.raises(DvcError) as caught:
        pair.export(ids, name)
    assert caught.value.code == "bundle.bad_output_name"
    assert pair.commune.dossiers.get(ids[0]).state == "READY"
    assert list((pair.folder / "usb").iterdir()) == []


def test_not_a_bundle_and_a_newer_format_are_told_apart(pair: Pair, bundle: Path) -> None:
    junk = pair.folder / "anh.dvcb"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000)
    refused(pair, junk, "bundle.not_a_bundle")

    def newer(entries: Entries) -> Entries:
        marker = canonical({"format": "dvc-desk-bundle", "version": 2})
        return [("bundle.json", marker), *entries[1:]]

    future = rewrite(bundle, pair.folder / "moi.dvcb", newer)
    assert "Hãy cập nhật dvc-desk" in refused(pair, future, "bundle.newer_format").message()


def test_trailing_bytes_or_a_stray_part_after_the_end_are_refused(pair: Pair, bundle: Path) -> None:
    entries, mtime = read_entries(bundle)
    longer = pair.folder / "dai.dvcb"
    write_entries(longer, entries, mtime)
    with longer.open("ab") as out:
        out.write(b"\0" * 512)
    refused(pair, longer, "bundle.damaged")
    stray = pair.folder / "stray.dvcb"
    shutil.copy(bundle, stray)
    (pair.folder / "stray.dvcb.002").write_bytes(b"leftover of another bundle")
    refused(pair, stray, "bundle.damaged")


def test_a_signed_bundle_whose_dossier_document_is_missing_is_refused_not_crashed(
    pair: Pair, bundle: Path
) -> None:
    """A trusted signer's own mistake (a dossier listed but not carried) is a refusal."""
    from desktop.bundles.manifest import build, sign
    from desktop.bundles.manifest import parse as parse_manifest

    def drop_dossier(entries: Entries) -> Entries:
        kept = [e for e in entries if not e[0].startswith("dossiers/")][:-2]
        manifest = parse_manifest(dict(entries)["manifest.json"])
        from desktop.bundles.manifest import Entry

        raw = build(
            kind=manifest.kind, workspace=manifest.workspace, sequence=manifest.sequence,
            created_at=manifest.created_at,
            entries=[Entry(n, len(d), hashlib.sha256(d).hexdigest()) for n, d in kept],
            dossiers=manifest.dossiers, certificate=manifest.certificate,
        )  # fmt: skip
        return [*kept, ("manifest.json", raw), ("manifest.sig", sign(raw, pair.key()))]

    broken = rewrite(bundle, pair.folder / "thieu-ho-so.dvcb", drop_dossier)
    error = refused(pair, broken, "bundle.damaged")
    assert "dossiers/" in error.message()
