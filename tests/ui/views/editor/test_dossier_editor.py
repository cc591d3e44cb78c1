"""ui/views/editor/dossier_editor.py over the real core: typing, checks, files, submit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_input import drop_files, type_text
from ui_pdfs import write_pdf

from desktop.dossier.addresses import provinces
from desktop.workspace import Workspace
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import TAB_FILES, TAB_PEOPLE, DossierEditor

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"


@pytest.fixture
def editor(qtbot, workspace: Workspace, tasks: TaskManager) -> Iterator[DossierEditor]:
    dossier = workspace.dossiers.create(CCHN)
    widget = DossierEditor(
        workspace.dossiers, workspace.outbox, tasks, blob_path=workspace.store.path
    )
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    with qtbot.waitSignal(widget.sig_loaded, timeout=5000):
        widget.open_dossier(dossier.id)
    yield widget
    widget.autosave.flush()
    qtbot.waitUntil(lambda: not widget.autosave.busy, timeout=5000)


def message_of(editor: DossierEditor, name: str) -> str:
    return editor.applicant_form.rows[name].message


def type_into(qtbot, editor: DossierEditor, name: str, text: str) -> None:
    type_text(qtbot, editor.applicant_form.edits[name], text)


def test_a_new_dossier_says_what_is_missing(editor: DossierEditor) -> None:
    assert "CCHN" in editor.title_label.text() or "Chứng chỉ" in editor.title_label.text()
    assert "Chưa nhập họ và tên" in message_of(editor, "name")
    assert "Chưa nhập số điện thoại" in message_of(editor, "phone")
    assert editor.problems_title.text() == "<b>Cần sửa: 9 lỗi</b>"
    assert any("TP1" in m for m in editor.problems_list.messages())


def test_typing_is_checked_and_saved(qtbot, editor: DossierEditor, workspace: Workspace) -> None:
    type_into(qtbot, editor, "phone", "12345")
    qtbot.waitUntil(lambda: "không hợp lệ" in message_of(editor, "phone"), timeout=5000)
    assert "Số điện thoại «12345» không hợp lệ" in message_of(editor, "phone")
    editor.applicant_form.edits["phone"].clear()
    type_into(qtbot, editor, "phone", "0912 345 678")
    type_into(qtbot, editor, "name", "Nguyễn Thị Hồng")
    qtbot.waitUntil(lambda: message_of(editor, "phone") == "", timeout=5000)
    qtbot.waitUntil(lambda: message_of(editor, "name") == "", timeout=5000)
    assert "Đã lưu bản nháp" in editor.saved_label.text()
    stored = workspace.dossiers.get(editor.autosave.dossier_id or 0).applicant
    assert (stored.name, stored.phone) == ("Nguyễn Thị Hồng", "0912345678")


def test_address_is_picked_by_keyboard_and_stored_with_codes(
    qtbot, editor: DossierEditor, workspace: Workspace
) -> None:
    picker = editor.applicant_form.address
    picker.province_box.setFocus()
    qtbot.keyClicks(picker.province_box, "kon tum")  # a former province: now Quảng Ngãi
    qtbot.keyClick(picker.province_box, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.commune_box, "phuong kon tum")
    qtbot.keyClick(picker.commune_box, Qt.Key.Key_Return)
    editor.autosave.flush()
    qtbot.waitUntil(lambda: not editor.autosave.busy, timeout=5000)
    address = workspace.dossiers.get(editor.autosave.dossier_id or 0).applicant.address
    assert (address.province, address.province_code) == ("Quảng Ngãi", "51")
    assert (address.commune, address.commune_code) == ("Phường Kon Tum", "23293")
    assert len(provinces()) == 34


def test_clicking_a_problem_goes_to_its_field(qtbot, editor: DossierEditor) -> None:
    editor.tabs.setCurrentIndex(TAB_FILES)
    items = editor.problems_list
    row = next(i for i in range(items.count()) if "số điện thoại" in items.item(i).text())
    rect = items.visualItemRect(items.item(row))
    qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.tabs.currentIndex() == TAB_PEOPLE
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is editor.applicant_form.edits["phone"], timeout=2000
    )
    row = next(i for i in range(items.count()) if "TP2" in items.item(i).text())
    items.setCurrentRow(row)
    items.sig_field_activated.emit("components.TP2")
    assert editor.tabs.currentIndex() == TAB_FILES
    assert editor.files_page.checklist.selected_component() == "TP2"


def test_dropped_files_are_attached_with_their_facts(
    qtbot, editor: DossierEditor, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "don-de-nghi.pdf", pages=3)
    editor.tabs.setCurrentIndex(TAB_FILES)
    drop_files(editor, "TP1", [pdf])
    checklist = editor.files_page.checklist
    qtbot.waitUntil(lambda: checklist.item_of_component("TP1").childCount() == 1, timeout=5000)
    child = checklist.item_of_component("TP1").child(0)
    assert [child.text(c) for c in (0, 1, 3, 4)] == ["don-de-nghi.pdf", "3", "PDF", "chưa ký"]
    qtbot.waitUntil(lambda: not any("TP1" in m for m in editor.problems_list.messages()))
    assert checklist.item_of_component("TP2").text(1) == "thiếu"


def test_selecting_an_attached_pdf_previews_it(
    qtbot, editor: DossierEditor, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "don-de-nghi.pdf", pages=3)
    editor.tabs.setCurrentIndex(TAB_FILES)
    preview = editor.files_page.preview
    assert "Chọn một tệp PDF" in preview.message_label.text()
    drop_files(editor, "TP1", [pdf])
    checklist = editor.files_page.checklist
    qtbot.waitUntil(lambda: checklist.item_of_component("TP1").childCount() == 1, timeout=5000)
    checklist.setCurrentItem(checklist.item_of_component("TP1").child(0))
    assert preview.page_count() == 3
    assert preview.title_label.text() == "don-de-nghi.pdf"
    assert preview.facts_label.text().startswith("3 trang · ")
    assert preview.badge_label.text() == "Chưa ký số"
    qtbot.waitUntil(lambda: all(preview.thumbnail_drawn(p) for p in range(3)), timeout=5000)
    checklist.setCurrentItem(checklist.item_of_component("TP2"))
    assert preview.page_count() == 0 and "Chọn một tệp PDF" in preview.message_label.text()


def test_add_and_remove_a_file(qtbot, editor: DossierEditor, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "van-bang.pdf", pages=1)
    page = editor.files_page
    page.choose_files = lambda: [str(pdf)]  # type: ignore[method-assign]
    page.checklist.setCurrentItem(page.checklist.item_of_component("TP2"))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.checklist.item_of_component("TP2").childCount() == 1)
    page.checklist.setCurrentItem(page.checklist.item_of_component("TP2").child(0))
    assert page.remove_button.isEnabled()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.checklist.item_of_component("TP2").childCount() == 0)


def test_submit_is_refused_with_the_problems_then_queued(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    with qtbot.waitSignal(editor.sig_error, timeout=5000) as refused:
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    assert "lỗi" in refused.args[0].message()
    for name, text in (
        ("name", "Trần Văn Nam"),
        ("id_number", "001090012345"),
        ("phone", "0912345678"),
    ):
        type_into(qtbot, editor, name, text)
    picker = editor.applicant_form.address
    picker.province_box.setFocus()
    qtbot.keyClicks(picker.province_box, "ha noi")
    qtbot.keyClick(picker.province_box, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.commune_box, "ba dinh")
    qtbot.keyClick(picker.commune_box, Qt.Key.Key_Return)
    for code in ("TP1", "TP2", "TP3", "TP4"):
        drop_files(editor, code, [write_pdf(tmp_path / f"{code}.pdf", pages=1)])
        qtbot.waitUntil(
            lambda code=code: editor.files_page.checklist.item_of_component(code).childCount() == 1,
            timeout=5000,
        )
    with qtbot.waitSignal(editor.sig_submitted, timeout=10000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    dossier_id = editor.autosave.dossier_id or 0
    assert workspace.outbox.entry(dossier_id).state == "QUEUED"
    qtbot.waitUntil(lambda: editor.state_label.text() == "Chờ gửi", timeout=5000)
    assert not editor.applicant_form.isEnabled()


def test_sign_marks_ready_then_asks_for_the_dialog(
    qtbot, editor: DossierEditor, workspace: Workspace, tmp_path: Path
) -> None:
    dossier_id = editor.autosave.dossier_id or 0
    with qtbot.waitSignal(editor.sig_error, timeout=5000) as refused:
        qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert "chưa thể chuyển sang «Sẵn sàng»" in refused.args[0].message()
    workspace.dossiers.set_fields(
        dossier_id,
        {
            "applicant.name": "Lê Thị Mai",
            "applicant.id_number": "001190012345",
            "applicant.phone": "0987654321",
            "applicant.address.province": "Huế",
            "applicant.address.commune": "Phường Thuận Hóa",
        },
    )
    for code in ("TP1", "TP2", "TP3", "TP4"):
        workspace.dossiers.attach(dossier_id, code, [write_pdf(tmp_path / f"{code}.pdf")])
    with qtbot.waitSignal(editor.sig_sign_requested, timeout=5000) as asked:
        qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert asked.args == [dossier_id]
    assert workspace.dossiers.get(dossier_id).state == "READY"
    assert editor.state_label.text() == "Sẵn sàng"
