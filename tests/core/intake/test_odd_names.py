"""Odd file names never stop a batch or a watched folder: a name that is not UTF-8, a
255-byte name, NFD names (macOS, some scanners). Each odd file is one "needs a person"
entry; the rest goes on, and a rerun resumes past it."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from scanfakes import quadrants, save
from test_batch import FakeDossiers

from desktop.intake.batch import BatchRun
from desktop.intake.journal import Journal
from desktop.intake.rules import Rule
from desktop.intake.watch import FolderWatch

LONG = "TP1_" + "a" * 247 + ".jpg"  # 255 bytes, the most ext4 allows


def _bytes_name(folder: Path, name: bytes) -> Path:
    return folder / os.fsdecode(name)  # surrogate escapes stand for the raw bytes


def make_odd_tree(root: Path) -> Path:
    first, second, third = root / "ho-so-01", root / "ho-so-02", root / "ho-so-03"
    for folder in (first, second, third):
        folder.mkdir(parents=True)
    save(quadrants(), _bytes_name(first, b"TP1_\xff\xfe scan.jpg"), dpi=(300, 300))
    save(quadrants(), first / "TP2_giay.jpg", dpi=(300, 300))
    save(quadrants(), second / LONG, dpi=(300, 300))
    save(quadrants(), second / "TP2_giay.jpg", dpi=(300, 300))
    nfd = unicodedata.normalize("NFD", "đơn đề nghị.jpg")
    save(quadrants(), third / nfd, dpi=(300, 300))
    save(quadrants(), third / "TP2_giay.jpg", dpi=(300, 300))
    return root


def test_batch_goes_past_odd_names_and_resumes(tmp_path: Path) -> None:
    root = make_odd_tree(tmp_path / "lo")
    sink = FakeDossiers()
    rules = [Rule("đơn*.jpg", "TP1", 1)]  # typed in NFC, as every keyboard does
    journal_dir = tmp_path / "journal"
    report = BatchRun(root, sink, Journal(journal_dir, "P"), rules=rules).run()

    assert [f.folder for f in report.folders] == ["ho-so-01", "ho-so-02", "ho-so-03"]
    first, second, third = report.folders
    assert first.dossier_id is not None and second.dossier_id is not None
    # The undecodable name is attached (shown escaped) or named as needing a person.
    assert any("TP1" in a for a in first.attached) or first.needs_person
    assert any(a.startswith("TP1") for a in second.attached), second
    assert any(a.startswith("TP1") for a in third.attached), third  # NFD matched NFC
    for folder in report.folders:
        assert any(a.startswith("TP2") for a in folder.attached)
    for path in journal_dir.rglob("*"):
        assert len(path.name.encode()) <= 100

    again = BatchRun(root, sink, Journal(journal_dir, "P"), rules=rules).run()
    assert all(f.skipped for f in again.folders)
    assert len(sink.dossiers) == 3


class Sink:
    max_size = None

    def __init__(self) -> None:
        self.names: list[str] = []

    def holds(self, sha256: str) -> bool:
        return False

    def attach(self, pdf: Path) -> None:
        assert len(pdf.name.encode()) <= 255
        self.names.append(pdf.name)


def test_watch_takes_odd_names(tmp_path: Path) -> None:
    folder = tmp_path / "scanner"
    folder.mkdir()
    save(quadrants(), _bytes_name(folder, b"scan-\xff.jpg"), dpi=(300, 300))
    save(quadrants(), folder / ("b" * 251 + ".jpg"), dpi=(300, 300))
    save(quadrants(), folder / "ok.jpg", dpi=(300, 300))
    now = [0.0]
    watch = FolderWatch(folder, Sink(), settle=1, clock=lambda: now[0], sleep=lambda s: None)
    watch.poll()
    now[0] = 5.0
    outcomes = watch.poll()
    assert len(outcomes) == 3
    assert all(o.status == "attached" for o in outcomes), outcomes
    assert not [p for p in folder.iterdir() if p.is_file()]  # all moved to done/


def test_cli_batch_with_real_dossiers_and_odd_names(run_cli, workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scanfakes import numbered_pdf

    procedure = "BYT-DUOC-CCHN-CAP-LAI-THI"
    root = tmp_path / "lo"
    for number in (1, 2, 3):
        (root / f"ho-so-{number}").mkdir(parents=True)
    save(quadrants(), _bytes_name(root / "ho-so-1", b"TP1_\xff.jpg"), dpi=(300, 300))
    numbered_pdf(tmp_path / "a.pdf", 1).rename(_bytes_name(root / "ho-so-1", b"TP2_\xfe.pdf"))
    save(quadrants(), root / "ho-so-2" / LONG, dpi=(300, 300))
    numbered_pdf(tmp_path / "b.pdf", 1).rename(root / "ho-so-2" / ("TP2_" + "b" * 247 + ".pdf"))
    nfd = unicodedata.normalize("NFD", "TP1_đơn.jpg")
    save(quadrants(), root / "ho-so-3" / nfd, dpi=(300, 300))
    numbered_pdf(root / "ho-so-3" / "TP2_bang.pdf", 1)
    (root / "ho-so-3" / "fields.txt").write_text("applicant.name = Lê Văn C\n", "utf-8")

    first = run_cli("intake", "batch", str(root), "--procedure", procedure, "--json")
    assert first.code == 0, first.err
    folders = json.loads(first.out)["folders"]
    assert len(folders) == 3
    for folder in folders:
        codes = sorted(a.split(":")[0] for a in folder["attached"])
        assert codes == ["TP1", "TP2"], folder
    for folder in folders:
        for attachment in workspace.dossiers.get(folder["dossier_id"]).attachments:
            assert len(attachment.name.encode()) <= 255
            attachment.name.encode()  # valid text (no lone surrogates)
    again = run_cli("intake", "batch", str(root), "--procedure", procedure)
    assert again.code == 0
    assert workspace.dossiers.count() == 3
