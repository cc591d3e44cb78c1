"""The main window's sections: the navigation list and a page per section that says
"Đang mở…" until its screen is placed in it (built after the first paint, or lazily the
first time the section is shown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.icons import icon

OPENING = "opening"  # the object name of a page's "Đang mở…" label


class SectionPages:
    """The navigation list and the stack of pages, one per section, in the same order."""

    def __init__(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(150)
        self.navigation.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.names: list[str] = []
        self._built: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {}

    def add(self, name: str, title: str) -> None:
        """A navigation entry and its page, saying "Đang mở…" until its screen is placed."""
        item = QListWidgetItem(icon(name), title)
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setSizeHint(QSize(0, 36))
        self.navigation.addItem(item)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        opening = QLabel(QCoreApplication.translate("MainWindow", "Đang mở…"))
        opening.setObjectName(OPENING)
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(opening)
        self.stack.addWidget(page)
        self.names.append(name)

    def page(self, name: str) -> QWidget:
        page = self.stack.widget(self.names.index(name))
        assert page is not None
        return page

    def place(self, name: str, view: QWidget) -> None:
        """Put a built screen in its page in place of "Đang mở…"."""
        page = self.page(name)
        opening = page.findChild(QLabel, OPENING)
        if opening is not None:
            opening.hide()
            opening.deleteLater()
        layout = page.layout()
        assert layout is not None
        layout.addWidget(view)
        self._built[name] = view

    def build_later(self, name: str, build: Callable[[], QWidget]) -> None:
        """`build` makes the section's screen the first time it is asked for (`view`)."""
        self._builders[name] = build

    def remove(self, name: str) -> None:
        """Drop a section (its entry and its page); the navigation shows the same section
        as before, or the first one if it was this."""
        row = self.names.index(name)
        current = self.current()
        page = self.page(name)
        self.navigation.blockSignals(True)
        self.navigation.takeItem(row)
        self.navigation.blockSignals(False)
        self.stack.removeWidget(page)
        page.setParent(None)
        page.deleteLater()
        del self.names[row]
        self.show(current if current in self.names else self.names[0])

    def view(self, name: str) -> QWidget | None:
        """The screen of a section, built now if it is lazy and was not yet (None if there
        is no such section or its screen is not there yet)."""
        if name not in self._built and name in self._builders:
            self.place(name, self._builders[name]())
        return self._built.get(name)

    def built(self, name: str) -> QWidget | None:
        """The screen placed in a section's page, without building it."""
        return self._built.get(name)

    def current(self) -> str:
        return self.names[self.stack.currentIndex()]

    def show(self, name: str) -> None:
        self.navigation.setCurrentRow(self.names.index(name))
