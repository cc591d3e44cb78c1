"""ui/views/queue_view.py and the sync runner against the sandbox portal on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_dossiers import complete_dossier

from desktop.settings import PORTAL_URL
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from ui.bridge import EventBridge
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.queue_view import QueueView


@pytest.fixture
def view(qtbot, workspace: Workspace, tasks: TaskManager) -> QueueView:
    widget = QueueView(workspace.outbox, tasks, None)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_withdraw_and_edit_gives_a_new_draft(
    qtbot, view: QueueView, workspace: Workspace, tmp_path: Path
) -> None:
    dossier_id = complete_dossier(workspace, tmp_path)
    workspace.outbox.submit(dossier_id)
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.refresh()
    assert not view.empty_label.isVisibleTo(view)
    view.table.selectRow(0)
    assert view.details_label.text() == f"Hồ sơ #{dossier_id}: Chờ gửi."
    assert view.withdraw_button.isEnabled()
    with qtbot.waitSignal(view.sig_edit_requested, timeout=5000) as edit:
        qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    new_id = edit.args[0]
    assert new_id != dossier_id
    assert workspace.dossiers.get(new_id).state == "DRAFT"
    assert workspace.dossiers.get(dossier_id).state == "SUPERSEDED"
    qtbot.waitUntil(lambda: view.model.data(view.model.index(0, 1)) == "Đã rút để sửa")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        yield server


def test_engine_without_login_stops_the_item_and_says_what_to_do(
    qtbot, workspace: Workspace, tasks: TaskManager, sandbox: ThreadedSandbox, tmp_path: Path
) -> None:
    workspace.settings.set(PORTAL_URL, sandbox.url)
    bridge = EventBridge(workspace.events)
    view = QueueView(workspace.outbox, tasks, None)
    qtbot.addWidget(view)
    bridge.sig_outbox_changed.connect(lambda *_: view.refresh())
    runner = SyncRunner(workspace, tasks)
    try:
        with qtbot.waitSignal(runner.sig_started, timeout=10000) as started:
            runner.start()
        assert started.args == [sandbox.url]
        dossier_id = complete_dossier(workspace, tmp_path)
        workspace.outbox.submit(dossier_id)
        qtbot.waitUntil(
            lambda: (
                view.model.rowCount() == 1
                and view.model.data(view.model.index(0, 1)) == "Dừng, cần người xử lý"
            ),
            timeout=20000,
        )
        error = view.model.data(view.model.index(0, 5))
        assert "đăng nhập" in error.lower()
    finally:
        runner.stop()
        bridge.close()


class SubmittedOutbox:
    """One item the portal took (with its receipt) and one still waiting."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        from desktop.sync.items import OutboxEntry

        now = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
        common: dict[str, object] = {
            "kind": "submit", "uuid": "u", "attempts": 1, "next_attempt_at": now,
            "bytes_sent": 10, "bytes_total": 10, "last_error_code": None,
            "last_error_params": None, "stop_reason": None, "in_flight": None,
            "account": "canbo@xa.vn",
        }  # fmt: skip
        submitted = {"receipt_no": "G22-261120-0007", "submitted_at": now,
                     "appointment_date": "2026-12-03"}  # fmt: skip
        waiting = {"receipt_no": None, "submitted_at": None, "appointment_date": None}
        self.items = [
            OutboxEntry(id=2, dossier_id=8, state="DONE", **submitted, **common),  # type: ignore[arg-type]
            OutboxEntry(id=1, dossier_id=5, state="QUEUED", **waiting, **common),  # type: ignore[arg-type]
        ]

    def entries(self, states: object = None) -> list:
        return list(self.items)

    def withdraw(self, dossier_id: int, reason: str = "") -> object:
        raise AssertionError("not used")


def test_the_receipt_of_a_submitted_item_opens_from_the_queue(qtbot, tasks: TaskManager) -> None:
    from PySide6.QtGui import QGuiApplication

    view = QueueView(SubmittedOutbox(), tasks, None)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.refresh()
    rows = {view.model.entry(r).dossier_id: r for r in range(view.model.rowCount())}
    view.table.selectRow(rows[5])
    assert not view.receipt_button.isEnabled()  # not on the portal yet: no receipt
    view.table.selectRow(rows[8])
    assert view.receipt_button.isEnabled()
    qtbot.mouseClick(view.receipt_button, Qt.MouseButton.LeftButton)
    dialog = view.receipt_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Biên nhận hồ sơ #8"
    assert dialog.receipt_label.text() == "G22-261120-0007"
    assert dialog.appointment_label.text() == "03/12/2026"
    assert dialog.submitted_label.text().startswith("20/11/2026 ")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "G22-261120-0007"
    with qtbot.waitSignal(view.sig_open_requested, timeout=1000) as opened:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [8]
