"""The one table model that loads its rows page by page (the dossier list, the fees).

A reload reads what heads the list (a count, totals) and the first page, off the GUI
thread when a TaskManager is given; a reload that finishes after a newer one is dropped.
Further pages come through `fetchMore()` as the view scrolls: one page is one indexed
query of a few milliseconds, done in place, so the view's scrolling stays in step with
the rows it asked for. Subclasses say how to load (`_loader`, `_page`), what identifies a
row (`_key`), how many rows the list has (`_count`) and what they announce (`_reloaded`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex

from ui.tasks import TaskManager

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100
MAX_RELOAD_ROWS = 1000  # the core's list queries answer at most 1,000 rows at once

Loaded = tuple[Any, list[Any]]
"""What a reload reads: the head of the list (a count, totals) and its first rows."""


class PagedTableModel(QAbstractTableModel):
    COLUMNS = 0

    def __init__(
        self,
        tasks: TaskManager | None = None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._page_size = page_size
        self._total = 0
        self._rows: list[Any] = []
        self._generation = 0

    @property
    def total(self) -> int:
        """How many rows the list has (loaded or not)."""
        return self._total

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Read the head and the first page again, in the background when possible.

        With `keep_loaded`, as many rows as are loaded now come back (up to
        MAX_RELOAD_ROWS), so a clerk scrolled down the list stays where they were.
        """
        self._generation += 1
        generation = self._generation
        limit = self._page_size
        if keep_loaded:
            limit = min(max(limit, len(self._rows)), MAX_RELOAD_ROWS)
        load = self._loader(limit)

        def apply(result: Loaded) -> None:
            if generation == self._generation:
                self._reset(*result)

        if self._tasks is None:
            apply(load())
        else:
            self._tasks.run(load, on_success=apply, busy=False)

    def _reset(self, head: Any, rows: list[Any]) -> None:
        self.beginResetModel()
        self._total = self._count(head, rows)
        self._rows = rows
        self.endResetModel()
        self._reloaded(head)

    # --- what a subclass says ------------------------------------------------------------

    def _loader(self, limit: int) -> Callable[[], Loaded]:
        """A function (run off the GUI thread) reading the head and the first `limit`
        rows of the list as filtered now."""
        raise NotImplementedError

    def _page(self, offset: int, limit: int) -> Sequence[Any]:
        raise NotImplementedError

    def _key(self, row: Any) -> Hashable:
        raise NotImplementedError

    def _count(self, head: Any, rows: list[Any]) -> int:
        return int(head)

    def _reloaded(self, head: Any) -> None:
        """A reload was applied (announce it)."""

    # --- Qt model API ------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt API)
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        page = list(self._page(len(self._rows), self._page_size))
        known = {self._key(r) for r in self._rows}
        page = [r for r in page if self._key(r) not in known]
        if not page:
            self._total = len(self._rows)  # the list shrank since it was counted
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS
