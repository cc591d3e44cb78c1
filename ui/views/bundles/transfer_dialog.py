"""«Chuyển bằng USB»: hand the chosen dossiers over in a signed bundle on a stick."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import CancelToken, ProgressCallback
from desktop.signing.sources import P12, TOKEN, KeySource, TokenModule, scan_token_modules
from ui.callbacks import weakly
from ui.tasks import TaskManager
from ui.views.signing.p12_paths import remember_p12_path, remembered_p12_paths
from ui.widgets.task_progress import run_with_progress


class Exporting(Protocol):
    def export(
        self,
        dossier_ids: list[int],
        target: Path,
        source: KeySource,
        secret: str,
        *,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any: ...


class TransferDialog(QDialog):
    """Choose the file on the stick and the key that signs the bundle, then write it."""

    sig_exported = Signal(object)
    """The bundle was written: the core's ExportResult."""

    def __init__(
        self,
        dossier_ids: list[int],
        *,
        bundles: Exporting,
        tasks: TaskManager,
        ui_settings: QSettings,
        modules: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.dossier_ids = dossier_ids
        self._bundles = bundles
        self._tasks = tasks
        self._settings = ui_settings
        self._build_ui()
        self._connect_signals()
        for path in remembered_p12_paths(ui_settings):
            self.add_source(KeySource(P12, path), Path(path).name)
        if modules:
            self._tasks.run(
                lambda: scan_token_modules(modules),
                on_success=weakly(self, TransferDialog._tokens_listed),
            )
        self._update()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Chuyển hồ sơ bằng USB"))
        intro = QLabel(
            self.tr(
                "%n hồ sơ sẽ được ghi vào một gói đã ký số để mang đến nơi nộp. Sau khi ghi, "
                "các hồ sơ này được đánh dấu «Đã chuyển đi» và không sửa hay nộp được ở máy "
                "này cho đến khi lấy lại.",
                "",
                len(self.dossier_ids),
            )
        )
        intro.setWordWrap(True)
        self.output_edit = QLineEdit()
        self.output_edit.setPlaceholderText(self.tr("Ví dụ E:/ho-so-xa.dvcb"))
        self.browse_button = QPushButton(self.tr("Chọn…"))
        output = QHBoxLayout()
        output.addWidget(self.output_edit, 1)
        output.addWidget(self.browse_button)
        self.key_combo = QComboBox()
        self.add_p12_button = QPushButton(self.tr("Thêm tệp .p12…"))
        keys = QHBoxLayout()
        keys.addWidget(self.key_combo, 1)
        keys.addWidget(self.add_p12_button)
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setPlaceholderText(self.tr("Mật khẩu tệp .p12 hoặc mã PIN token"))
        form = QFormLayout()
        form.addRow(self.tr("Tệp gói trên USB"), output)
        form.addRow(self.tr("Chứng thư ký gói"), keys)
        form.addRow(self.tr("Mật khẩu / PIN"), self.secret_edit)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Ghi gói"))
        self.export_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.export_button)

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.add_p12_button.clicked.connect(self._on_add_p12_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.output_edit.textChanged.connect(self._update)
        self.key_combo.currentIndexChanged.connect(self._update)

    def add_source(self, source: KeySource, label: str) -> None:
        self.key_combo.addItem(label, source)
        self.key_combo.setCurrentIndex(self.key_combo.count() - 1)

    def _tokens_listed(self, scanned: list[TokenModule]) -> None:
        for module in scanned:
            for choice in module.certificates:
                if choice.usable and choice.source.kind == TOKEN:
                    name = choice.info.common_name or choice.info.subject
                    self.add_source(choice.source, self.tr("Token: {name}").format(name=name))

    @Slot()
    def _update(self) -> None:
        ready = bool(self.output_edit.text().strip()) and self.key_combo.currentData() is not None
        self.export_button.setEnabled(ready)

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Ghi gói hồ sơ"), "", self.tr("Gói hồ sơ dvc-desk (*.dvcb)")
        )
        if path:
            self.output_edit.setText(path if path.endswith(".dvcb") else path + ".dvcb")

    @Slot()
    def _on_add_p12_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp chứng thư số"), "", self.tr("Tệp PKCS#12 (*.p12 *.pfx)")
        )
        if path:
            remember_p12_path(self._settings, path)
            self.add_source(KeySource(P12, path), Path(path).name)

    @Slot()
    def _on_export_button_clicked(self) -> None:
        source: KeySource = self.key_combo.currentData()
        secret, target = self.secret_edit.text(), Path(self.output_edit.text().strip())
        bundles, ids = self._bundles, list(self.dossier_ids)

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return bundles.export(ids, target, source, secret, progress=progress, cancel=cancel)

        self.export_button.setEnabled(False)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Đang ghi gói…"))
        run_with_progress(
            self._tasks, work, parent=self, label=self.tr("Đang ghi gói hồ sơ ra USB…"),
            on_success=weakly(self, TransferDialog._exported),
            on_failure=weakly(self, TransferDialog._failed),
        )  # fmt: skip

    def _exported(self, result: Any) -> None:
        parts = len(result.parts)
        text = self.tr("Đã ghi gói số {n}: {count} hồ sơ.").format(
            n=result.sequence, count=len(result.dossier_ids)
        )
        if parts > 1:
            text += " " + self.tr("Gói gồm {parts} phần; hãy chép đủ tất cả.").format(parts=parts)
        self.status_label.setText(text)
        self.sig_exported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._update()
        message = exc.message() if hasattr(exc, "message") else str(exc)
        self.status_label.setText(str(message))
        self.status_label.setStyleSheet("color: #b3261e;")
