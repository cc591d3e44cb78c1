"""The installed Qt binding keeps Python's reference counts right.

PySide6 6.12.0 on Python 3.11 decrements the count of the None or True it returns from
every void or bool call (a signal's emit(), processEvents()): a running app aborts with
"Fatal Python error: bool_dealloc" after a few thousand calls. pyproject.toml excludes
it; this test fails on any binding with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sig_number = Signal(int)


def test_signal_emit_and_process_events_keep_refcounts(qapp) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.sig_number.connect(received.append)
    calls = 200
    true_before = sys.getrefcount(True)
    none_before = sys.getrefcount(None)
    for i in range(calls):
        emitter.sig_number.emit(i)
        qapp.processEvents()
    assert received == list(range(calls))
    # Other code may take or drop a few references meanwhile; a leak of one per call
    # would show as -200 or worse.
    assert sys.getrefcount(True) > true_before - calls // 2
    assert sys.getrefcount(None) > none_before - calls // 2
