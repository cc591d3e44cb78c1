"""The quality findings of one scan before signing, each with the action that fixes it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.intake.quality import DELETE, RESCAN, ROTATE, Issue

ISSUE_ROLE = Qt.ItemDataRole.UserRole


class QualityList(QWidget):
    """ "Kiểm tra chất lượng" for the selected PDF, the findings, and one button per action."""

    sig_check_requested = Signal(bool)
    """The clerk asked for a check of the selected file (True: with text recognition)."""

    sig_fix_requested = Signal(object)
    """Rotate or delete the page of a finding: the `Issue`."""

    sig_rescan_requested = Signal(object)
    """Put a new scan in place of the file, for a finding: the `Issue`."""

    sig_page_selected = Signal(int)
    """The clerk selected a finding about one page: its number (1-based)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_button = QPushButton(self.tr("Kiểm tra chất lượng"))
        self.ocr_box = QCheckBox(self.tr("cả nhận dạng chữ (chậm hơn)"))
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.issues = QListWidget()
        self.issues.setWordWrap(True)
        self.rotate_button = QPushButton(self.tr("Xoay trang"))
        self.delete_button = QPushButton(self.tr("Xoá trang"))
        self.rescan_button = QPushButton(self.tr("Thay bằng bản quét mới…"))
        self._build_ui()
        self._connect_signals()
        self.set_enabled(False)

    def _build_ui(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.check_button)
        top.addWidget(self.ocr_box)
        top.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.rotate_button, self.delete_button, self.rescan_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.issues, 1)
        layout.addLayout(actions)

    def _connect_signals(self) -> None:
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.issues.currentItemChanged.connect(self._update_buttons)
        self.rotate_button.clicked.connect(self._on_fix_clicked)
        self.delete_button.clicked.connect(self._on_fix_clicked)
        self.rescan_button.clicked.connect(self._on_rescan_button_clicked)

    def set_enabled(self, enabled: bool) -> None:
        """Whether a PDF of an editable dossier is selected."""
        self.check_button.setEnabled(enabled)
        self.ocr_box.setEnabled(enabled)
        if not enabled:
            self.show_issues(None)
        self._update_buttons()

    def show_issues(self, issues: Sequence[Issue] | None, pages: int = 0) -> None:
        """The findings of the last check (None: nothing checked yet)."""
        self.issues.clear()
        if issues is None:
            self.summary_label.setText("")
        elif not issues:
            self.summary_label.setText(self.tr("%n trang, không có điểm nào cần xử lý.", "", pages))
        else:
            self.summary_label.setText(self.tr("%n điểm cần xử lý trước khi ký:", "", len(issues)))
        for issue in issues or ():
            item = QListWidgetItem(issue.message())
            item.setData(ISSUE_ROLE, issue)
            self.issues.addItem(item)
        self._update_buttons()

    def show_message(self, text: str) -> None:
        self.issues.clear()
        self.summary_label.setText(text)
        self._update_buttons()

    def selected_issue(self) -> Issue | None:
        item = self.issues.currentItem()
        value = item.data(ISSUE_ROLE) if item is not None else None
        return value if isinstance(value, Issue) else None

    @Slot()
    def _update_buttons(self) -> None:
        issue = self.selected_issue()
        if issue is not None and issue.page > 0:
            self.sig_page_selected.emit(issue.page)
        action = issue.action if issue is not None else None
        self.rotate_button.setEnabled(action == ROTATE)
        self.delete_button.setEnabled(action == DELETE)
        self.rescan_button.setEnabled(action == RESCAN)

    @Slot()
    def _on_check_button_clicked(self) -> None:
        self.summary_label.setText(self.tr("Đang kiểm tra…"))
        self.sig_check_requested.emit(self.ocr_box.isChecked())

    @Slot()
    def _on_fix_clicked(self) -> None:
        issue = self.selected_issue()
        if issue is not None:
            self.sig_fix_requested.emit(issue)

    @Slot()
    def _on_rescan_button_clicked(self) -> None:
        issue = self.selected_issue()
        if issue is not None:
            self.sig_rescan_requested.emit(issue)
