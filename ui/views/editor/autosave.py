"""Drafts saved as the clerk types: edits are gathered, then written in one go.

Edits wait `SAVE_DELAY_MS` after the last keystroke, then go to the write lane as one
`set_fields` call followed by `validate`, so the problems shown always belong to what
was just saved. While a save runs, new edits wait for it; nothing typed is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.dossier.model import Dossier, Problem
from ui.tasks import Lane, TaskManager

SAVE_DELAY_MS = 400


class FieldWriter(Protocol):
    def set_fields(
        self,
        dossier_id: int,
        values: dict[str, str | bool | None],
        expected_version: int | None = None,
    ) -> Any: ...

    def validate(self, dossier_id: int) -> list[Problem]: ...


class Autosave(QObject):
    """Debounced, serialized writes of one dossier's fields."""

    sig_saved = Signal(object, object)
    """A save finished: the Dossier as stored and its problems (list[Problem])."""

    sig_failed = Signal(object)
    """A save was refused: the exception (the edits stay pending for the next try)."""

    sig_state_changed = Signal(str)
    """`pending`, `saving` or `saved`: for the "Đã lưu" line."""

    def __init__(self, dossiers: FieldWriter, tasks: TaskManager, parent: QObject | None = None):
        super().__init__(parent)
        self._dossiers = dossiers
        self._tasks = tasks
        self.dossier_id: int | None = None
        # The dossier's row_version as last read or written here: a save made from it
        # is refused if another person changed the dossier since (issue #17).
        self.row_version: int | None = None
        self._pending: dict[str, str | bool | None] = {}
        self._saving = False
        self._after_save: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def busy(self) -> bool:
        """Edits are waiting or being written."""
        return bool(self._pending) or self._saving

    def edit(self, key: str, value: str) -> None:
        """Remember an edit; it is written after the clerk pauses."""
        self._pending[key] = value
        self.sig_state_changed.emit("pending")
        self._timer.start()

    def reset(self, dossier_id: int | None) -> None:
        """Edit another dossier (pending edits of the previous one are written first)."""
        if self._pending and self.dossier_id is not None:
            self._write()
        self.dossier_id = dossier_id
        self.row_version = None

    def seen(self, dossier: Dossier) -> None:
        """The editor shows `dossier` as read now: later saves start from its version."""
        if dossier.id == self.dossier_id:
            self.row_version = dossier.row_version

    def flush(self, then: Callable[[], None] | None = None) -> None:
        """Write pending edits now; `then()` runs once everything typed is stored."""
        if then is not None:
            self._after_save.append(then)
        self._timer.stop()
        if self._saving:
            return  # the running save calls back here when done
        if self._pending:
            self._write()
        else:
            self._run_after_save()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if not self._saving:
            self._write()

    def _write(self) -> None:
        dossier_id = self.dossier_id
        values, self._pending = self._pending, {}
        if dossier_id is None or not values:
            return
        self._saving = True
        self.sig_state_changed.emit("saving")
        dossiers = self._dossiers
        version = self.row_version

        def save() -> tuple[Dossier, list[Problem]]:
            dossier = dossiers.set_fields(dossier_id, values, expected_version=version)
            return dossier, dossiers.validate(dossier_id)

        self._tasks.run(
            save,
            on_success=lambda result: self._saved(dossier_id, *result),
            on_failure=lambda exc: self._failed(values, exc),
            lane=Lane.WRITE,
            busy=False,
        )

    def _saved(self, dossier_id: int, dossier: Dossier, problems: list[Problem]) -> None:
        self._saving = False
        if dossier_id == self.dossier_id:
            self.seen(dossier)
            self.sig_saved.emit(dossier, problems)
        self._continue()

    def _failed(self, values: dict[str, str | bool | None], exc: BaseException) -> None:
        self._saving = False
        # Keep what was typed: newer edits of the same keys win.
        self._pending = {**values, **self._pending}
        self._after_save.clear()
        self.sig_state_changed.emit("pending")
        self.sig_failed.emit(exc)

    def _continue(self) -> None:
        if self._pending:
            if self._after_save:
                self._write()
            else:
                self._timer.start()
            return
        self.sig_state_changed.emit("saved")
        self._run_after_save()

    def _run_after_save(self) -> None:
        calls, self._after_save = self._after_save, []
        for call in calls:
            call()
