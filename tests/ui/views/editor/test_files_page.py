"""ui/views/editor/files_page.py over the real core: attached images and PDFs previewed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_images import write_damaged_jpeg, write_image
from ui_input import drop_files
from ui_pdfs import write_pdf

from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import TAB_FILES, DossierEditor

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"


@pytest.fixture
def editor(qtbot, workspace: Workspace, tasks: TaskManager) -> Iterator[DossierEditor]:
    workspace.catalog.ensure_bundled()
    dossier = workspace.dossiers.create(CCHN)
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
    widget.files_page.image_preview.wait_idle()
    widget.autosave.flush()
    qtbot.waitUntil(lambda: not widget.autosave.busy, timeout=5000)


def _attach(qtbot, editor: DossierEditor, code: str, path: Path) -> None:
    checklist = editor.files_page.checklist
    before = checklist.item_of_component(code).childCount()
    drop_files(editor, code, [path])
    qtbot.waitUntil(
        lambda: checklist.item_of_component(code).childCount() == before + 1, timeout=10000
    )


def test_an_attached_scan_is_previewed_then_a_pdf(
    qtbot, editor: DossierEditor, tmp_path: Path
) -> None:
    page = editor.files_page
    _attach(qtbot, editor, "TP2", write_image(tmp_path / "cccd.jpg", (3000, 2000), dpi=300))
    _attach(qtbot, editor, "TP1", write_pdf(tmp_path / "don.pdf", pages=2))
    checklist = page.checklist
    with qtbot.waitSignal(page.image_preview.sig_shown, timeout=10000) as shown:
        checklist.setCurrentItem(checklist.item_of_component("TP2").child(0))
    assert shown.args[0] is True
    assert page.previews.currentWidget() is page.image_preview
    assert page.image_preview.title_label.text() == "cccd.jpg"
    assert page.image_preview.facts_label.text().startswith("3000 × 2000 điểm ảnh · 300 dpi · ")
    assert page.image_preview.is_showing_picture()

    checklist.setCurrentItem(checklist.item_of_component("TP1").child(0))
    assert page.previews.currentWidget() is page.preview
    assert page.preview.page_count() == 2
    assert page.image_preview.path is None, "the image pane let go of the scan"

    checklist.setCurrentItem(checklist.item_of_component("TP3"))
    assert page.previews.currentWidget() is page.preview
    assert "Chọn một tệp PDF hoặc ảnh" in page.preview.message_label.text()


@pytest.mark.qt_log_ignore(r".*JPEG.*", r".*JFIF.*")
def test_a_scan_damaged_in_the_store_is_explained_not_shown(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    # The store refuses a damaged image when it is attached; a disk can still damage it
    # later. The preview then says what to do instead of failing.
    page = editor.files_page
    _attach(qtbot, editor, "TP2", write_image(tmp_path / "cccd.jpg", (800, 600)))
    [attachment] = workspace.dossiers.get(page.dossier_id or 0).attachments
    stored = workspace.store.path(attachment.sha256)
    stored.chmod(0o600)
    write_damaged_jpeg(stored)
    child = page.checklist.item_of_component("TP2").child(0)
    with qtbot.waitSignal(page.image_preview.sig_shown, timeout=10000) as shown:
        page.checklist.setCurrentItem(child)
    assert shown.args[0] is False
    assert page.previews.currentWidget() is page.image_preview
    assert "Không đọc được ảnh này" in page.image_preview.message()
    assert not page.image_preview.is_showing_picture()


def test_repair_file_mends_a_damaged_pdf_and_says_what_it_changed(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    from tests.core.filecheck.corpus import broken_xref, good

    page = editor.files_page
    damaged = tmp_path / "to-khai-loi.pdf"
    damaged.write_bytes(broken_xref())
    _attach(qtbot, editor, "TP1", damaged)
    plain = tmp_path / "to-khai.pdf"
    plain.write_bytes(good())
    _attach(qtbot, editor, "TP3", plain)
    checklist = page.checklist
    checklist.setCurrentItem(checklist.item_of_component("TP3").child(0))
    assert not page.repair_button.isEnabled(), "nothing to mend in a sound file"
    checklist.setCurrentItem(checklist.item_of_component("TP1").child(0))
    assert page.repair_button.isEnabled()
    dossier_id = editor.files_page.dossier_id
    assert dossier_id is not None
    before = workspace.dossiers.validate(dossier_id)
    assert "pdf.repairable" in {p.code for p in before}

    with qtbot.waitSignal(page.sig_dossier_changed, timeout=10000):
        page.repair_button.click()
    assert "Đã sửa «to-khai-loi.pdf»" in page.hint_label.text()
    assert "bảng tham chiếu" in page.hint_label.text()
    after = workspace.dossiers.validate(dossier_id)
    assert "pdf.repairable" not in {p.code for p in after}
    checklist.setCurrentItem(checklist.item_of_component("TP1").child(0))
    assert not page.repair_button.isEnabled()
