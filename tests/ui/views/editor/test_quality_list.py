"""The quality list in the files tab, over the real core: check a scan, act on a finding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw
from ui_input import drop_files

from desktop.intake.convert import images_to_pdf
from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import TAB_FILES, DossierEditor

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"


@pytest.fixture
def editor(qtbot, workspace: Workspace, tasks: TaskManager) -> Iterator[DossierEditor]:
    workspace.catalog.ensure_bundled()
    dossier = workspace.dossiers.create(CCHN)
    widget = DossierEditor(
        workspace.dossiers,
        workspace.outbox,
        tasks,
        blob_path=workspace.store.path,
        scans=workspace.scan_quality,
    )
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    with qtbot.waitSignal(widget.sig_loaded, timeout=5000):
        widget.open_dossier(dossier.id)
    widget.tabs.setCurrentIndex(TAB_FILES)
    yield widget
    widget.autosave.flush()
    qtbot.waitUntil(lambda: not widget.autosave.busy, timeout=5000)


def scan_with_a_blank_page(folder: Path) -> Path:
    text = Image.new("RGB", (1240, 1754), (250, 250, 246))
    draw = ImageDraw.Draw(text)
    for row in range(12):
        draw.rectangle((150, 200 + row * 90, 1050, 230 + row * 90), fill=(30, 30, 30))
    text.save(folder / "1.jpg", dpi=(150 * 2, 150 * 2))
    Image.new("RGB", (1240, 1754), (250, 250, 246)).save(folder / "2.jpg", dpi=(300, 300))
    out = folder / "giay-kham.pdf"
    images_to_pdf([folder / "1.jpg", folder / "2.jpg"], out, pdfa=True)
    return out


def test_the_clerk_checks_a_scan_and_deletes_its_blank_page(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    page = editor.files_page
    quality = page.quality
    assert quality.isVisible() and not quality.check_button.isEnabled()
    checklist = page.checklist
    drop_files(editor, "TP3", [scan_with_a_blank_page(tmp_path)])
    qtbot.waitUntil(lambda: checklist.item_of_component("TP3").childCount() == 1, timeout=10000)
    checklist.setCurrentItem(checklist.item_of_component("TP3").child(0))
    assert quality.check_button.isEnabled()
    qtbot.mouseClick(quality.check_button, _left())
    qtbot.waitUntil(lambda: quality.issues.count() == 1, timeout=20000)
    assert quality.issues.item(0).text() == "trang 2: trang trắng — xoá trang nếu không cần"
    assert not quality.delete_button.isEnabled()
    quality.issues.setCurrentRow(0)
    assert quality.delete_button.isEnabled() and not quality.rotate_button.isEnabled()
    assert page.preview.thumbnails.currentRow() == 1  # the preview shows page 2
    with qtbot.waitSignal(page.sig_dossier_changed, timeout=20000) as changed:
        qtbot.mouseClick(quality.delete_button, _left())
    [attachment] = changed.args[0].attachments
    assert attachment.component_code == "TP3" and attachment.name == "giay-kham.pdf"
    stored = workspace.store.path(attachment.sha256)
    with pikepdf.open(stored) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.open_metadata().pdfa_status == "2B"  # still PDF/A


def _left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
