"""Ký số từ xa: sign a dossier with a certificate held by a trust service (issue #15).

The clerk picks the service (configured in Cài đặt), types the signer's ID number (and
the PIN/OTP for a CSC service), sees the certificate found, then signs. A push service
sends ONE request for every PDF; the panel counts down "Đang chờ xác nhận trên điện
thoại (còn 4:12)" and polls on a worker thread until the signer answers. The request is
a durable job: closing the window or the app keeps it, and the panel picks it up again
when the dialog opens for the same dossier. With `files` instead of a dossier the panel
signs loose PDFs (the "Ký tệp PDF từ xa" dialog): the same service, certificate, request
and countdown; each file is written beside its source.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import CancelToken, ProgressCallback
from ui.callbacks import weakly
from ui.tasks import TaskManager
from ui.widgets.task_progress import run_with_progress

POLL_MS = 2000


@runtime_checkable
class RemoteSigner(Protocol):
    def remote_services(self) -> list[Any]: ...
    def is_push(self, name: str) -> bool: ...
    def remote_certificate(self, name: str, user_id: str, pin: str) -> Any: ...
    def sign_csc(  # noqa: PLR0917 (the dialog's every choice)
        self,
        target: int | list[tuple[Path, Path]],  # a dossier id, or loose (source, output)
        name: str,
        user_id: str,
        pin: str,
        options: Any,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Any: ...
    def start_remote(
        self, target: int | list[tuple[Path, Path]], name: str, user_id: str, options: Any
    ) -> Any: ...
    def poll_remote(self, job_id: int) -> Any: ...
    def cancel_remote(self, job_id: int) -> Any: ...
    def waiting_remote(self, dossier_id: int) -> Any: ...


def countdown_text(seconds: int) -> str:
    text = QCoreApplication.translate(
        "RemotePanel", "Đang chờ xác nhận trên điện thoại (còn {left})"
    )
    return text.format(left=f"{seconds // 60}:{seconds % 60:02d}")


class RemotePanel(QWidget):
    """The "Ký số từ xa" tab of the signing dialog."""

    sig_signed = Signal(object)
    """The dossier was signed: the core's report (CSC) or the finished job (push)."""

    sig_waiting = Signal()
    """A request waits for the phone (the dialog shows this tab)."""

    def __init__(  # noqa: PLR0917 (what to sign, with what, how)
        self,
        dossier_id: int | None,
        signer: RemoteSigner,
        tasks: TaskManager,
        options: Callable[[], Any],
        parent: QWidget | None = None,
        files: Callable[[], list[tuple[Path, Path]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.dossier_id = dossier_id
        self._files = files
        self._signer = signer
        self._tasks = tasks
        self._options = options
        self.job: Any = None
        self._polling = False
        self._build_ui()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._ticks = 0
        services = signer.remote_services()
        for service in services:
            self.service_combo.addItem(f"{service.name} ({service.url})", service.name)
        if not services:
            self.status_label.setText(
                self.tr("Chưa cấu hình dịch vụ ký số từ xa. Hãy khai báo trong Cài đặt.")
            )
        self._on_service_combo_changed()
        if dossier_id is None:  # loose PDFs: a request left waiting is resumed at start-up
            return
        self._tasks.run(
            lambda: signer.waiting_remote(dossier_id),
            on_success=weakly(self, RemotePanel._resume),
            on_failure=weakly(self, RemotePanel._show_failure),
        )

    def _build_ui(self) -> None:
        self.service_combo = QComboBox()
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(self.tr("Số CCCD của người ký"))
        self.pin_label = QLabel(self.tr("Mã PIN/OTP"))
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.find_button = QPushButton(self.tr("Tìm chứng thư"))
        self.certificate_label = QLabel()
        self.certificate_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Dịch vụ"), self.service_combo)
        form.addRow(self.tr("Người ký"), self.user_edit)
        form.addRow(self.pin_label, self.pin_edit)
        self.sign_button = QPushButton(self.tr("Ký số từ xa"))
        self.cancel_button = QPushButton(self.tr("Huỷ yêu cầu"))
        self.cancel_button.hide()
        self.countdown_label = QLabel()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.certificate_label)
        layout.addLayout(buttons)
        layout.addWidget(self.countdown_label)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.service_combo.currentIndexChanged.connect(self._on_service_combo_changed)
        self.find_button.clicked.connect(self._on_find_button_clicked)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

    def _service(self) -> str:
        return str(self.service_combo.currentData() or "")

    @Slot()
    def _on_service_combo_changed(self) -> None:
        name = self._service()
        push = bool(name) and self._signer.is_push(name)
        self.pin_label.setVisible(bool(name) and not push)
        self.pin_edit.setVisible(bool(name) and not push)
        self.sign_button.setEnabled(bool(name) and self.job is None)
        self.find_button.setEnabled(bool(name))

    @Slot()
    def _on_find_button_clicked(self) -> None:
        name, user, pin = self._service(), self.user_edit.text().strip(), self.pin_edit.text()
        self.status_label.setText(self.tr("Đang tìm chứng thư…"))
        self.status_label.setStyleSheet("")
        self._tasks.run(
            lambda: self._signer.remote_certificate(name, user, pin),
            on_success=weakly(self, RemotePanel._found),
            on_failure=weakly(self, RemotePanel._show_failure),
        )

    def _found(self, info: Any) -> None:
        from desktop.signing.certs import vietnam_time

        self.certificate_label.setText(
            self.tr("Chứng thư: {name} — cấp bởi {issuer}, hiệu lực đến {until}").format(
                name=info.common_name or info.subject,
                issuer=info.issuer,
                until=vietnam_time(info.not_after),
            )
        )
        self.status_label.setText(self.tr("Chứng thư dùng được để ký."))

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        name, user = self._service(), self.user_edit.text().strip()
        if not name:
            return
        options, dossier_id = self._options(), self.dossier_id
        target = dossier_id if dossier_id is not None else self._files() if self._files else []
        if not isinstance(target, int) and not target:
            self._show_failure(ValueError(self.tr("Hãy chọn các tệp PDF cần ký.")))
            return
        self.sign_button.setEnabled(False)
        self.status_label.setStyleSheet("")
        if self._signer.is_push(name):
            self.status_label.setText(self.tr("Đang gửi yêu cầu ký…"))
            self._tasks.run(
                lambda: self._signer.start_remote(target, name, user, options),
                on_success=weakly(self, RemotePanel._resume),
                on_failure=weakly(self, RemotePanel._show_failure),
            )
            return
        pin = self.pin_edit.text()

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return self._signer.sign_csc(target, name, user, pin, options, progress, cancel)

        self.status_label.setText(self.tr("Đang ký…"))
        run_with_progress(
            self._tasks, work, parent=self, label=self.tr("Đang ký số từ xa các tệp PDF…"),
            on_success=weakly(self, RemotePanel._signed),
            on_failure=weakly(self, RemotePanel._show_failure),
        )  # fmt: skip

    # --- waiting for the phone ---------------------------------------------------------

    def _resume(self, job: Any) -> None:
        """A request is waiting (just sent, or found after a restart): count down."""
        if job is None:
            return
        self.job = job
        self.sign_button.setEnabled(False)
        self.cancel_button.show()
        self.status_label.setText(
            self.tr("Đã gửi yêu cầu ký {count} tệp tới «{service}», người ký {signer}.").format(
                count=len(job.files), service=job.service, signer=job.signer
            )
        )
        self._show_countdown()
        self._timer.start()
        self.sig_waiting.emit()

    def _show_countdown(self) -> None:
        if self.job is not None:
            left = self.job.seconds_left(datetime.now(UTC))
            self.countdown_label.setText(countdown_text(left))

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._show_countdown()
        self._ticks += 1
        if self.job is None or self._polling or self._ticks * 1000 < POLL_MS:
            return
        self._ticks = 0
        self._polling = True
        job_id = self.job.id
        self._tasks.run(
            lambda: self._signer.poll_remote(job_id),
            on_success=weakly(self, RemotePanel._polled),
            on_failure=weakly(self, RemotePanel._poll_failed),
        )

    def _polled(self, job: Any) -> None:
        self._polling = False
        if job.waiting:
            self.job = job
            return
        self._stop()
        if job.done:
            self.status_label.setText(self.tr("Đã ký số {count} tệp.").format(count=len(job.files)))
            self.sig_signed.emit(job)
            return
        error = job.error()
        self._show_failure(error if error is not None else RuntimeError(job.state))

    def _poll_failed(self, exc: BaseException) -> None:
        """The service could not be asked (down, lost link): the job stays; keep trying."""
        self._polling = False
        message = exc.message() if hasattr(exc, "message") else str(exc)
        self.status_label.setText(str(message))
        self.status_label.setStyleSheet("color: #8a5300;")

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        if self.job is None:
            return
        job_id = self.job.id
        self._tasks.run(
            lambda: self._signer.cancel_remote(job_id),
            on_success=weakly(self, RemotePanel._cancelled),
            on_failure=weakly(self, RemotePanel._show_failure),
        )

    def _cancelled(self, job: Any) -> None:
        self._stop()
        error = job.error()
        self.status_label.setText(error.message() if error is not None else job.state)

    def _stop(self) -> None:
        self._timer.stop()
        self.job = None
        self.cancel_button.hide()
        self.countdown_label.clear()
        self.sign_button.setEnabled(bool(self._service()))

    def _signed(self, report: Any) -> None:
        outcomes = report.outcomes if hasattr(report, "outcomes") else report
        failed = [o for o in outcomes if getattr(o, "status", "signed") != "signed"]
        if failed:  # loose PDFs at a CSC service: each file on its own
            self._show_failure(ValueError(failed[0].message or failed[0].status))
            return
        self.status_label.setText(self.tr("Đã ký số {count} tệp.").format(count=len(outcomes)))
        self.sig_signed.emit(report)

    def _show_failure(self, exc: BaseException) -> None:
        self.sign_button.setEnabled(bool(self._service()) and self.job is None)
        message = exc.message() if hasattr(exc, "message") else str(exc)
        self.status_label.setText(str(message))
        self.status_label.setStyleSheet("color: #b3261e;")
