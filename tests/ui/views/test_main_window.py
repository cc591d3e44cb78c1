"""ui/views/main_window.py over the real core: catalog search, creating a dossier."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from ui_fakes import FakeWorkspace
from ui_pdfs import write_pdf

from desktop.workspace import Workspace
from ui.bridge import EventBridge
from ui.tasks import Lane, TaskManager
from ui.views.main_window import SECTION_CATALOG, SECTION_DOSSIERS, MainWindow

CCHN = "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ"


@pytest.fixture
def window(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings
) -> Iterator[MainWindow]:
    bridge = EventBridge(workspace.events)
    w = MainWindow(workspace, tasks=tasks, bridge=bridge, ui_settings=ui_settings)
    qtbot.addWidget(w)
    w.show()
    w.start()
    yield w
    bridge.close()


def shown_name(w: MainWindow) -> str | None:
    procedure = w.catalog_view.current_procedure()
    return procedure.name if procedure else None


def result_names(w: MainWindow) -> list[str]:
    model = w.catalog_view.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_sections_of_a_window_without_signing(window: MainWindow) -> None:
    items = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert items == ["Thủ tục", "Hồ sơ", "Hàng đợi gửi", "Thanh toán", "Cài đặt"]
    assert all(not window.navigation.item(i).icon().isNull() for i in range(len(items)))
    assert window.current_section() == SECTION_CATALOG


def test_typing_cchn_duoc_finds_the_procedure(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.catalog_view.search_edit, "cchn duoc")
    qtbot.waitUntil(lambda: CCHN in result_names(window), timeout=5000)
    qtbot.waitUntil(
        lambda: "Thành phần hồ sơ" in window.catalog_view.details.toPlainText(), timeout=5000
    )


def test_creating_a_dossier_lists_it(qtbot, window: MainWindow, workspace: Workspace) -> None:
    view = window.catalog_view
    qtbot.keyClicks(view.search_edit, "cchn duoc")
    qtbot.waitUntil(lambda: shown_name(window) == CCHN, timeout=5000)
    with qtbot.waitSignal(window.sig_dossier_created, timeout=5000) as created:
        qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    dossier_id = created.args[0]
    assert window.current_section() == SECTION_DOSSIERS
    table = window.dossiers_view.table
    model = window.dossiers_view.model
    qtbot.waitUntil(lambda: model.row_of(dossier_id) is not None, timeout=5000)
    row = model.row_of(dossier_id)
    assert row is not None
    assert model.data(model.index(row, 1)) == CCHN
    assert model.data(model.index(row, 3)) == "Nháp"
    qtbot.waitUntil(lambda: table.selectionModel().isRowSelected(row), timeout=5000)
    qtbot.waitUntil(lambda: window.count_label.text() == "1 hồ sơ", timeout=5000)
    assert window.statusBar().currentMessage() == f"Đã tạo hồ sơ #{dossier_id} (nháp)."
    procedure = view.current_procedure()
    assert procedure is not None
    assert workspace.dossiers.get(dossier_id).procedure_key == procedure.key


def test_a_dossier_changed_elsewhere_shows_up(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    qtbot.waitUntil(lambda: window.count_label.text() == "0 hồ sơ", timeout=5000)
    qtbot.waitUntil(lambda: window.catalog_view.model.rowCount() > 0, timeout=5000)
    # Another thread (a CLI command, the sync engine) creates a dossier: the event
    # reaches the window through the bridge.
    worker = threading.Thread(target=workspace.dossiers.create, args=("SYT-DUOC-CCHN-XET-HO-SO",))
    worker.start()
    worker.join()
    model = window.dossiers_view.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert model.data(model.index(0, 1)) == CCHN
    qtbot.waitUntil(lambda: window.count_label.text() == "1 hồ sơ", timeout=5000)


def test_status_bar_shows_data_dir(window: MainWindow, workspace: Workspace) -> None:
    assert str(workspace.paths.root) in window.data_dir_label.text()


def test_window_state_is_remembered(qtbot, tasks: TaskManager, bus, tmp_path: Path) -> None:
    settings_file = str(tmp_path / "state" / "ui.ini")

    def make() -> MainWindow:
        w = MainWindow(
            FakeWorkspace(tmp_path / "data", bus),
            tasks=tasks,
            bridge=EventBridge(bus),
            ui_settings=QSettings(settings_file, QSettings.Format.IniFormat),
        )
        qtbot.addWidget(w)
        return w

    first = make()
    first.resize(701, 503)  # within the offscreen screen (800×600)
    first.show()
    first.show_section(SECTION_DOSSIERS)
    first.close()
    assert Path(settings_file).is_file()
    second = make()
    second.show()
    assert (second.width(), second.height()) == (701, 503)
    assert second.current_section() == SECTION_DOSSIERS


def test_keyboard_switches_sections_and_finds(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == SECTION_DOSSIERS
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.dossiers_view.search_edit.hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == SECTION_CATALOG


def test_enter_on_a_dossier_opens_its_editor(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    dossier = workspace.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    window.show_section(SECTION_DOSSIERS)
    window.dossiers_view.apply_filter()
    model = window.dossiers_view.model
    qtbot.waitUntil(lambda: model.row_of(dossier.id) is not None, timeout=5000)
    table = window.dossiers_view.table
    table.setFocus()
    table.selectRow(model.row_of(dossier.id) or 0)
    with qtbot.waitSignal(window.editor.sig_loaded, timeout=5000) as loaded:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert loaded.args == [dossier.id]
    assert window.dossiers_page.currentWidget() is window.editor
    qtbot.mouseClick(window.editor.back_button, Qt.MouseButton.LeftButton)
    assert window.dossiers_page.currentWidget() is window.dossiers_view


def test_the_tray_is_quiet_for_the_dossier_open_in_the_editor(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    dossier = workspace.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.editor.sig_loaded, timeout=5000):
        window.open_dossier(dossier.id)
    quiet = window.tray_notifier._quiet_for
    assert quiet(dossier.id)
    assert not quiet(dossier.id + 1)
    window.show_section(SECTION_CATALOG)
    assert not quiet(dossier.id)


def test_housekeeping_runs_weekly_at_start_and_says_what_it_freed(
    qtbot, workspace: Workspace, tasks: TaskManager, ui_settings: QSettings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import os
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from desktop.attachments.housekeeping import collect
    from desktop.storage import models

    # A scan replaced long ago: its blob is referenced by nothing and is two days old.
    sha = workspace.store.put(write_pdf(tmp_path / "scan.pdf")).sha256
    old = datetime.now(UTC) - timedelta(days=2)
    with workspace.db.session() as session:
        session.execute(update(models.Blob).values(created_at=old))
    os.utime(workspace.store.path(sha), (old.timestamp(), old.timestamp()))
    runs: list[int] = []

    def housekeeping() -> object:
        runs.append(1)
        return collect(workspace.paths, workspace.db)

    monkeypatch.setattr(workspace, "housekeep", housekeeping)

    def make() -> MainWindow:
        bridge = EventBridge(workspace.events)
        w = MainWindow(workspace, tasks=tasks, bridge=bridge, ui_settings=ui_settings)
        qtbot.addWidget(w)
        w.show()
        w.start()
        return w

    first = make()
    qtbot.waitUntil(lambda: first.statusBar().currentMessage().startswith("Đã dọn 1 tệp"))
    assert "giải phóng" in first.statusBar().currentMessage()
    assert not workspace.store.path(sha).exists()
    make()  # started again the same week: not run again
    behind: list[int] = []  # the single writer runs tasks in order: this one comes after
    tasks.run(lambda: 0, on_success=behind.append, lane=Lane.WRITE)
    qtbot.waitUntil(lambda: behind == [0])
    assert runs == [1]


def test_sandbox_banner_while_the_portal_is_the_sandbox(window: MainWindow) -> None:
    window.show()
    window.show_sandbox_banner("http://127.0.0.1:8765/sandbox/officer?key=k")
    assert window.sandbox_banner.isVisible()
    assert "CỔNG THỬ NGHIỆM" in window.sandbox_banner.text()
    window.show_sandbox_banner(None)  # a real portal
    assert not window.sandbox_banner.isVisible()


def _counting_validate(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = workspace.dossiers.validate

    def validate(dossier_id: int, *args: object, **kwargs: object) -> object:
        calls.append(dossier_id)
        return real(dossier_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace.dossiers, "validate", validate)
    return calls


def test_the_editor_does_not_validate_again_what_autosave_returned(
    qtbot, window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = workspace.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    with qtbot.waitSignal(window.editor.sig_loaded, timeout=5000):
        window.open_dossier(dossier.id)
    calls = _counting_validate(workspace, monkeypatch)
    with qtbot.waitSignal(window.editor.autosave.sig_saved, timeout=5000):
        qtbot.keyClicks(window.editor.applicant_form.edits["phone"], "0912345678")
    assert calls == [dossier.id]  # the save and its check
    # Its own write comes back as a DossierChanged event: after the burst's delay the
    # stored dossier is compared with what is shown, and not validated again.
    with qtbot.waitSignal(window._changes_timer.timeout, timeout=5000):
        pass
    qtbot.wait(500)
    assert calls == [dossier.id]
    assert workspace.dossiers.get(dossier.id).applicant.phone == "0912345678"


def test_the_editor_reloads_a_write_it_did_not_make(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    dossier = workspace.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    with qtbot.waitSignal(window.editor.sig_loaded, timeout=5000):
        window.open_dossier(dossier.id)
    # Another writer (a CLI command on the same data dir, a bundle import) changes it.
    worker = threading.Thread(
        target=workspace.dossiers.set_fields, args=(dossier.id, {"notes": "Ghi chú từ CLI"})
    )
    with qtbot.waitSignal(window.editor.sig_loaded, timeout=5000):
        worker.start()
        worker.join()
    assert window.editor.notes_edit.toPlainText() == "Ghi chú từ CLI"


def test_the_window_over_a_fake_workspace_asks_it_and_composes_nothing(
    qtbot, tasks: TaskManager, bus, tmp_path: Path
) -> None:
    fake = FakeWorkspace(tmp_path / "data", bus)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    w = MainWindow(fake, tasks=tasks, bridge=EventBridge(bus), ui_settings=settings)
    qtbot.addWidget(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: fake.housekept == 1, timeout=5000)  # the weekly chore, once
    qtbot.mouseClick(w.sync_status.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fake.synced == 1, timeout=5000)  # "Gửi ngay" is the workspace's
    w.show_section("payments")
    assert w.payments_view is not None  # over the fake's fees and payment follow-up
    qtbot.waitUntil(w.payments_view.empty_label.isVisible, timeout=5000)
    assert "Chứng thư số" not in [w.navigation.item(i).text() for i in range(w.navigation.count())]
