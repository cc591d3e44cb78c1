"""ui/views/signing/signing_dialog.py with a generated .p12 and the real core."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from ui_pdfs import write_pdf

from desktop.workspace import Workspace
from tests.pki import PASSWORD, make_p12
from ui.tasks import TaskManager
from ui.views.signing.p12_paths import P12_PATHS_KEY
from ui.views.signing.service import WorkspaceSigner
from ui.views.signing.signing_dialog import SecretCache, SigningDialog

FIELDS = {
    "applicant.name": "Trần Văn Nam",
    "applicant.id_number": "001090012345",
    "applicant.phone": "0912345678",
    "applicant.address.province": "Hà Nội",
    "applicant.address.commune": "Phường Ba Đình",
}


@pytest.fixture
def ready_dossier(workspace: Workspace, tmp_path: Path) -> int:
    dossier = workspace.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    workspace.dossiers.set_fields(dossier.id, FIELDS)
    for code in ("TP1", "TP2", "TP3", "TP4"):
        workspace.dossiers.attach(dossier.id, code, [write_pdf(tmp_path / f"{code}.pdf")])
    return workspace.dossiers.mark_ready(dossier.id).id


def make_dialog(qtbot, workspace: Workspace, tasks: TaskManager, settings: QSettings,
                dossier_id: int, secrets: SecretCache | None = None) -> SigningDialog:  # fmt: skip
    dialog = SigningDialog(
        dossier_id, signer=WorkspaceSigner(workspace), tasks=tasks, ui_settings=settings,
        modules=[], secrets=secrets or SecretCache(),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_signs_every_pdf_with_a_p12(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    dialog.add_p12(str(p12))
    assert dialog.secret_edit.echoMode() == dialog.secret_edit.EchoMode.Password
    qtbot.keyClicks(dialog.secret_edit, PASSWORD)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 4).text() == "Dùng được", timeout=10000)
    assert dialog.table.item(0, 1).text() == "NGUYỄN THỊ HOA"
    with qtbot.waitSignal(dialog.sig_signed, timeout=60000):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.results.rowCount() == 4
    assert {dialog.results.item(r, 1).text() for r in range(4)} == {"Đã ký"}
    dossier = workspace.dossiers.get(ready_dossier)
    assert dossier.state == "SIGNED"
    assert all(a.facts.get("signed") for a in dossier.attachments)
    # The path is remembered for next time, the password is not written anywhere.
    assert ui_settings.value(P12_PATHS_KEY) in (str(p12), [str(p12)])
    ini = Path(ui_settings.fileName()).read_text(encoding="utf-8")
    assert PASSWORD not in ini


def test_wrong_password_and_expired_certificate_are_explained(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    old = make_p12(tmp_path / "cu.p12", "CHỨNG THƯ CŨ", expired=True)
    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    dialog.add_p12(str(old))
    qtbot.keyClicks(dialog.secret_edit, "sai")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "mật khẩu" in dialog.status_label.text().lower(), timeout=10000)
    dialog.secret_edit.clear()
    qtbot.keyClicks(dialog.secret_edit, PASSWORD)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "hết hạn" in dialog.table.item(0, 4).text(), timeout=10000)
    assert workspace.dossiers.get(ready_dossier).state == "READY"


def test_secret_kept_in_memory_only_when_asked(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    secrets = SecretCache()
    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier, secrets)
    dialog.add_p12(str(p12))
    qtbot.keyClicks(dialog.secret_edit, PASSWORD)
    dialog.remember_check.setChecked(True)
    with qtbot.waitSignal(dialog.sig_signed, timeout=60000):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    again = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier, secrets)
    again.table.selectRow(0)
    assert again.secret_edit.text() == PASSWORD
    fresh = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    fresh.table.selectRow(0)
    assert fresh.secret_edit.text() == ""


def test_a_stamp_box_dragged_on_the_page_is_where_the_signature_goes(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    from pypdf import PdfReader
    from PySide6.QtCore import QPoint

    first = workspace.dossiers.get(ready_dossier).attachments[0]
    dialog = SigningDialog(
        ready_dossier, signer=WorkspaceSigner(workspace), tasks=tasks, ui_settings=ui_settings,
        modules=[], secrets=SecretCache(), preview=workspace.store.path(first.sha256),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    options = dialog.stamp_options
    options.visible_radio.setChecked(True)
    placer = options.placer
    qtbot.waitUntil(placer.rendered, timeout=5000)
    image = placer.image_rect()
    scale = image.width() / 595
    start = QPoint(round(image.left() + 100 * scale), round(image.top() + (842 - 300) * scale))
    end = QPoint(round(image.left() + 320 * scale), round(image.top() + (842 - 150) * scale))
    qtbot.mousePress(placer, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(placer, Qt.MouseButton.LeftButton, pos=end)
    assert placer.box is not None and not options.position_combo.isEnabled()
    assert options.box_label.text().startswith("Khung trên trang 1: ")
    spec = options.stamp()
    assert spec is not None and spec.page == 1 and spec.rect == placer.box

    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    dialog.add_p12(str(p12))
    qtbot.keyClicks(dialog.secret_edit, PASSWORD)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 4).text() == "Dùng được", timeout=10000)
    with qtbot.waitSignal(dialog.sig_signed, timeout=60000):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    signed = workspace.dossiers.get(ready_dossier).attachments[0]
    page = PdfReader(workspace.store.path(signed.sha256)).pages[0]
    widgets = [a.get_object() for a in page.get("/Annots", [])]
    rects = [[float(v) for v in w["/Rect"]] for w in widgets if w.get("/FT") == "/Sig"]
    assert len(rects) == 1
    assert all(abs(a - b) < 0.01 for a, b in zip(rects[0], placer.box, strict=True))


def test_the_dialog_starts_on_the_default_stamp(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    from PIL import Image

    from desktop.settings import (
        DEFAULT_STAMP,
        DEFAULT_STAMP_COPY_AGENCY,
        DEFAULT_STAMP_COPY_FORM,
        DEFAULT_STAMP_SEAL_IMAGE,
    )

    dialog = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    assert dialog.stamp_options.invisible_radio.isChecked()
    assert dialog.stamp_options.stamp() is None

    seal = tmp_path / "con-dau.png"
    Image.new("RGBA", (40, 40), (200, 0, 0, 255)).save(seal)
    workspace.settings.set(DEFAULT_STAMP, "visible")
    workspace.settings.set(DEFAULT_STAMP_SEAL_IMAGE, str(seal))
    visible = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    options = visible.stamp_options
    assert options.visible_radio.isChecked()
    spec = options.stamp()
    assert spec is not None and spec.kind == "signature" and spec.seal_image == seal
    assert spec.position == "bottom-right"

    workspace.settings.set(DEFAULT_STAMP, "copy")
    workspace.settings.set(DEFAULT_STAMP_COPY_FORM, "TRÍCH SAO")
    workspace.settings.set(DEFAULT_STAMP_COPY_AGENCY, "UBND xã Hòa Bình")
    copy = make_dialog(qtbot, workspace, tasks, ui_settings, ready_dossier)
    options = copy.stamp_options
    assert options.copy_radio.isChecked()
    spec = options.stamp()
    assert spec is not None and spec.kind == "copy"
    assert (spec.copy_form, spec.copy_agency) == ("TRÍCH SAO", "UBND xã Hòa Bình")
    assert spec.position == "top-right"  # where the e-copy mark belongs
    # The clerk can still change it for this signing.
    options.invisible_radio.setChecked(True)
    assert options.stamp() is None


def test_a_broken_token_driver_is_named_and_hides_nothing_else(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings,
    ready_dossier: int, tmp_path: Path,
) -> None:  # fmt: skip
    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    ui_settings.setValue(P12_PATHS_KEY, [str(p12)])
    broken = tmp_path / "vendor-pkcs11.so"
    broken.write_bytes(b"not a shared library")
    dialog = SigningDialog(
        ready_dossier, signer=WorkspaceSigner(workspace), tasks=tasks, ui_settings=ui_settings,
        modules=[str(broken)], secrets=SecretCache(),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: str(broken) in dialog.status_label.text(), timeout=10000)
    assert dialog.status_label.text().startswith("Không đọc được token qua «")
    assert dialog.table.rowCount() == 1  # the remembered .p12 is still offered
