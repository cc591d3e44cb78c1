"""ui/views/certificates_view.py: .p12 files and SoftHSM2 tokens, with real widgets."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from PySide6.QtCore import QSettings, Qt

from desktop.signing.sources import P12, KeySource
from tests.pki import PASSWORD, make_p12
from ui.models.certificate_table import COLUMN_SOURCE, COLUMN_SUBJECT, COLUMN_USABLE
from ui.tasks import TaskManager
from ui.views import token_modules
from ui.views.certificates_view import CertificatesView
from ui.views.signing.p12_paths import P12_PATHS_KEY, remember_p12_path, remembered_p12_paths
from ui.views.signing.signing_dialog import SecretCache

# The SoftHSM2 tokens of the core's signing tests (built by their helpers).
sys.path.insert(0, str(Path(__file__).parents[2] / "core" / "signing"))
from signing_helpers import (
    CERT_LABEL,
    SIGNER_NAME,
    SOFTHSM_MODULE,
    TOKEN_LABEL,
    Token,
    build_pki,
    build_token,
)


def _reread_config(module: str) -> None:
    """SoftHSM2 reads SOFTHSM2_CONF when initialised, and python-pkcs11 keeps a module
    loaded for the whole process (an earlier test may have loaded it with another
    configuration): finalise and initialise it again."""
    import pkcs11

    pkcs11.lib(module).reinitialize()


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    if not SOFTHSM_MODULE or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"):
        pytest.fail("softhsm2 and opensc are needed: run scripts/system-deps.sh (make test)")
    old = os.environ.get("SOFTHSM2_CONF")
    folder = tmp_path_factory.mktemp("ui-softhsm")
    token = build_token(folder / "hsm", build_pki(folder / "pki"))
    _reread_config(token.module)
    yield token
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old
    # Finalised: the next user initialises it again, with its own configuration.
    import pkcs11

    pkcs11.lib(token.module).finalize()


def make_view(
    qtbot,
    tasks: TaskManager,
    settings: QSettings,
    modules: Callable[[], list[str]] = list,
    secrets: SecretCache | None = None,
) -> CertificatesView:
    view = CertificatesView(settings, tasks, modules, secrets or SecretCache())
    qtbot.addWidget(view)
    view.resize(1100, 700)
    return view


def shown(qtbot, view: CertificatesView) -> CertificatesView:
    with qtbot.waitSignal(view.sig_scanned, timeout=20000):
        view.show()
    return view


def cell(view: CertificatesView, row: int, column: int) -> str:
    return str(view.model.data(view.model.index(row, column)))


def type_password(qtbot, view: CertificatesView, password: str, *, remember: bool = False) -> None:
    dialog = view.password_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    qtbot.keyClicks(dialog.password_edit, password)
    dialog.remember_check.setChecked(remember)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_a_p12_shows_its_certificate_after_the_password(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path
) -> None:
    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    secrets = SecretCache()
    view = shown(qtbot, make_view(qtbot, tasks, ui_settings, secrets=secrets))
    assert view.model.rowCount() == 0
    view.add_p12(str(p12))
    # Remembered for the signing dialog too (the path only).
    assert remembered_p12_paths(ui_settings) == [str(p12)]
    assert cell(view, 0, COLUMN_SUBJECT) == "Nhập mật khẩu để xem"
    assert cell(view, 0, COLUMN_SOURCE) == "can-bo.p12"
    assert "đã mã hoá" in view.details.hint.text()

    with qtbot.waitSignal(view.sig_p12_opened, timeout=10000):
        type_password(qtbot, view, PASSWORD, remember=True)
    assert cell(view, 0, COLUMN_SUBJECT) == "NGUYỄN THỊ HOA — UBND xã Thử Nghiệm"
    assert cell(view, 0, COLUMN_USABLE) == "Dùng được"
    values = {key: label.text() for key, label in view.details.values.items()}
    assert "(giờ Việt Nam)" in values["not_after"]
    assert values["sha256"].replace("\n", ":").count(":") == 31
    assert values["usage"] == "Ký số, Chống chối bỏ"
    assert values["source"] == f"Tệp {p12}"
    # Kept in memory for the signing dialog, never written.
    assert secrets.get(KeySource(P12, str(p12))) == PASSWORD
    assert PASSWORD not in Path(ui_settings.fileName()).read_text(encoding="utf-8")


def test_wrong_password_expiry_soon_and_wrong_usage_are_explained(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path
) -> None:
    soon = make_p12(tmp_path / "sap-het-han.p12", "SẮP HẾT HẠN", days_left=12)
    other = make_p12(tmp_path / "ma-hoa.p12", "CHỈ MÃ HOÁ", signing=False)
    secrets = SecretCache()
    view = shown(qtbot, make_view(qtbot, tasks, ui_settings, secrets=secrets))
    view.add_p12(str(soon))
    type_password(qtbot, view, "sai mat khau", remember=True)
    qtbot.waitUntil(lambda: "mật khẩu" in view.status_label.text(), timeout=10000)
    assert "b3261e" in view.status_label.styleSheet()
    assert cell(view, 0, COLUMN_SUBJECT) == "Nhập mật khẩu để xem"
    assert secrets.get(KeySource(P12, str(soon))) == ""  # a wrong password is not kept

    qtbot.mouseClick(view.password_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.sig_p12_opened, timeout=10000):
        type_password(qtbot, view, PASSWORD)
    assert cell(view, 0, COLUMN_USABLE) == "Còn 12 ngày hết hạn"
    assert secrets.get(KeySource(P12, str(soon))) == ""  # not ticked: not kept

    view.add_p12(str(other))
    with qtbot.waitSignal(view.sig_p12_opened, timeout=10000):
        type_password(qtbot, view, PASSWORD)
    usable = cell(view, 1, COLUMN_USABLE)
    assert "CHỈ MÃ HOÁ" in usable and "ký" in usable  # the core's sentence
    assert view.details.values["state"].text() == usable


def test_forgetting_a_file_keeps_the_file(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path
) -> None:
    first = make_p12(tmp_path / "mot.p12", "MỘT")
    second = make_p12(tmp_path / "hai.p12", "HAI")
    remember_p12_path(ui_settings, str(first))
    remember_p12_path(ui_settings, str(second))
    view = shown(qtbot, make_view(qtbot, tasks, ui_settings))
    assert view.model.rowCount() == 2
    view.table.selectRow(0)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert remembered_p12_paths(ui_settings) == [str(second)]
    assert first.exists()
    assert "vẫn còn nguyên" in view.status_label.text()
    assert [cell(view, r, COLUMN_SOURCE) for r in range(view.model.rowCount())] == ["hai.p12"]
    view.table.selectRow(0)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert ui_settings.value(P12_PATHS_KEY) is None
    assert view.model.rowCount() == 0


def test_a_password_kept_by_the_signing_dialog_opens_the_file_at_once(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path
) -> None:
    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    remember_p12_path(ui_settings, str(p12))
    secrets = SecretCache()
    secrets.put(KeySource(P12, str(p12)), PASSWORD)
    view = make_view(qtbot, tasks, ui_settings, secrets=secrets)
    with qtbot.waitSignal(view.sig_p12_opened, timeout=10000):
        view.show()
    assert cell(view, 0, COLUMN_SUBJECT).startswith("NGUYỄN THỊ HOA")


@pytest.mark.parametrize("pem", [False, True])
def test_export_writes_the_certificate(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path, pem: bool
) -> None:
    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    view = shown(qtbot, make_view(qtbot, tasks, ui_settings))
    view.add_p12(str(p12))
    with qtbot.waitSignal(view.sig_p12_opened, timeout=10000):
        type_password(qtbot, view, PASSWORD)
    assert view.export_button.isEnabled()
    target = tmp_path / ("out.pem" if pem else "out.cer")
    choice = view.selected_entry()
    view.export(choice, str(target), pem=pem)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: "Đã xuất" in view.status_label.text(), timeout=10000)
    data = target.read_bytes()
    cert = x509.load_pem_x509_certificate(data) if pem else x509.load_der_x509_certificate(data)
    assert cert.fingerprint(hashes.SHA256()).hex() == choice.info.sha256  # type: ignore[union-attr]


def test_tokens_are_listed_without_pin_and_a_broken_module_is_explained(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path, softhsm: Token
) -> None:
    broken = tmp_path / "hong-pkcs11.so"
    broken.write_text("không phải thư viện")
    view = shown(qtbot, make_view(qtbot, tasks, ui_settings, lambda: [str(broken), softhsm.module]))
    rows = {cell(view, r, COLUMN_SOURCE): r for r in range(view.model.rowCount())}
    row = rows[f"Token {TOKEN_LABEL}"]
    assert cell(view, row, COLUMN_SUBJECT).startswith(SIGNER_NAME)
    view.table.selectRow(row)
    assert TOKEN_LABEL in view.details.values["source"].text()
    assert "a1b2c3d4" in view.details.values["source"].text()  # the CKA_ID, not the label
    assert CERT_LABEL not in view.details.values["subject"].text()

    modules = view.modules_panel.modules_list
    assert modules.count() == 2
    bad, good = modules.item(0).text().split("\n"), modules.item(1).text().split("\n")
    assert bad[0] == str(broken)
    assert bad[1].startswith("đã cấu hình · Không nạp được thư viện token")
    assert good[0] == softhsm.module
    assert good[1].startswith("tìm thấy tại đường dẫn cài đặt của SoftHSM2 (tests) · ")
    assert good[1].endswith("chứng thư")
    assert "không đọc được" in view.status_label.text()

    # The token's certificate can be exported (a public object: no PIN).
    target = tmp_path / "token.cer"
    choice = view.selected_entry()
    view.export(choice, str(target), pem=False)  # type: ignore[arg-type]
    qtbot.waitUntil(target.exists, timeout=10000)
    cert = x509.load_der_x509_certificate(target.read_bytes())
    assert cert.fingerprint(hashes.SHA256()).hex() == choice.info.sha256  # type: ignore[union-attr]


def test_a_slow_module_never_freezes_the_window(
    qtbot, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(token_modules, "SLOW_SCAN_MS", 50)
    release = threading.Event()

    def slow_modules() -> list[str]:
        release.wait(20)  # a driver that takes its time
        return []

    p12 = make_p12(tmp_path / "can-bo.p12", "NGUYỄN THỊ HOA")
    view = make_view(qtbot, tasks, ui_settings, slow_modules)
    try:
        view.show()
        assert view.scanning and not view.refresh_button.isEnabled()
        qtbot.waitUntil(lambda: "chậm" in view.status_label.text(), timeout=5000)
        # Meanwhile the clerk goes on with a .p12 file.
        view.add_p12(str(p12))
        with qtbot.waitSignal(view.sig_p12_opened, timeout=10000):
            type_password(qtbot, view, PASSWORD)
        assert cell(view, 0, COLUMN_USABLE) == "Dùng được"
        assert view.scanning
    finally:
        release.set()
    qtbot.waitUntil(lambda: not view.scanning, timeout=10000)
    assert view.refresh_button.isEnabled()
    assert "Không tìm thấy thư viện token nào" in view.modules_panel.modules_note.text()
