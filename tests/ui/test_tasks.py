"""ui/tasks.py: work runs off the GUI thread, results and errors come back on it."""

from __future__ import annotations

import threading

import pytest

from desktop.errors import UserError
from desktop.progress import CancelToken, Progress, ProgressCallback
from ui.tasks import Lane, TaskManager


def test_result_arrives_on_the_gui_thread(qtbot, tasks: TaskManager) -> None:
    seen: list[tuple[str, str]] = []

    def work() -> str:
        return threading.current_thread().name

    tasks.run(work, on_success=lambda name: seen.append((name, threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(seen))
    worker, receiver = seen[0]
    assert worker.startswith("dvc-io")
    assert receiver == threading.main_thread().name


def test_failure_goes_to_on_failure(qtbot, tasks: TaskManager) -> None:
    failures: list[BaseException] = []
    tasks.run(lambda: 1 / 0, on_success=pytest.fail, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], ZeroDivisionError)


def test_unhandled_failure_is_signalled_not_lost(qtbot, tasks: TaskManager) -> None:
    def refuse() -> None:
        raise UserError("storage.newer_database", path="x", revision="9999")

    with qtbot.waitSignal(tasks.sig_task_failed) as blocker:
        tasks.run(refuse)
    assert isinstance(blocker.args[0], UserError)
    assert blocker.args[0].code == "storage.newer_database"


def test_write_lane_runs_one_task_at_a_time(qtbot, tasks: TaskManager) -> None:
    lock = threading.Lock()
    running = 0
    peak = 0
    done: list[int] = []

    def write(i: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        for _ in range(20_000):  # some work, so overlapping tasks would be seen
            pass
        with lock:
            running -= 1
        return i

    for i in range(6):
        tasks.run(lambda i=i: write(i), on_success=done.append, lane=Lane.WRITE)
    qtbot.waitUntil(lambda: len(done) == 6)
    assert done == [0, 1, 2, 3, 4, 5]  # serialized, in order
    assert peak == 1


def test_progress_is_delivered_and_the_last_report_wins(qtbot, tasks: TaskManager) -> None:
    reports: list[Progress] = []
    results: list[int] = []

    def long_work(progress: ProgressCallback, cancel: CancelToken) -> int:
        for i in range(1, 101):
            cancel.check()
            progress(Progress(i, 100))
        return 100

    tasks.run_long(long_work, on_success=results.append, on_progress=reports.append)
    qtbot.waitUntil(lambda: bool(results))
    qtbot.waitUntil(lambda: bool(reports) and reports[-1].done == 100)
    assert [r.done for r in reports] == sorted(r.done for r in reports)


def test_busy_cursor_after_a_delay_and_removed_after(qtbot, tasks: TaskManager) -> None:
    release = threading.Event()
    finished: list[bool] = []
    busy_changes: list[bool] = []
    tasks.sig_busy_changed.connect(busy_changes.append)
    tasks.run(lambda: release.wait(5), on_success=finished.append)
    assert not tasks.busy_cursor_shown  # not at once: quick tasks never flicker
    qtbot.waitUntil(lambda: tasks.busy_cursor_shown, timeout=2000)
    release.set()
    qtbot.waitUntil(lambda: bool(finished))
    assert not tasks.busy_cursor_shown
    assert busy_changes == [True, False]


def test_quick_task_shows_no_busy_cursor(qtbot, qapp) -> None:
    # "Quick" is relative to the delay: with a minute's delay, no machine load can make
    # this task slow, so the check never depends on the clock.
    tasks = TaskManager(busy_delay_ms=60_000)
    busy_changes: list[bool] = []
    results: list[int] = []
    tasks.sig_busy_changed.connect(busy_changes.append)
    try:
        tasks.run(lambda: 42, on_success=results.append)
        qtbot.waitUntil(lambda: results == [42])
        # Done before the delay: the cursor never changed, and with no task left it cannot.
        assert busy_changes == []
        assert not tasks.busy_cursor_shown
    finally:
        tasks.shutdown()


def test_cancelled_queued_task_never_runs_and_says_cancelled(qtbot, tasks: TaskManager) -> None:
    gate = threading.Event()
    ran: list[str] = []
    failures: list[BaseException] = []
    unhandled: list[BaseException] = []
    tasks.sig_task_failed.connect(unhandled.append)
    first_done: list[object] = []
    tasks.run(lambda: gate.wait(5), on_success=first_done.append, lane=Lane.WRITE)
    queued = tasks.run(
        lambda: ran.append("late"), on_success=pytest.fail, on_failure=failures.append,
        lane=Lane.WRITE,
    )  # fmt: skip
    silent = tasks.run(lambda: ran.append("silent"), lane=Lane.WRITE)
    queued.cancel()
    silent.cancel()
    gate.set()
    qtbot.waitUntil(lambda: bool(first_done) and bool(failures))
    assert ran == []
    assert isinstance(failures[0], UserError)
    assert failures[0].code == "cancelled"
    assert "Đã huỷ theo yêu cầu" in failures[0].message()
    marker: list[object] = []
    tasks.run(lambda: None, on_success=marker.append, lane=Lane.WRITE)
    qtbot.waitUntil(lambda: bool(marker))
    assert unhandled == []  # a cancellation is not an error to show


def test_work_done_despite_a_late_cancel_reports_its_result(qtbot, tasks: TaskManager) -> None:
    started = threading.Event()
    release = threading.Event()
    results: list[str] = []

    def work() -> str:
        started.set()
        release.wait(5)
        return "signed"  # never looks at the token

    handle = tasks.run(work, on_success=results.append, on_failure=pytest.fail)
    assert started.wait(5)
    handle.cancel()
    release.set()
    qtbot.waitUntil(lambda: results == ["signed"])


def test_no_work_after_shutdown(qtbot, qapp) -> None:
    manager = TaskManager()
    manager.shutdown()
    ran: list[int] = []
    handle = manager.run(lambda: ran.append(1), on_success=pytest.fail, on_failure=pytest.fail)
    assert handle.done
    qapp.processEvents()
    assert ran == []


class _Probe:
    """Records the thread it is released on (a widget must die on the GUI thread)."""

    def __init__(self, deaths: list[str], go: threading.Event) -> None:
        self._deaths = deaths
        self._go = go

    def work(self) -> int:
        assert self._go.wait(timeout=10)  # the test has dropped its own references
        return 7

    def done(self, _value: int) -> None:
        pass

    def __del__(self) -> None:
        self._deaths.append(threading.current_thread().name)


def test_what_a_task_holds_is_released_on_the_gui_thread(qtbot, tasks: TaskManager) -> None:
    deaths: list[str] = []
    finished: list[int] = []
    go = threading.Event()
    work_probe, callback_probe = _Probe(deaths, go), _Probe(deaths, go)
    tasks.run(work_probe.work, on_success=callback_probe.done, lane=Lane.WRITE)
    tasks.run(lambda: 0, on_success=finished.append, lane=Lane.WRITE)
    del work_probe, callback_probe
    go.set()
    # The single writer ran both jobs (and dropped the first) before this wait ends.
    qtbot.waitUntil(lambda: finished == [0])
    assert deaths == [threading.main_thread().name] * 2
