"""Chứng thư số: every certificate the app can sign with, in one place.

The remembered .p12 files (the same list as the signing dialog's) and the certificates
on the tokens of every PKCS#11 module found (configured, or at a CA driver's usual
install path). A .p12's certificate is inside the encrypted file, so its row says
"Nhập mật khẩu để xem" until the clerk types the password (masked, never written;
kept in memory until the app closes only if asked). Tokens are scanned without a PIN
on a worker: a slow or broken driver never freezes the window and its error is shown
beside the module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.signing.sources import (
    P12,
    CertificateChoice,
    KeySource,
    TokenModule,
    p12_certificate_der,
    token_certificate_der,
)
from ui.callbacks import weakly
from ui.models.certificate_table import (
    COLUMN_ISSUER,
    COLUMN_SOURCE,
    COLUMN_SUBJECT,
    COLUMN_USABLE,
    COLUMN_VALID_UNTIL,
    RED,
    CertificateTableModel,
    file_name,
)
from ui.tasks import TaskManager
from ui.views.certificate_details import CertificateDetails, PasswordDialog, export_certificate
from ui.views.signing.p12_paths import forget_p12_path, remember_p12_path, remembered_p12_paths
from ui.views.signing.pdf_signing_dialog import PdfSigningDialog
from ui.views.signing.remote_panel import RemoteSigner
from ui.views.signing.signing_dialog import SecretCache
from ui.views.token_modules import ModulesPanel, TokenScanner
from ui.widgets.row_table import setup_row_table


@runtime_checkable
class RemoteCertificates(Protocol):
    """The trust services and the certificate a signer holds there (WorkspaceSigner)."""

    def remote_services(self) -> list[Any]: ...

    def remote_choice(self, name: str, user_id: str) -> tuple[CertificateChoice, bytes]: ...


class CertificatesView(QWidget):
    """The certificates table, the selected one's details and the PKCS#11 modules."""

    sig_scanned = Signal(int)
    """A token scan finished: the number of token certificates found."""

    sig_p12_opened = Signal(str)
    """A .p12 file was opened with its password: its path."""

    def __init__(
        self,
        ui_settings: QSettings,
        tasks: TaskManager,
        modules: Callable[[], list[str]],
        secrets: SecretCache,
        parent: QWidget | None = None,
        *,
        remote: RemoteCertificates | None = None,
    ) -> None:
        super().__init__(parent)
        self._remote = remote
        self._settings = ui_settings
        self._tasks = tasks
        self._modules = modules
        self._secrets = secrets
        self.scanner = TokenScanner(tasks, modules, self)
        self.model = CertificateTableModel(self)
        self.password_dialog: PasswordDialog | None = None
        self._ders: dict[KeySource, bytes] = {}  # opened .p12 certificates (public data)
        self._opening: set[str] = set()  # .p12 files being opened with a kept password
        self.scanner.sig_finished.connect(self._on_scanner_finished)
        self.scanner.sig_failed.connect(self._on_scanner_failed)
        self.scanner.sig_slow.connect(self._on_scanner_slow)
        self._build_ui()
        self.reload_files()

    def _build_ui(self) -> None:
        self.add_button = QPushButton(self.tr("Thêm tệp .p12…"))
        self.remove_button = QPushButton(self.tr("Bỏ khỏi danh sách"))
        self.remove_button.setToolTip(
            self.tr("Chỉ bỏ đường dẫn khỏi danh sách; tệp .p12 vẫn còn nguyên trên máy.")
        )
        self.password_button = QPushButton(self.tr("Nhập mật khẩu…"))
        self.details_button = QPushButton(self.tr("Xem chi tiết"))
        self.refresh_button = QPushButton(self.tr("Làm mới"))
        self.refresh_button.setToolTip(self.tr("Tìm lại các token đang cắm vào máy"))
        self.export_button = QPushButton(self.tr("Xuất chứng thư…"))
        actions = QHBoxLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.password_button,
            self.details_button,
            self.export_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.refresh_button)
        self._build_panes(actions)
        self._build_remote()

    def _build_remote(self) -> None:
        """Certificates held by a trust service: found by the signer's ID (issue #15)."""
        self.remote_combo = QComboBox()
        self.remote_user_edit = QLineEdit()
        self.remote_user_edit.setPlaceholderText(self.tr("Số CCCD của người ký"))
        self.remote_button = QPushButton(self.tr("Tìm chứng thư từ xa"))
        self.sign_files_button = QPushButton(self.tr("Ký tệp PDF từ xa…"))
        self.sign_files_button.setVisible(isinstance(self._remote, RemoteSigner))
        self.pdf_signing_dialog: PdfSigningDialog | None = None
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Ký số từ xa:")))
        row.addWidget(self.remote_combo, 1)
        row.addWidget(self.remote_user_edit, 1)
        row.addWidget(self.remote_button)
        row.addWidget(self.sign_files_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, row)
        self.remote_button.clicked.connect(self._on_remote_button_clicked)
        self.sign_files_button.clicked.connect(self._on_sign_files_button_clicked)
        self.reload_remote_services()

    @Slot()
    def _on_sign_files_button_clicked(self) -> None:
        """Loose PDFs signed with a remote certificate (issue #15)."""
        if not isinstance(self._remote, RemoteSigner):
            return
        dialog = PdfSigningDialog(self._remote, self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf_signing_dialog = dialog
        dialog.open()

    def reload_remote_services(self) -> None:
        self.remote_combo.clear()
        services = self._remote.remote_services() if self._remote is not None else []
        for service in services:
            self.remote_combo.addItem(service.name, service.name)
        self.remote_button.setEnabled(bool(services))
        self.sign_files_button.setEnabled(bool(services))
        self.remote_button.setToolTip(
            "" if services else self.tr("Chưa cấu hình dịch vụ ký số từ xa (Cài đặt).")
        )

    @Slot()
    def _on_remote_button_clicked(self) -> None:
        remote, name = self._remote, str(self.remote_combo.currentData() or "")
        user = self.remote_user_edit.text().strip()
        if remote is None or not name:
            return

        found_text = self.tr("Đã tìm thấy chứng thư từ xa của {user}.").format(user=user)

        def found(view: CertificatesView, result: tuple[CertificateChoice, bytes]) -> None:
            choice, der = result
            view._ders[choice.source] = der
            view.table.selectRow(view.model.add_remote(choice))
            view._show_status(found_text)

        def failed(view: CertificatesView, exc: BaseException) -> None:
            view._show_status(view._message(exc), error=True)

        self._show_status(self.tr("Đang hỏi dịch vụ «{name}»…").format(name=name))
        self._tasks.run(
            lambda: remote.remote_choice(name, user),
            on_success=weakly(self, found),
            on_failure=weakly(self, failed),
        )

    def _build_panes(self, actions: QHBoxLayout) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_row_table(
            self.table,
            stretch=COLUMN_USABLE,
            widths=(
                (COLUMN_SUBJECT, 300),
                (COLUMN_ISSUER, 200),
                (COLUMN_VALID_UNTIL, 120),
                (COLUMN_SOURCE, 170),
            ),
            word_wrap=True,
        )
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)

        self.details = CertificateDetails()
        details_box = QGroupBox(self.tr("Chi tiết chứng thư"))
        details_area = QScrollArea()
        details_area.setWidgetResizable(True)
        details_area.setFrameShape(QFrame.Shape.NoFrame)
        details_area.setWidget(self.details)
        QVBoxLayout(details_box).addWidget(details_area)
        self.modules_panel = ModulesPanel()

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(details_box)
        bottom.addWidget(self.modules_panel)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([600, 400])  # the fingerprint needs the room
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        layout.addWidget(self.status_label)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.password_button.clicked.connect(self.ask_password)
        self.details_button.clicked.connect(self._on_details_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.model.modelReset.connect(self._on_selection_changed)
        self.model.dataChanged.connect(self._on_selection_changed)
        self._on_selection_changed()

    # --- contents ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The signing dialog may have added files since; tokens are scanned on first show
        # (not at start-up: loading a CA's driver can take seconds).
        self.reload_files()
        if not self.scanner.scanned_once:
            self.refresh()

    def reload_files(self) -> None:
        """The remembered .p12 files; those whose password is kept in memory are opened."""
        selected = self.selected_source()
        paths = remembered_p12_paths(self._settings)
        self.model.set_p12_paths(paths)
        for path in paths:
            source = KeySource(P12, path)
            secret = self._secrets.get(source)
            row = self.model.row_of(source)
            entry = self.model.entry(row) if row is not None else None
            if secret and not isinstance(entry, CertificateChoice) and path not in self._opening:
                self._opening.add(path)
                self._open_p12(path, secret, remember=False, quiet=True)
        self._select(selected)

    @property
    def scanning(self) -> bool:
        return self.scanner.scanning

    @Slot()
    def refresh(self) -> None:
        """Scan the tokens again on a worker (a module may take long or fail)."""
        if self.scanner.scan():
            self.refresh_button.setEnabled(False)
            self._show_status(self.tr("Đang tìm token…"))

    @Slot(list)
    def _on_scanner_finished(self, found: list[TokenModule]) -> None:
        self.refresh_button.setEnabled(True)
        selected = self.selected_source()
        certificates = [c for module in found for c in module.certificates]
        self.model.set_token_certificates(certificates)
        self.modules_panel.show_modules(found)
        self._select(selected)
        broken = [m for m in found if m.error]
        if broken:
            self._show_status(
                self.tr("Có %n thư viện token không đọc được: xem danh sách thư viện bên dưới.",
                        "", len(broken)),
                error=True,
            )  # fmt: skip
        else:
            self._show_status(self.tr("Tìm thấy %n chứng thư trên token.", "", len(certificates)))
        self.sig_scanned.emit(len(certificates))

    @Slot(object)
    def _on_scanner_failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self._show_status(self._message(exc), error=True)
        self.sig_scanned.emit(0)

    @Slot()
    def _on_scanner_slow(self) -> None:
        self._show_status(
            self.tr(
                "Thư viện token đang trả lời chậm; vẫn đang chờ. Bạn vẫn dùng được "
                "các tệp .p12 trong lúc này."
            )
        )

    # --- selection ---------------------------------------------------------------------

    def selected_source(self) -> KeySource | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        return entry.source if isinstance(entry, CertificateChoice) else entry

    def selected_entry(self) -> CertificateChoice | KeySource | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _select(self, source: KeySource | None) -> None:
        row = self.model.row_of(source) if source is not None else None
        if row is None:
            self._on_selection_changed()
        else:
            self.table.selectRow(row)

    @Slot()
    def _on_selection_changed(self) -> None:
        entry = self.selected_entry()
        opened = isinstance(entry, CertificateChoice)
        self.remove_button.setEnabled(entry is not None and self._is_file(entry))
        self.password_button.setEnabled(entry is not None and self._is_file(entry))
        self.password_button.setText(
            self.tr("Mở lại bằng mật khẩu…")
            if isinstance(entry, CertificateChoice) and self._is_file(entry)
            else self.tr("Nhập mật khẩu…")
        )
        self.details_button.setEnabled(entry is not None)
        self.export_button.setEnabled(opened)
        if isinstance(entry, CertificateChoice):
            self.details.show_certificate(entry, self.model.usable_text(entry))
        elif entry is not None:
            self.details.show_locked(entry.path)
        else:
            self.details.clear_certificate()

    @staticmethod
    def _is_file(entry: CertificateChoice | KeySource) -> bool:
        source = entry.source if isinstance(entry, CertificateChoice) else entry
        return source.kind == P12

    # --- actions -----------------------------------------------------------------------

    @Slot()
    def _on_add_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp chứng thư số"), "", self.tr("Tệp PKCS#12 (*.p12 *.pfx)")
        )
        if path:
            self.add_p12(path)

    def add_p12(self, path: str) -> None:
        """Remember a .p12 file (its path only), select it and ask its password."""
        remember_p12_path(self._settings, path)
        self.reload_files()
        self._select(KeySource(P12, path))
        self.ask_password()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        source = self.selected_source()
        if source is None or source.kind != P12:
            return
        forget_p12_path(self._settings, source.path)
        self.reload_files()
        self._show_status(
            self.tr("Đã bỏ «{name}» khỏi danh sách; tệp vẫn còn nguyên trên máy.").format(
                name=file_name(source.path)
            )
        )

    @Slot()
    def ask_password(self) -> None:
        """Ask the selected .p12's password (masked) and open the file with it."""
        source = self.selected_source()
        if source is None or source.kind != P12:
            return
        dialog = PasswordDialog(file_name(source.path), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._open_p12(source.path, dialog.password(), remember=dialog.remember())
        )
        self.password_dialog = dialog
        dialog.open()

    def _open_p12(self, path: str, secret: str, *, remember: bool, quiet: bool = False) -> None:
        def opened(view: CertificatesView, result: tuple[CertificateChoice, bytes]) -> None:
            view._opening.discard(path)
            view._p12_opened(*result, secret=secret if remember else "", quiet=quiet)

        def failed(view: CertificatesView, exc: BaseException) -> None:
            view._opening.discard(path)
            if not quiet:
                view._show_status(view._message(exc), error=True)

        self._tasks.run(
            lambda: p12_certificate_der(path, secret),
            on_success=weakly(self, opened),
            on_failure=weakly(self, failed),
        )

    def _p12_opened(
        self, choice: CertificateChoice, der: bytes, *, secret: str, quiet: bool
    ) -> None:
        self._ders[choice.source] = der
        if secret:  # the clerk asked to keep it until the app closes
            self._secrets.put(choice.source, secret)
        self.model.put(choice)
        if not quiet:
            self._select(choice.source)
            self._show_status(self.tr("Đã mở «{name}».").format(name=file_name(choice.source.path)))
        self.sig_p12_opened.emit(choice.source.path)

    @Slot()
    def _on_details_button_clicked(self) -> None:
        entry = self.selected_entry()
        if isinstance(entry, KeySource):
            self.ask_password()
        elif entry is not None:
            self.details.setFocus()

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_details_button_clicked()

    @Slot()
    def _on_export_button_clicked(self) -> None:
        entry = self.selected_entry()
        if not isinstance(entry, CertificateChoice):
            return
        name = (entry.info.common_name or "chung-thu").replace("/", "-")
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Xuất chứng thư"),
            f"{name}.cer",
            self.tr("Chứng thư DER (*.cer *.der);;Chứng thư PEM (*.pem *.crt)"),
        )
        if path:
            self.export(entry, path, pem="PEM" in chosen or path.lower().endswith(".pem"))

    def export(self, choice: CertificateChoice, path: str, *, pem: bool) -> None:
        """Write the certificate (public part only) to `path`, DER or PEM."""
        source, sha256 = choice.source, choice.info.sha256
        der = self._ders.get(source)

        def work() -> None:
            export_certificate(der or token_certificate_der(source, sha256), path, pem=pem)

        def done(view: CertificatesView, _none: Any) -> None:
            view._exported(path)

        def failed(view: CertificatesView, exc: BaseException) -> None:
            view._show_status(view._message(exc), error=True)

        self._tasks.run(work, on_success=weakly(self, done), on_failure=weakly(self, failed))

    def _exported(self, path: str) -> None:
        self._show_status(self.tr("Đã xuất chứng thư ra «{path}».").format(path=path))

    # --- status ------------------------------------------------------------------------

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {RED};" if error else "")

    @staticmethod
    def _message(exc: BaseException) -> str:
        message = getattr(exc, "message", None)
        return str(message()) if callable(message) else str(exc)
