"""The checklist of a dossier's components with their attached files.

Each component of the procedure is a top-level row (required ones marked `*`, with
"thiếu", "cần kiểm tra", "không áp dụng" or the number of files; remarks greyed); its
files are the rows under it: name, pages, size, type and a
signature badge. Files dropped on a component (or on one of its files) are offered
to it through `sig_files_dropped`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from desktop.catalog.model import ComponentSpec
from desktop.display import safe_text
from desktop.dossier import checklist
from desktop.dossier.model import Attachment, Dossier
from desktop.errors import language
from desktop.filecheck import sniff
from ui.models.labels import size_label

CODE_ROLE = Qt.ItemDataRole.UserRole
ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = 5


class ComponentsChecklist(QTreeWidget):
    """Components and files; accepts files dragged from the file manager."""

    sig_files_dropped = Signal(str, list)
    """Files were dropped on a component: its code and the local paths (str)."""

    def __init__(self) -> None:
        super().__init__()
        self.setColumnCount(COLUMNS)
        self.setHeaderLabels(
            [
                self.tr("Thành phần / tệp"),
                self.tr("Trang"),
                self.tr("Dung lượng"),
                self.tr("Loại"),
                self.tr("Chữ ký số"),
            ]
        )
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    # --- content -----------------------------------------------------------------------

    def set_dossier(
        self,
        dossier: Dossier,
        components: tuple[ComponentSpec, ...],
        statuses: dict[str, str] | None = None,
    ) -> None:
        """Show `components` of the procedure with the files of `dossier`; `statuses`
        (component code → desktop.dossier.checklist status) says what each still needs."""
        selected_code, selected_file = self.selected_component(), self.selected_attachment()
        self.clear()
        specs = list(components)
        known = {c.code for c in specs}
        for attachment in dossier.attachments:
            if attachment.component_code not in known:  # free components, unknown lists
                code = attachment.component_code
                specs.append(ComponentSpec(code, code, None))
                known.add(attachment.component_code)
        for spec in specs:
            files = dossier.attachments_of(spec.code)
            item = QTreeWidgetItem(self)
            marker = " *" if spec.required else ""
            item.setText(0, safe_text(f"{spec.code}. {spec.name}{marker}"))
            item.setToolTip(0, safe_text(spec.name + (f"\n{spec.case}" if spec.case else "")))
            item.setData(0, CODE_ROLE, spec.code)
            self._show_status(item, spec, (statuses or {}).get(spec.code), dossier)
            for attachment in files:
                self._add_file(item, attachment)
            item.setExpanded(True)
            if spec.code == selected_code and selected_file is None:
                self.setCurrentItem(item)
        if selected_file is not None:
            found = self.item_of_attachment(selected_file)
            if found is not None:
                self.setCurrentItem(found)

    def _show_status(
        self, item: QTreeWidgetItem, spec: ComponentSpec, status: str | None, dossier: Dossier
    ) -> None:
        files = dossier.attachments_of(spec.code)
        if status == checklist.NOTE:
            item.setText(0, safe_text(f"{spec.code}. {self.tr('(ghi chú)')} {spec.name}"))
            item.setForeground(0, QBrush(QColor("#5f6368")))
        elif status == checklist.UNCLEAR:
            item.setText(1, self.tr("cần kiểm tra"))
            item.setForeground(1, QBrush(QColor("#a15c00")))
            item.setToolTip(1, self.tr("Nguồn không ghi có bắt buộc hay không: đính kèm tệp "
                                       "hoặc bấm «Không áp dụng cho hồ sơ này»."))  # fmt: skip
        elif status == checklist.NOT_APPLICABLE:
            mark = dossier.mark_of(spec.code)
            item.setText(1, self.tr("không áp dụng"))
            item.setForeground(1, QBrush(QColor("#5f6368")))
            if mark is not None:
                item.setToolTip(1, self.tr("Ghi bởi %1").replace("%1", mark.marked_by))
        elif spec.required and not files and not spec.case:
            item.setText(1, self.tr("thiếu"))
            item.setForeground(1, QBrush(QColor("#b3261e")))
        elif files:
            item.setText(1, self.tr("%n tệp", "", len(files)))

    def _add_file(self, parent: QTreeWidgetItem, attachment: Attachment) -> None:
        facts = attachment.facts
        child = QTreeWidgetItem(parent)
        child.setText(0, safe_text(attachment.name))  # file names from scanners and disks
        child.setData(0, CODE_ROLE, attachment.component_code)
        child.setData(0, ATTACHMENT_ROLE, attachment.id)
        pages = facts.get("pages")
        child.setText(1, str(pages) if pages else "")
        child.setText(2, size_label(attachment.size))
        child.setText(3, sniff.label(attachment.media_type, language()))
        if facts.get("signed"):
            child.setText(4, self.tr("✔ đã ký (%n)", "", int(facts.get("signatures", 1))))
            child.setForeground(4, QBrush(QColor("#1b6e2d")))
        elif attachment.media_type == "application/pdf":
            child.setText(4, self.tr("chưa ký"))

    def item_of_attachment(self, attachment_id: int) -> QTreeWidgetItem | None:
        for top in range(self.topLevelItemCount()):
            parent = self.topLevelItem(top)
            for index in range(parent.childCount() if parent is not None else 0):
                child = parent.child(index) if parent is not None else None
                if child is not None and child.data(0, ATTACHMENT_ROLE) == attachment_id:
                    return child
        return None

    def item_of_component(self, code: str) -> QTreeWidgetItem | None:
        for top in range(self.topLevelItemCount()):
            item = self.topLevelItem(top)
            if item is not None and item.data(0, CODE_ROLE) == code:
                return item
        return None

    def selected_component(self) -> str | None:
        item = self.currentItem()
        return str(item.data(0, CODE_ROLE)) if item is not None else None

    def selected_attachment(self) -> int | None:
        item = self.currentItem()
        value = item.data(0, ATTACHMENT_ROLE) if item is not None else None
        return int(value) if value is not None else None

    # --- drag and drop -----------------------------------------------------------------

    def component_at(self, point: QPoint) -> str | None:
        item = self.itemAt(point)
        return str(item.data(0, CODE_ROLE)) if item is not None else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self.component_at(event.position().toPoint()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        code = self.component_at(event.position().toPoint())
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        files = [p for p in paths if Path(p).is_file()]
        if code is None or not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.sig_files_dropped.emit(code, files)
