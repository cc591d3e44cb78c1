"""Ký số: choose a certificate (.p12 file or token), unlock it, choose the stamp, sign.

The password or PIN is masked and never written anywhere; with "Nhớ đến khi đóng ứng
dụng" it stays in this process's memory (`SecretCache`) until the app exits. The
remembered .p12 paths (never their passwords) live in the UI settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import CancelToken, ProgressCallback
from desktop.signing.sources import (
    P12,
    CertificateChoice,
    KeySource,
    TokenModule,
    p12_certificate,
    scan_token_modules,
    sign_with_key,
)
from ui.callbacks import weakly
from ui.tasks import TaskManager
from ui.views.signing.p12_paths import remember_p12_path, remembered_p12_paths
from ui.views.signing.remote_panel import RemotePanel, RemoteSigner
from ui.views.signing.stamp_options import StampOptions
from ui.widgets.row_table import setup_row_table
from ui.widgets.task_progress import run_with_progress

SOURCE_ROLE = Qt.ItemDataRole.UserRole


if TYPE_CHECKING:
    from desktop.signing.defaults import StampDefaults


@runtime_checkable
class KnowsStampDefaults(Protocol):
    """A signer that can say which stamp the clerk set as default (Cài đặt)."""

    def stamp_defaults(self) -> StampDefaults: ...


class DossierSigner(Protocol):
    def sign(
        self,
        dossier_id: int,
        key: Any,
        options: Any,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any: ...


class SecretCache:
    """Passwords and PINs kept in memory only, until the app closes (opt-in)."""

    def __init__(self) -> None:
        self._secrets: dict[KeySource, str] = {}

    def get(self, source: KeySource) -> str:
        return self._secrets.get(self._key(source), "")

    def put(self, source: KeySource, secret: str) -> None:
        self._secrets[self._key(source)] = secret

    def clear(self) -> None:
        self._secrets.clear()

    @staticmethod
    def _key(source: KeySource) -> KeySource:
        # One PIN per token, whichever of its certificates signs.
        return KeySource(source.kind, source.path, source.token_label)


class SigningDialog(QDialog):
    """Sign every PDF of one READY dossier."""

    sig_signed = Signal(object)
    """Signing succeeded: the core's DossierSignReport."""

    def __init__(
        self,
        dossier_id: int,
        *,
        signer: DossierSigner,
        tasks: TaskManager,
        ui_settings: QSettings,
        modules: list[str],
        secrets: SecretCache,
        parent: QWidget | None = None,
        preview: Path | None = None,
        stamp_defaults: StampDefaults | None = None,
    ) -> None:
        super().__init__(parent)
        self._preview = preview
        if stamp_defaults is None and isinstance(signer, KnowsStampDefaults):
            stamp_defaults = signer.stamp_defaults()
        self._stamp_defaults = stamp_defaults
        self.dossier_id = dossier_id
        self._signer = signer
        self._tasks = tasks
        self._settings = ui_settings
        self._secrets = secrets
        self.choices: list[CertificateChoice | KeySource] = []
        self._build_ui()
        for path in remembered_p12_paths(self._settings):
            self._add_row(KeySource(P12, path))
        if modules:
            self._tasks.run(
                lambda: scan_token_modules(modules),
                on_success=weakly(self, SigningDialog._tokens_listed),
                on_failure=weakly(self, SigningDialog._show_failure),
            )
        self._on_table_selection_changed()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Ký số hồ sơ #{id}").format(id=self.dossier_id))
        # The page to drag the stamp on needs height; without it the dialog stays compact.
        # Office laptops are often 1366x768: never taller than the screen's free area.
        wanted = 780 if self._preview is not None else 620
        screen = self.screen()
        room = screen.availableGeometry().height() - 60 if screen is not None else wanted
        self.resize(900, max(min(wanted, room), 480))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([
            self.tr("Nguồn"), self.tr("Người ký"), self.tr("Cấp bởi"),
            self.tr("Hiệu lực đến"), self.tr("Tình trạng"),
        ])  # fmt: skip
        setup_row_table(
            self.table,
            stretch=4,
            widths=((0, 170), (1, 230), (2, 170), (3, 130)),
            word_wrap=True,
        )
        self.add_p12_button = QPushButton(self.tr("Thêm tệp .p12…"))
        self.secret_label = QLabel()
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.open_button = QPushButton(self.tr("Xem chứng thư"))
        self.remember_check = QCheckBox(self.tr("Nhớ đến khi đóng ứng dụng (không lưu xuống đĩa)"))
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_label)
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.open_button)
        certs = QGroupBox(self.tr("Chứng thư số"))
        certs_layout = QVBoxLayout(certs)
        certs_layout.addWidget(self.table, 1)
        certs_layout.addWidget(self.add_p12_button, 0, Qt.AlignmentFlag.AlignLeft)
        certs_layout.addLayout(secret_row)
        certs_layout.addWidget(self.remember_check)

        self.remote_panel: RemotePanel | None = None
        if isinstance(self._signer, RemoteSigner):
            # Ký số từ xa (issue #15): a certificate held by a trust service.
            self.remote_panel = RemotePanel(
                self.dossier_id,
                self._signer,
                self._tasks,
                self._remote_options,
            )
            self.remote_panel.sig_signed.connect(self.sig_signed)
            self.key_tabs = QTabWidget()
            self.key_tabs.addTab(certs, self.tr("Tệp .p12 / token"))
            self.key_tabs.addTab(self.remote_panel, self.tr("Ký số từ xa"))
            panel = self.remote_panel
            self.remote_panel.sig_waiting.connect(lambda: self.key_tabs.setCurrentWidget(panel))
            self._build_bottom(self.key_tabs)
            return
        self._build_bottom(certs)

    def _remote_options(self) -> Any:
        from desktop.signing.signer import SignOptions

        return SignOptions(stamp=self.stamp_options.stamp())

    def _build_bottom(self, certs: QWidget) -> None:
        self.stamp_options = StampOptions(preview=self._preview)
        if self._stamp_defaults is not None:
            self.stamp_options.set_defaults(self._stamp_defaults)
        stamp = QGroupBox(self.tr("Hình thức chữ ký"))
        QVBoxLayout(stamp).addWidget(self.stamp_options)

        self.results = QTableWidget(0, 2)
        self.results.setHorizontalHeaderLabels([self.tr("Tệp"), self.tr("Kết quả")])
        self.results.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.sign_button = QPushButton(self.tr("Ký số"))
        self.sign_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Đóng"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(certs, 3)
        layout.addWidget(stamp)
        layout.addWidget(self.results, 2)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.add_p12_button.clicked.connect(self._on_add_p12_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.close_button.clicked.connect(self.reject)

    # --- certificates ------------------------------------------------------------------

    def add_p12(self, path: str) -> None:
        """Offer a .p12 file and remember its path (never its password)."""
        remember_p12_path(self._settings, path)
        row = self._add_row(KeySource(P12, path))
        self.table.selectRow(row)

    def _add_row(self, entry: CertificateChoice | KeySource) -> int:
        source = entry.source if isinstance(entry, CertificateChoice) else entry
        for row, existing in enumerate(self.choices):
            old = existing.source if isinstance(existing, CertificateChoice) else existing
            if old == source:
                self.choices[row] = entry
                self._fill_row(row, entry)
                return row
        self.choices.append(entry)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._fill_row(row, entry)
        return row

    def _fill_row(self, row: int, entry: CertificateChoice | KeySource) -> None:
        source = entry.source if isinstance(entry, CertificateChoice) else entry
        name = source.path.replace("\\", "/").rsplit("/", 1)[-1]
        origin = name if source.kind == P12 else self.tr("Token {label}").format(
            label=source.token_label)  # fmt: skip
        if isinstance(entry, CertificateChoice):
            from desktop.signing.certs import vietnam_time  # cryptography: only when needed

            info = entry.info
            texts = [origin, info.common_name or info.subject, info.issuer,
                     vietnam_time(info.not_after),
                     self.tr("Dùng được") if entry.usable else entry.problem]  # fmt: skip
        else:
            texts = [origin, self.tr("(nhập mật khẩu rồi bấm «Xem chứng thư»)"), "", "", ""]
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == 4 and isinstance(entry, CertificateChoice):
                item.setForeground(QBrush(QColor("#1b6e2d" if entry.usable else "#b3261e")))
            self.table.setItem(row, column, item)

    def _tokens_listed(self, scanned: list[TokenModule]) -> None:
        # A driver that fails does not hide the certificates other drivers found.
        for module in scanned:
            for choice in module.certificates:
                self._add_row(choice)
        self._on_table_selection_changed()
        failed = [m for m in scanned if m.error]
        if failed:
            self.status_label.setStyleSheet("color: #8a5300;")
            self.status_label.setText(
                "\n".join(
                    self.tr("Không đọc được token qua «{module}»: {error}").format(
                        module=m.path, error=m.error
                    )
                    for m in failed
                )
            )

    def selected_source(self) -> KeySource | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        entry = self.choices[rows[0].row()]
        return entry.source if isinstance(entry, CertificateChoice) else entry

    @Slot()
    def _on_table_selection_changed(self) -> None:
        source = self.selected_source()
        p12 = source is not None and source.kind == P12
        self.secret_label.setText(self.tr("Mật khẩu tệp .p12") if p12 else self.tr("Mã PIN"))
        self.open_button.setVisible(p12)
        self.secret_edit.setText(self._secrets.get(source) if source else "")
        self.sign_button.setEnabled(source is not None)

    @Slot()
    def _on_add_p12_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp chứng thư số"), "", self.tr("Tệp PKCS#12 (*.p12 *.pfx)")
        )
        if path:
            self.add_p12(path)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        source, secret = self.selected_source(), self.secret_edit.text()
        if source is None or source.kind != P12:
            return
        self._tasks.run(
            lambda: p12_certificate(source.path, secret),
            on_success=weakly(self, SigningDialog._p12_opened),
            on_failure=weakly(self, SigningDialog._show_failure),
        )

    def _p12_opened(self, choice: CertificateChoice) -> None:
        self._add_row(choice)
        self.status_label.setStyleSheet("")
        self.status_label.setText(choice.problem or self.tr("Chứng thư dùng được để ký."))

    # --- signing -----------------------------------------------------------------------

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        source, secret = self.selected_source(), self.secret_edit.text()
        if source is None:
            return
        if self.remember_check.isChecked():
            self._secrets.put(source, secret)
        from desktop.signing.signer import SignOptions

        options = SignOptions(stamp=self.stamp_options.stamp())
        signer, dossier_id = self._signer, self.dossier_id

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return sign_with_key(
                source, secret, lambda key: signer.sign(dossier_id, key, options, progress, cancel)
            )

        self.sign_button.setEnabled(False)
        self.status_label.setText(self.tr("Đang ký…"))
        run_with_progress(
            self._tasks, work, parent=self, label=self.tr("Đang ký số các tệp PDF…"),
            on_success=weakly(self, SigningDialog._signed),
            on_failure=weakly(self, SigningDialog._show_failure),
        )  # fmt: skip

    def _signed(self, report: Any) -> None:
        self.sign_button.setEnabled(False)
        pdfs = [a for a in report.dossier.attachments if a.media_type == "application/pdf"]
        rows = [(a.name, self.tr("Đã ký")) for a in pdfs]
        rows += [(name, self.tr("Không ký: không phải PDF")) for name in report.skipped]
        self.results.setRowCount(0)
        for name, text in rows:
            row = self.results.rowCount()
            self.results.insertRow(row)
            self.results.setItem(row, 0, QTableWidgetItem(name))
            self.results.setItem(row, 1, QTableWidgetItem(text))
        self.results.show()
        self.status_label.setText(self.tr("Đã ký số %n tệp.", "", len(report.outcomes)))
        self.sig_signed.emit(report)

    def _show_failure(self, exc: BaseException) -> None:
        self.sign_button.setEnabled(self.selected_source() is not None)
        message = exc.message() if hasattr(exc, "message") else str(exc)
        self.status_label.setText(str(message))
        self.status_label.setStyleSheet("color: #b3261e;")
