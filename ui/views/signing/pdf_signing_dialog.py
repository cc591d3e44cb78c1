"""Ký tệp PDF từ xa: sign loose PDFs (not a dossier's) with a certificate held by a trust
service (issue #15). The clerk adds the PDFs; the "Ký số từ xa" panel does the rest, the
same as for a dossier: the service, the signer's ID, the certificate found, one request
for every file and the countdown while the phone is asked. Each signed file is written
beside its source as `<name>-da-ky.pdf` (never over the source, nor over an earlier
signed copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.tasks import TaskManager
from ui.views.signing.remote_panel import RemotePanel, RemoteSigner

SUFFIX = "-da-ky"


def signed_path(source: Path) -> Path:
    """Where the signed copy of `source` goes: beside it, `-da-ky` before the extension;
    a file already there (signed earlier) is kept: `-da-ky-2`, `-da-ky-3`, …"""
    path, number = source.with_name(f"{source.stem}{SUFFIX}.pdf"), 1
    while path.exists():
        number += 1
        path = source.with_name(f"{source.stem}{SUFFIX}-{number}.pdf")
    return path


class PdfSigningDialog(QDialog):
    """Sign loose PDF files remotely."""

    sig_signed = Signal(object)
    """The files were signed: the finished job (push) or the batch outcomes (CSC)."""

    def __init__(
        self, signer: RemoteSigner, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ký tệp PDF từ xa"))
        self.resize(720, 520)
        self.files: list[Path] = []
        self.file_list = QListWidget()
        self.add_button = QPushButton(self.tr("Thêm tệp PDF…"))
        self.remove_button = QPushButton(self.tr("Bỏ tệp đã chọn"))
        hint = QLabel(
            self.tr("Tệp đã ký được lưu cạnh tệp gốc, thêm «{suffix}» vào tên.").format(
                suffix=SUFFIX
            )
        )
        hint.setWordWrap(True)
        self.remote_panel = RemotePanel(
            None, signer, tasks, self._options, parent=self, files=self.items
        )
        self.remote_panel.sig_signed.connect(self.sig_signed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tệp PDF cần ký")))
        layout.addWidget(self.file_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addWidget(self.remote_panel)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self.files:
                self.files.append(path)
                self.file_list.addItem(f"{path.name} → {signed_path(path).name}")

    def items(self) -> list[tuple[Path, Path]]:
        """(source, output) of every chosen file, the outputs named when signing starts."""
        return [(path, signed_path(path)) for path in self.files]

    @staticmethod
    def _options() -> Any:
        from desktop.signing.signer import SignOptions

        return SignOptions()

    @Slot()
    def _on_add_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Chọn tệp PDF"), "", self.tr("Tệp PDF (*.pdf)")
        )
        self.add_files([Path(name) for name in names])

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.file_list.currentRow()
        if 0 <= row < len(self.files):
            del self.files[row]
            self.file_list.takeItem(row)
