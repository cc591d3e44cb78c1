"""ui/widgets/task_progress.py: a slow task gets a dialog with Cancel, a quick one none."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.progress import CancelToken, Progress, ProgressCallback
from ui.tasks import Lane, TaskManager
from ui.widgets.task_progress import run_with_progress


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_quick_work_shows_no_dialog(qtbot, tasks: TaskManager, parent: QWidget) -> None:
    results: list[int] = []
    # "Quick" is relative to the delay: with a minute's delay no machine load makes it slow.
    task = run_with_progress(
        tasks, lambda progress, cancel: 7, parent=parent, label="Đang ký",
        on_success=results.append, dialog_delay_ms=60_000,
    )  # fmt: skip
    qtbot.waitUntil(lambda: results == [7])
    # Finished before the delay: the dialog was never shown, and never will be
    # (a finished task ignores its timer).
    assert task.finished
    assert not task.dialog_was_shown


def test_slow_work_shows_progress_and_cancel_stops_it(
    qtbot, tasks: TaskManager, parent: QWidget
) -> None:
    reached = threading.Event()
    stopped_at: list[int] = []
    outcomes: list[object] = []
    tasks.sig_task_failed.connect(outcomes.append)

    def sign_files(progress: ProgressCallback, cancel: CancelToken) -> str:
        for done in range(1, 2000):  # bounded: ~10 s at most
            progress(Progress(min(done, 10), 10, f"Tệp {min(done, 10)}/10"))
            if done == 3:
                reached.set()
            if cancel.cancelled:
                stopped_at.append(done)
            cancel.check()
            threading.Event().wait(0.005)  # a step of real work
        return "xong"

    task = run_with_progress(
        tasks, sign_files, parent=parent, label="Đang ký số 10 tệp", on_success=outcomes.append
    )
    try:
        qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
        assert task.dialog_was_shown
        dialog = task.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.value() == 10 and dialog.maximum() == 10, timeout=3000)
        assert "Đang ký số 10 tệp" in dialog.labelText()
        assert "Tệp 10/10" in dialog.labelText()
        button = dialog.findChild(QPushButton)
        assert button is not None
        assert button.text() == "Huỷ"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: task.finished, timeout=3000)
    finally:
        task.handle.cancel()  # never leave the worker running after a failure
    assert stopped_at  # the work saw the token
    assert outcomes == []  # neither a result nor an error for the clerk who cancelled


def test_cancel_while_still_queued_closes_the_dialog(
    qtbot, tasks: TaskManager, parent: QWidget
) -> None:
    gate = threading.Event()
    tasks.run(lambda: gate.wait(10), lane=Lane.WRITE)  # the writer is busy
    ran: list[int] = []
    task = run_with_progress(
        tasks,
        lambda progress, cancel: ran.append(1),
        parent=parent,
        label="Đang lưu",
        lane=Lane.WRITE,
        on_success=pytest.fail,
    )
    try:
        qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
        assert task.dialog is not None
        button = task.dialog.findChild(QPushButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: task.finished, timeout=3000)
    finally:
        gate.set()
    assert ran == []
