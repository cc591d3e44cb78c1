"""The one way to run core calls off the GUI thread.

Two lanes, as Anki's task manager has them: one serialized worker for database writes
(SQLite has one writer; queuing them here keeps `busy_timeout` waits off the user's
path) and a small pool for reads and I/O. Success, failure and progress are delivered
on the GUI thread through a queued signal. An exception is never lost: it goes to the
task's `on_failure`, or else to `sig_task_failed` and the log.

A task that is still running after ~300 ms shows the busy cursor until every such task
is done.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from desktop.errors import DvcError, UserError
from desktop.progress import E_CANCELLED, CancelToken, Progress, ProgressCallback
from desktop.storage import failures

log = logging.getLogger(__name__)

T = TypeVar("T")
BUSY_DELAY_MS = 300


class Lane(enum.Enum):
    """Where a task runs."""

    WRITE = "write"  # the single serialized database writer
    IO = "io"  # the small pool for reads, hashing, files


class TaskHandle:
    """A running task: cancel it, or ask whether it finished."""

    def __init__(self, future: Future[Any], cancel_token: CancelToken) -> None:
        self._future = future
        self.cancel_token = cancel_token

    def cancel(self) -> None:
        """Ask the task to stop: one not started yet never runs; either way `on_failure`
        gets the core's "cancelled" error (`sig_task_failed` does not)."""
        self.cancel_token.cancel()
        self._future.cancel()

    @property
    def done(self) -> bool:
        return self._future.done()


class TaskManager(QObject):
    """Runs callables in the background and calls back on the GUI thread."""

    sig_task_failed = Signal(object)
    """A task failed and had no `on_failure`; carries the exception."""

    sig_busy_changed = Signal(bool)
    """The busy cursor was shown (True) or removed (False)."""

    _sig_deliver = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        io_workers: int = 2,
        busy_delay_ms: int = BUSY_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dvc-write")
        self._pool = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="dvc-io")
        self._closed = threading.Event()
        self._busy_tasks = 0
        self._busy_shown = False
        self._next_id = 0
        self._held: dict[int, tuple[Any, ...]] = {}  # task id -> its callables (GUI thread)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(self._on_busy_timer_timeout)
        self._sig_deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy_cursor_shown(self) -> bool:
        return self._busy_shown

    def run(
        self,
        fn: Callable[[], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        lane: Lane = Lane.IO,
        busy: bool = True,
    ) -> TaskHandle:
        """Run `fn()` on `lane`; `on_success(result)` or `on_failure(exc)` on the GUI thread."""
        return self.run_long(
            lambda _progress, _cancel: fn(),
            on_success=on_success,
            on_failure=on_failure,
            lane=lane,
            busy=busy,
        )

    def run_long(
        self,
        fn: Callable[[ProgressCallback, CancelToken], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        lane: Lane = Lane.IO,
        busy: bool = True,
    ) -> TaskHandle:
        """Run `fn(progress, cancel)`, the core's long-work signature, with progress reports.

        Progress is coalesced: when the GUI thread is behind, only the latest report is shown.
        """
        token = CancelToken()
        if self._closed.is_set():
            # The app is closing (a timer fired during shutdown): nothing may start now.
            log.debug("task not started: the task manager is shut down")
            dropped: Future[T] = Future()
            dropped.cancel()
            return TaskHandle(dropped, token)
        report = _ProgressRelay(self._deliver, on_progress)
        executor = self._writer if lane is Lane.WRITE else self._pool
        if busy:
            self._busy_tasks += 1
            if not self._busy_timer.isActive() and not self._busy_shown:
                self._busy_timer.start()
        # Whatever the task's callables hold (often a widget) must be released on this
        # thread: a widget whose last reference goes away on a worker is destroyed there,
        # which crashes Qt. The worker takes `fn` out of the box and drops it before the
        # result is set; the GUI thread keeps its own references until `_finish`.
        box: list[tuple[Callable[[ProgressCallback, CancelToken], T], _ProgressRelay]] = [
            (fn, report)
        ]

        def job() -> T:
            work, relay = box.pop()
            return work(relay, token)

        self._next_id += 1
        task_id = self._next_id
        self._held[task_id] = (fn, report, on_success, on_failure, box)
        future = executor.submit(job)

        def finished(done: Future[T]) -> None:
            # Runs on the worker thread (or here, if cancelled before starting).
            self._deliver(lambda: self._finish(done, busy, task_id))

        future.add_done_callback(finished)
        return TaskHandle(future, token)

    def shutdown(self) -> None:
        """Stop taking work, drop queued tasks and wait for running ones (call before exit)."""
        self._closed.set()
        self._writer.shutdown(wait=True, cancel_futures=True)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._held.clear()  # results are no longer delivered: release the callables here
        self._busy_timer.stop()
        self._set_busy(False)

    # --- GUI thread ------------------------------------------------------------------

    def _deliver(self, call: Callable[[], None]) -> None:
        if self._closed.is_set():
            return
        try:
            self._sig_deliver.emit(call)
        except RuntimeError:
            # The QObject was deleted during shutdown: nobody is left to tell.
            log.debug("task result dropped: the task manager is gone")

    @Slot(object)
    def _on_deliver(self, call: Callable[[], None]) -> None:
        call()

    def _finish(self, future: Future[T], busy: bool, task_id: int) -> None:
        held = self._held.pop(task_id, None)
        if held is None:  # shut down since: the result is no longer wanted
            return
        _fn, _report, on_success, on_failure, box = held
        box.clear()  # a task cancelled before it started: its job still sits in the queue
        if busy:
            self._busy_tasks -= 1
            if self._busy_tasks == 0:
                self._busy_timer.stop()
                self._set_busy(False)
        # A task cancelled before it started ends like one that stopped at check():
        # with the "cancelled" error. One that finished although cancel came too late
        # reports its result: the work is done.
        exc = UserError(E_CANCELLED) if future.cancelled() else future.exception()
        if exc is not None:
            # A full disk, a read-only folder or a damaged database: the clerk's message,
            # never SQLAlchemy's text with the row's data.
            exc = failures.as_dvc_error(exc) or exc
        if exc is None:
            if on_success is not None:
                on_success(future.result())
            return
        cancelled = isinstance(exc, DvcError) and exc.code == E_CANCELLED
        if isinstance(exc, DvcError):
            log.info("task refused: %s %s", exc.code, exc.params)
        else:
            log.error("task failed", exc_info=exc)
        if on_failure is not None:
            on_failure(exc)
        elif not cancelled:  # whoever cancelled knows; it is no error to show
            self.sig_task_failed.emit(exc)

    @Slot()
    def _on_busy_timer_timeout(self) -> None:
        if self._busy_tasks > 0:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy == self._busy_shown:
            return
        self._busy_shown = busy
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
        self.sig_busy_changed.emit(busy)


class _ProgressRelay:
    """The progress callback handed to the core: thread-safe, coalescing."""

    def __init__(
        self,
        deliver: Callable[[Callable[[], None]], None],
        on_progress: Callable[[Progress], None] | None,
    ) -> None:
        self._deliver = deliver
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._latest: Progress | None = None

    def __call__(self, progress: Progress) -> None:
        if self._on_progress is None:
            return
        with self._lock:
            pending = self._latest is not None
            self._latest = progress
        if not pending:
            self._deliver(self._flush)

    def _flush(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None and self._on_progress is not None:
            self._on_progress(latest)
