"""Moving a dossier to a newer edition of its procedure: files follow their stable
component codes, the clerk is asked only about what cannot be mapped, nothing is lost."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from attachments.samples import pdf_bytes, write

from desktop.errors import UserError
from desktop.workspace import Workspace

from .conftest import GOOD_APPLICANT
from .test_checklist import NATIVE


def _edition_two(tmp_path: Path) -> Path:
    """Edition 2 keeps TP1 and TP2 (renamed), drops TP3, adds TP4."""
    second = copy.deepcopy(NATIVE)
    second["procedures"][0]["components"] = [
        {"code": "TP1", "name": "Đơn đề nghị (mẫu mới)", "required": True},
        {"code": "TP2", "name": "Bản sao giấy tờ tùy thân", "required": True},
        {"code": "TP4", "name": "Ảnh 3x4", "required": True},
    ]
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def ready(workspace: Workspace, files: Path, tmp_path: Path) -> int:
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(NATIVE, ensure_ascii=False), encoding="utf-8")
    workspace.catalog.import_file(first)
    service = workspace.dossiers
    dossier = service.create("P1")
    service.set_fields(dossier.id, GOOD_APPLICANT)
    for code, name in (("TP1", "don.pdf"), ("TP2", "cccd.pdf"), ("TP3", "anh.pdf")):
        service.attach(dossier.id, code, [write(files, name, pdf_bytes(1))])
    service.mark_ready(dossier.id)
    assert workspace.catalog.import_file(_edition_two(tmp_path)).updated == 1
    return dossier.id


def _placed(workspace: Workspace, dossier_id: int) -> dict[str, str]:
    return {a.name: a.component_code for a in workspace.dossiers.get(dossier_id).attachments}


def test_the_plan_shows_the_diff_and_asks_only_about_the_removed_component(
    workspace: Workspace, ready: int
) -> None:
    move = workspace.dossiers.plan_edition_move(ready)
    assert (move.old, move.new) == (1, 2)
    assert [c.code for c in move.diff.added] == ["TP4"]
    assert [c.code for c in move.diff.removed] == ["TP3"]
    assert move.questions() == ("TP3",) and move.unplaced[0].files == ("anh.pdf",)
    assert not move.complete


def test_without_an_answer_nothing_moves_and_the_message_says_what_to_do(
    workspace: Workspace, ready: int
) -> None:
    before = _placed(workspace, ready)
    with pytest.raises(UserError) as caught:
        workspace.dossiers.move_to_edition(ready)
    assert caught.value.code == "dossier.edition_unmapped"
    assert "--map TP3=" in caught.value.message() and "«anh.pdf»" in caught.value.message()
    with pytest.raises(UserError) as bad:
        workspace.dossiers.move_to_edition(ready, {"TP3": "TP9"})
    assert bad.value.code == "dossier.edition_bad_target"
    dossier = workspace.dossiers.get(ready)
    assert dossier.procedure_edition == 1 and dossier.state == "READY"
    assert _placed(workspace, ready) == before


def test_the_move_keeps_every_file_by_code_and_places_the_answered_ones(
    workspace: Workspace, ready: int
) -> None:
    dossier = workspace.dossiers.move_to_edition(ready, {"TP3": "TP4"})
    assert dossier.procedure_edition == 2
    assert dossier.state == "DRAFT"  # the checklist changed: the clerk checks it again
    assert _placed(workspace, ready) == {"don.pdf": "TP1", "cccd.pdf": "TP2", "anh.pdf": "TP4"}
    assert workspace.dossiers.newer_edition(ready) is None
    assert "Chuyển sang ấn bản 2" in workspace.dossiers.history(ready)[-1].note
    workspace.dossiers.mark_ready(ready)  # every component of edition 2 has its file
    with pytest.raises(UserError) as again:
        workspace.dossiers.move_to_edition(ready)
    assert again.value.code == "dossier.edition_not_newer"


def test_the_cli_shows_the_diff_asks_and_moves(run_cli: Any, tmp_path: Path, files: Path) -> None:
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(NATIVE, ensure_ascii=False), encoding="utf-8")
    assert run_cli("catalog", "import", str(first)).code == 0
    made = json.loads(run_cli("dossier", "new", "--procedure", "P1", "--json").out)
    attached = run_cli(
        "dossier", "attach", str(made["id"]), "TP3", str(write(files, "a.pdf", pdf_bytes(1)))
    )
    assert attached.code == 0, attached.err
    assert run_cli("catalog", "import", str(_edition_two(tmp_path))).code == 0
    dry = run_cli("dossier", "move-edition", str(made["id"]), "--dry-run")
    assert dry.code == 0, dry.err
    assert "+ thêm thành phần TP4" in dry.out and "cần --map TP3=MÃ_MỚI" in dry.out
    refused = run_cli("dossier", "move-edition", str(made["id"]))
    assert refused.code != 0 and "--map TP3=" in refused.err
    moved = run_cli("dossier", "move-edition", str(made["id"]), "--map", "TP3=TP4", "--json")
    assert moved.code == 0, moved.err
    answer = json.loads(moved.out)
    assert answer["moved"] and answer["to_edition"] == 2
    assert [a["component_code"] for a in answer["dossier"]["attachments"]] == ["TP4"]
