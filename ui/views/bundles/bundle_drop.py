"""A `.dvcb` file dropped on the window: show who signed it, ask for trust when needed,
then import it (checked completely before anything is written)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.progress import CancelToken, ProgressCallback
from ui.callbacks import weakly
from ui.tasks import TaskManager
from ui.widgets.task_progress import run_with_progress

SUFFIX = ".dvcb"


class Importing(Protocol):
    def preview(self, path: Path) -> Any: ...

    def import_bundle(
        self, path: Path, trust_signer: str | None, progress: ProgressCallback, cancel: CancelToken
    ) -> Any: ...


def bundle_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(SUFFIX)
    ]


class BundleDrop(QObject):
    """Installed on the main window: accepts `.dvcb` drops and runs their import."""

    sig_imported = Signal(object)
    """A bundle was imported (or found already imported): the core's ImportResult."""

    sig_failed = Signal(object)
    """A bundle was refused: the core's error (its message says what is wrong)."""

    def __init__(
        self,
        window: QWidget,
        *,
        bundles: Importing,
        tasks: TaskManager,
        confirm: Callable[[QWidget, Any], bool] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._bundles = bundles
        self._tasks = tasks
        self._confirm = confirm or ask_trust
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            if bundle_paths(event):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = bundle_paths(event)
            if paths:
                event.acceptProposedAction()
                self.take_in(paths[0])
                return True
        return super().eventFilter(watched, event)

    def take_in(self, path: Path) -> None:
        """Preview the bundle (signature checked), then import it."""
        self._tasks.run(
            lambda: self._bundles.preview(path),
            on_success=weakly(self, lambda me, preview: me._previewed(path, preview)),
            on_failure=weakly(self, BundleDrop._failed),
        )

    def _previewed(self, path: Path, preview: Any) -> None:
        trust: str | None = None
        if not preview.trusted and not preview.already_imported:
            if not self._confirm(self._window, preview):
                return
            trust = preview.fingerprint
        bundles = self._bundles

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return bundles.import_bundle(path, trust, progress, cancel)

        run_with_progress(
            self._tasks, work, parent=self._window,
            label=self.tr("Đang kiểm tra và nhập gói hồ sơ…"),
            on_success=weakly(self, BundleDrop._imported),
            on_failure=weakly(self, BundleDrop._failed),
        )  # fmt: skip

    def _imported(self, result: Any) -> None:
        self.sig_imported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.sig_failed.emit(exc)


def ask_trust(parent: QWidget, preview: Any) -> bool:
    """Ask the clerk whether to trust this bundle's signer (who, when, how many)."""
    text = QCoreApplication.translate(
        "BundleDrop",
        "Gói này được ký bởi «{signer}» ({organisation}) lúc {when}, gồm {count} hồ sơ.\n\n"
        "Máy này chưa tin người ký này. Vân tay SHA-256 của chứng thư:\n{fingerprint}\n\n"
        "Hãy đối chiếu vân tay với đơn vị gửi gói. Tin người ký này và nhập gói?",
    ).format(
        signer=preview.signer,
        organisation=preview.organisation or "—",
        when=preview.created_at,
        count=preview.dossiers,
        fingerprint=preview.fingerprint,
    )
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("BundleDrop", "Người ký chưa được tin cậy"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
