"""One form field with the validation message shown under it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5a00;"


class FieldRow(QWidget):
    """`widget` and, below it, the core's sentence about it (hidden when all is well)."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self.message_label = QLabel()
        self.message_label.setObjectName("fieldMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.message_label)

    def show_message(self, text: str, *, warning: bool = False) -> None:
        """Show `text` (empty hides it); warnings are amber, errors red."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
        self.message_label.setVisible(bool(text))

    @property
    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisibleTo(self) else ""
