"""`dvc-desk intake watch` and `intake batch` against real draft dossiers."""

from __future__ import annotations

import json
from pathlib import Path

from scanfakes import numbered_pdf, quadrants, save

from desktop.workspace import Workspace

PROCEDURE = "BYT-DUOC-CCHN-CAP-LAI-THI"  # bundled catalog: TP1 and TP2 required


def attachments(workspace: Workspace, dossier_id: int) -> list[tuple[str, str]]:
    return [(a.component_code, a.name) for a in workspace.dossiers.get(dossier_id).attachments]


def test_watch_once_attaches_scans_to_the_chosen_component(
    run_cli, workspace: Workspace, scans: Path
) -> None:  # type: ignore[no-untyped-def]
    dossier = workspace.dossiers.create(PROCEDURE)
    save(quadrants(), scans / "scan001.jpg", dpi=(300, 300))
    numbered_pdf(scans / "scan002.pdf", 2)
    args = ["--dossier", str(dossier.id), "--component", "TP2", "--once", "--settle", "0"]
    result = run_cli("intake", "watch", str(scans), *args, "--interval", "0.01")
    assert result.code == 0, result.err
    assert "scan001.jpg: đã đính kèm vào TP2 thành scan001.pdf" in result.out
    assert attachments(workspace, dossier.id) == [("TP2", "scan001.pdf"), ("TP2", "scan002.pdf")]
    assert sorted(p.name for p in (scans / "done").iterdir()) == ["scan001.jpg", "scan002.pdf"]


def test_watch_refuses_an_unknown_component_or_dossier(
    run_cli, workspace: Workspace, scans: Path
) -> None:  # type: ignore[no-untyped-def]
    dossier = workspace.dossiers.create(PROCEDURE)
    wrong = run_cli("intake", "watch", str(scans), "--dossier", str(dossier.id),
                    "--component", "TP9", "--once")  # fmt: skip
    assert wrong.code == 1 and "TP9" in wrong.err and "TP1" in wrong.err
    missing = run_cli("intake", "watch", str(scans), "--dossier", "999",
                      "--component", "TP1", "--once")  # fmt: skip
    assert missing.code == 1 and "999" in missing.err


def test_batch_makes_one_draft_per_folder_and_a_second_run_adds_nothing(
    run_cli, workspace: Workspace, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "lo-1"
    for name in ("ho-so-a", "ho-so-b"):
        (root / name).mkdir(parents=True)
        save(quadrants(), root / name / "TP1_don.jpg", dpi=(300, 300))
        numbered_pdf(root / name / "TP2_bang.pdf", 1)
    save(quadrants(), root / "ho-so-b" / "la.jpg", dpi=(300, 300))
    (root / "ho-so-a" / "fields.txt").write_text("applicant.name = Trần Văn B\n", "utf-8")
    first = run_cli("intake", "batch", str(root), "--procedure", PROCEDURE, "--json")
    assert first.code == 0, first.err
    folders = json.loads(first.out)["folders"]
    ids = [f["dossier_id"] for f in folders]
    assert [f["created"] for f in folders] == [True, True]
    for dossier_id in ids:
        assert attachments(workspace, dossier_id) == [
            ("TP1", "TP1_don.pdf"),
            ("TP2", "TP2_bang.pdf"),
        ]
        assert workspace.dossiers.get(dossier_id).state == "DRAFT"
    assert workspace.dossiers.get(ids[0]).applicant.name == "Trần Văn B"
    assert "không rõ thuộc thành phần nào: la.jpg" in folders[1]["needs_person"]
    assert (root / ".dvc-intake-batch" / "batch.json").exists()
    again = run_cli("intake", "batch", str(root), "--procedure", PROCEDURE)
    assert again.code == 0 and "đã xong ở lần chạy trước" in again.out
    assert workspace.dossiers.count() == 2
    assert len(workspace.dossiers.get(ids[1]).attachments) == 2


def test_batch_with_a_rules_file_and_an_explicit_journal(
    run_cli, workspace: Workspace, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "lo-2"
    (root / "ho-so").mkdir(parents=True)
    save(quadrants(), root / "ho-so" / "don.jpg", dpi=(300, 300))
    rules = tmp_path / "rules.txt"
    rules.write_text("don*.jpg = TP1\n", "utf-8")
    journal = tmp_path / "journal"
    result = run_cli("intake", "batch", str(root), "--procedure", PROCEDURE,
                     "--map", str(rules), "--journal", str(journal))  # fmt: skip
    assert result.code == 0, result.err
    [record] = [json.loads(p.read_text("utf-8")) for p in (journal / "folders").iterdir()]
    dossier_id = record["dossier_id"]
    assert record["name"] == "ho-so" and not (root / ".dvc-intake-batch").exists()
    assert attachments(workspace, dossier_id) == [("TP1", "don.pdf")]
    unknown = run_cli("intake", "batch", str(root), "--procedure", "KHONG-CO")
    assert unknown.code == 1 and "KHONG-CO" in unknown.err
