"""Long work with a progress dialog and Cancel, shown only when the work is slow.

ARCHITECTURE §3: busy cursor after ~300 ms (the TaskManager does that), a progress
dialog with Cancel after ~600 ms. Quick work never flashes a dialog. Cancel sets the
task's CancelToken; the core stops at its next `check()` and raises the "cancelled"
error, which is not an error to the clerk who asked for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.errors import DvcError
from desktop.progress import E_CANCELLED, CancelToken, Progress, ProgressCallback
from ui.tasks import Lane, TaskHandle, TaskManager

T = TypeVar("T")
DIALOG_DELAY_MS = 600


class TaskProgress(QObject, Generic[T]):
    """One long task, its delayed progress dialog and its Cancel button."""

    def __init__(
        self,
        tasks: TaskManager,
        fn: Callable[[ProgressCallback, CancelToken], T],
        *,
        parent: QWidget,
        label: str,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        lane: Lane = Lane.IO,
        dialog_delay_ms: int = DIALOG_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._label = label
        self._tasks = tasks
        self._on_success = on_success
        self._on_failure = on_failure
        self._last: Progress | None = None
        self.dialog: QProgressDialog | None = None
        self.dialog_was_shown = False
        self.finished = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(dialog_delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.handle: TaskHandle = tasks.run_long(
            fn,
            on_success=self._succeeded,
            on_failure=self._failed,
            on_progress=self._progressed,
            lane=lane,
        )
        self._timer.start()

    def cancel(self) -> None:
        """What the Cancel button does."""
        self.handle.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("Đang huỷ…"))
            self.dialog.setCancelButton(None)  # no second Cancel while stopping

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self.finished:
            return
        dialog = QProgressDialog(self._parent)
        dialog.setWindowTitle(self.tr("dvc-desk"))
        dialog.setLabelText(self._label)
        dialog.setCancelButtonText(self.tr("Huỷ"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setRange(0, 0)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self.dialog_was_shown = True
        if self._last is not None:
            self._show_progress(self._last)
        dialog.show()

    def _progressed(self, progress: Progress) -> None:
        self._last = progress
        if self.dialog is not None:
            self._show_progress(progress)

    def _show_progress(self, progress: Progress) -> None:
        assert self.dialog is not None
        if progress.total:
            self.dialog.setRange(0, progress.total)
            self.dialog.setValue(min(progress.done, progress.total))
        else:
            self.dialog.setRange(0, 0)  # busy indicator: the total is unknown
        if progress.label:
            self.dialog.setLabelText(f"{self._label}\n{progress.label}")

    def _succeeded(self, result: T) -> None:
        self._finish()
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, DvcError) and exc.code == E_CANCELLED:
            return  # the clerk asked for it
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            self._tasks.sig_task_failed.emit(exc)

    def _finish(self) -> None:
        self.finished = True
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        # Not deleteLater(): the task manager drops the last Python reference right after
        # this, and Qt deleting a Python-made QObject whose wrapper is already gone
        # crashes. Without a parent, the object goes with its last reference, on this
        # (the GUI) thread.
        self.setParent(None)


def run_with_progress(
    tasks: TaskManager,
    fn: Callable[[ProgressCallback, CancelToken], T],
    *,
    parent: QWidget,
    label: str,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    lane: Lane = Lane.IO,
    dialog_delay_ms: int = DIALOG_DELAY_MS,
) -> TaskProgress[T]:
    """Run the core's long work `fn(progress, cancel)` with a delayed, cancellable dialog."""
    return TaskProgress(
        tasks,
        fn,
        parent=parent,
        label=label,
        on_success=on_success,
        on_failure=on_failure,
        lane=lane,
        dialog_delay_ms=dialog_delay_ms,
    )
