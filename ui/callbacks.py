"""Task callbacks that do not keep a widget alive.

A TaskManager callback is released on whichever thread finishes last with it, often
the worker. If a closure over a widget held the widget's last Python reference, the
widget would be destroyed on that worker thread, which crashes Qt (seen as a rare
segfault at the end of a test). `weakly(widget, fn)` holds the widget weakly and calls
`fn(widget, value)` only while it still exists.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)
T = TypeVar("T")


def weakly(owner: W, call: Callable[[W, T], None]) -> Callable[[T], None]:
    """A callback for `TaskManager.run` that calls `call(owner, value)` if owner lives."""
    ref = weakref.ref(owner)

    def deliver(value: T) -> None:
        target = ref()
        if target is not None and shiboken6.isValid(target):
            call(target, value)

    return deliver
