"""A line edit with keyboard type-ahead over administrative units (province or commune).

The clerk types (diacritics optional); the suggestions come from a core function and
pop up under the box: Down/Up move, Enter chooses (the first suggestion when none is
highlighted), Escape closes. Choosing reports the unit's code; what is typed is also
reported as text, so nothing is lost if the clerk never chooses (the core reads it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

Suggest = Callable[[str], Sequence[tuple[str, str]]]
"""text → [(label, code)], best first."""


class UnitBox(QLineEdit):
    """Type-ahead box; `sig_unit_chosen(code)` when a suggestion is chosen."""

    sig_unit_chosen = Signal(str)
    """The clerk chose a suggestion: the unit's code."""
    sig_text_typed = Signal(str)
    """The clerk typed: the text as it is now (not a chosen unit)."""

    def __init__(self, suggest: Suggest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._suggest = suggest
        self._codes: dict[str, str] = {}
        self._labels: list[str] = []
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setWidget(self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setMaxVisibleItems(12)
        self.textEdited.connect(self._on_text_edited)
        self.returnPressed.connect(self._on_return_pressed)
        self.completer_.activated.connect(self._on_completer_activated)

    def set_suggest(self, suggest: Suggest) -> None:
        """Suggest from another source (e.g. the communes of another province)."""
        self._suggest = suggest

    def suggestions(self) -> list[str]:
        """The labels offered for the text typed (best first)."""
        return list(self._labels)

    def offer(self, items: Sequence[tuple[str, str]]) -> None:
        """Show `items` as the suggestions now (e.g. the candidates of an old address)."""
        self._codes = dict(items)
        self._labels = [label for label, _code in items]
        self._model.setStringList(self._labels)
        if self._labels and self.isVisible():
            self.completer_.complete()
        else:
            self._hide_popup()

    def popup_visible(self) -> bool:
        popup = self.completer_.popup()
        return popup is not None and popup.isVisible()

    def _hide_popup(self) -> None:
        popup = self.completer_.popup()
        if popup is not None:
            popup.hide()

    def choose(self, label: str) -> None:
        """Choose one of the offered suggestions by its label."""
        code = self._codes.get(label)
        if code is None:
            return
        self.setText(label)
        self._hide_popup()
        self.sig_unit_chosen.emit(code)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Down on a closed box lists what fits the text so far (everything when empty)."""
        if event.key() == Qt.Key.Key_Down and not self.popup_visible():
            self.offer(self._suggest(self.text()))
            return
        super().keyPressEvent(event)

    @Slot(str)
    def _on_text_edited(self, text: str) -> None:
        self.offer(self._suggest(text) if text.strip() else [])
        self.sig_text_typed.emit(text)

    @Slot()
    def _on_return_pressed(self) -> None:
        if self._labels and self.text() not in self._codes:
            self.choose(self._labels[0])

    @Slot(str)
    def _on_completer_activated(self, label: str) -> None:
        self.choose(label)
