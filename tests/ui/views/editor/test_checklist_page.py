"""The components tab over the real core and the portal's real records: the case, the
"cần kiểm tra" components, "không áp dụng cho hồ sơ này" and the newer-edition notice."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import TAB_FILES, DossierEditor

RECORDS = Path(__file__).resolve().parents[4] / "resources" / "catalog" / "dvcqg"
RESIDENCE = "1.010038"  # Tách hộ: two cases, a "*Lưu ý:" row
PROOF = "000.00.00.G01-KQ003626"  # only in case TH1


@pytest.fixture
def editor(qtbot, workspace: Workspace, tasks: TaskManager) -> Iterator[DossierEditor]:
    workspace.catalog.import_file(RECORDS, "dvcqg")
    dossier = workspace.dossiers.create(RESIDENCE)
    widget = DossierEditor(
        workspace.dossiers, workspace.outbox, tasks, blob_path=workspace.store.path
    )
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    with qtbot.waitSignal(widget.sig_loaded, timeout=5000):
        widget.open_dossier(dossier.id)
    widget.tabs.setCurrentIndex(TAB_FILES)
    yield widget
    widget.autosave.flush()
    qtbot.waitUntil(lambda: not widget.autosave.busy, timeout=5000)


def test_the_clerk_chooses_the_case_and_decides_on_each_unclear_component(
    qtbot, editor: DossierEditor, workspace: Workspace
) -> None:
    page = editor.files_page
    combo = page.case_combo
    assert combo.isVisibleTo(page) and combo.currentData() is None
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "TH1", "TH2"]
    combo.activated.emit(combo.findData("TH1"))
    qtbot.waitUntil(lambda: combo.count() == 2 and combo.currentData() == "TH1", timeout=5000)
    assert workspace.dossiers.get(editor.dossier.id).case_code == "TH1"  # type: ignore[union-attr]
    checklist = page.checklist
    row = checklist.item_of_component(PROOF)
    assert row is not None and row.text(1) == "cần kiểm tra"
    assert checklist.item_of_component("000.00.00.G01-KQ003624") is None  # TH2's form
    note = checklist.item_of_component("000.00.00.G01-KQ002868")
    assert note is not None and "(ghi chú)" in note.text(0)
    checklist.setCurrentItem(note)
    assert not page.not_applicable_button.isEnabled() and not page.add_button.isEnabled()
    checklist.setCurrentItem(row)
    assert page.not_applicable_button.isEnabled()
    qtbot.mouseClick(page.not_applicable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: checklist.item_of_component(PROOF).text(1) == "không áp dụng", timeout=5000
    )
    checklist.setCurrentItem(checklist.item_of_component(PROOF))
    mark = workspace.dossiers.get(editor.dossier.id).mark_of(PROOF)  # type: ignore[union-attr]
    assert mark is not None and mark.marked_by
    assert page.not_applicable_button.text() == "Bỏ «không áp dụng»"


def test_a_newer_edition_is_announced_with_what_changed(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    page = editor.files_page
    assert not page.edition_banner.isVisibleTo(page)
    folder = tmp_path / "v2"
    folder.mkdir()
    path = folder / f"{RESIDENCE}.json"
    shutil.copy(RECORDS / f"{RESIDENCE}.json", path)
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["executionCases"][1]["profileComponents"][1]  # one document fewer
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert workspace.catalog.import_file(folder, "dvcqg").updated == 1
    editor.reload()
    qtbot.waitUntil(lambda: page.edition_banner.isVisibleTo(page), timeout=5000)
    assert "ấn bản 2" in page.edition_banner.text()
    assert "- bỏ thành phần" in page.edition_banner.text()


def test_the_clerk_moves_the_dossier_to_the_new_edition_and_places_the_orphan_file(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path, monkeypatch
) -> None:
    from tests.core.attachments.samples import pdf_bytes, write
    from ui.widgets.edition_move_dialog import EditionMoveDialog

    page = editor.files_page
    record = json.loads((RECORDS / f"{RESIDENCE}.json").read_text(encoding="utf-8"))
    removed = record["executionCases"][1]["profileComponents"].pop(1)["code"]
    dossier_id = editor.dossier.id  # type: ignore[union-attr]
    workspace.dossiers.attach(dossier_id, removed, [write(tmp_path, "giay.pdf", pdf_bytes(1))])
    folder = tmp_path / "v2"
    folder.mkdir()
    (folder / f"{RESIDENCE}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    assert workspace.catalog.import_file(folder, "dvcqg").updated == 1
    editor.reload()
    qtbot.waitUntil(lambda: page.move_edition_button.isVisibleTo(page), timeout=5000)
    asked: list[EditionMoveDialog] = []

    def accept(dialog: EditionMoveDialog) -> int:
        asked.append(dialog)
        return int(EditionMoveDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(EditionMoveDialog, "exec", accept)
    qtbot.mouseClick(page.move_edition_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.dossiers.get(dossier_id).procedure_edition == 2, timeout=5000)
    assert list(asked[0].target_combos) == [removed]  # asked only about the orphan
    chosen = asked[0].mapping()[removed]
    files = workspace.dossiers.get(dossier_id).attachments
    assert [(a.name, a.component_code) for a in files] == [("giay.pdf", chosen)]
    qtbot.waitUntil(lambda: not page.move_edition_button.isVisibleTo(page), timeout=5000)
