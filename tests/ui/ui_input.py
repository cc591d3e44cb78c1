"""Input the way a clerk gives it: typed text (Vietnamese through the input method)
and files dropped from the file manager onto a component of the dossier editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui.views.editor.dossier_editor import DossierEditor


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Keys for ASCII; Vietnamese arrives committed by the input method (as with Unikey),
    since QTest cannot synthesise keys for non-ASCII characters."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def drop_files(editor: DossierEditor, code: str, paths: list[Path]) -> None:
    checklist = editor.files_page.checklist
    item = checklist.item_of_component(code)
    assert item is not None
    point = QPointF(checklist.visualItemRect(item).center())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    checklist.dropEvent(event)
