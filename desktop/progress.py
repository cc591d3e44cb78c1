"""Progress reporting and cancellation for long core work (no widgets here)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from desktop.errors import UserError, define

E_CANCELLED = define(
    "cancelled",
    vi="Đã huỷ theo yêu cầu; không có gì bị thay đổi.",
    en="Cancelled as requested; nothing was changed.",
)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None
    label: str = ""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """A progress callback that ignores everything."""


class CancelToken:
    """Set from any thread; long work calls `check()` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise UserError(E_CANCELLED)
