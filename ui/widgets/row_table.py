"""The one way a read-only, row-selecting table of dvc-desk is set up."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def setup_row_table(
    table: QTableView,
    *,
    stretch: int,
    widths: Iterable[tuple[int, int]],
    alternating: bool = False,
    word_wrap: bool = False,
) -> None:
    """Whole-row single selection, no editing, no row numbers; `stretch` takes the
    remaining width and the other columns start at the given widths (the user can
    still drag them: Interactive is the header's default mode)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(alternating)
    table.setWordWrap(word_wrap)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in widths:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
