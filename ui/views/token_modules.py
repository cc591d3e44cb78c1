"""The PKCS#11 modules of the Chứng thư số screen: scanned on a worker, and listed
each with why it is there ("đã cấu hình" or a CA driver's install path) and what its
scan gave."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.signing.sources import TokenModule, scan_token_modules
from ui.callbacks import weakly
from ui.models.certificate_table import RED
from ui.tasks import Lane, TaskManager

MODULE_ROLE = Qt.ItemDataRole.UserRole  # an item's TokenModule
SLOW_SCAN_MS = 5000  # after this, say that a driver is slow to answer


class ModulesPanel(QGroupBox):
    """One two-line item per module: its path, then the reason and the result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Thư viện token (PKCS#11) đã tìm thấy"), parent)
        self.modules_list = QListWidget()
        self.modules_list.setWordWrap(True)
        self.modules_list.setSpacing(2)
        self.modules_note = QLabel()
        self.modules_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.modules_list, 1)
        layout.addWidget(self.modules_note)

    def show_modules(self, found: list[TokenModule]) -> None:
        self.modules_list.clear()
        for module in found:
            why = (
                self.tr("tìm thấy tại đường dẫn cài đặt của {vendor}").format(vendor=module.vendor)
                if module.vendor
                else self.tr("đã cấu hình")
            )
            if module.error:
                result = module.error
            elif module.certificates:
                result = self.tr("%n chứng thư", "", len(module.certificates))
            else:
                result = self.tr("Không có token nào đang cắm")
            item = QListWidgetItem(f"{module.path}\n{why} · {result}")
            item.setData(MODULE_ROLE, module)
            item.setToolTip(item.text())
            if module.error:
                item.setForeground(QColor(RED))
            self.modules_list.addItem(item)
        if found:
            self.modules_note.setText("")
        else:
            self.modules_note.setText(
                self.tr(
                    "Không tìm thấy thư viện token nào. Cài trình điều khiển token của nhà "
                    "cung cấp chứng thư số, hoặc thêm đường dẫn thư viện trong Cài đặt."
                )
            )


class TokenScanner(QObject):
    """Scans the modules for token certificates on the I/O lane, one scan at a time.

    A vendor's driver may take seconds or never answer: the window stays usable,
    `sig_slow` says so after SLOW_SCAN_MS, and no second scan starts meanwhile.
    """

    sig_finished = Signal(list)
    """The scan ended: one TokenModule per module (errors included)."""

    sig_failed = Signal(object)
    """The scan itself failed (finding the modules): the exception."""

    sig_slow = Signal()
    """The scan has been running for SLOW_SCAN_MS."""

    def __init__(
        self, tasks: TaskManager, modules: Callable[[], list[str]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._modules = modules
        self.scanning = False
        self.scanned_once = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SLOW_SCAN_MS)
        self._timer.timeout.connect(self.sig_slow)

    def scan(self) -> bool:
        """Start a scan; False when one is still running."""
        if self.scanning:
            return False
        self.scanning = self.scanned_once = True
        self._timer.start(SLOW_SCAN_MS)  # read now: tests shorten it
        modules = self._modules
        self._tasks.run(
            lambda: scan_token_modules(modules()),
            on_success=weakly(self, lambda scanner, found: scanner._done(found, None)),
            on_failure=weakly(self, lambda scanner, exc: scanner._done([], exc)),
            lane=Lane.IO,
            busy=False,
        )
        return True

    def _done(self, found: list[TokenModule], exc: BaseException | None) -> None:
        self.scanning = False
        self._timer.stop()
        if exc is None:
            self.sig_finished.emit(found)
        else:
            self.sig_failed.emit(exc)
