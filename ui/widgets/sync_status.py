"""The status bar's sync part: offline / online / sending with progress, the time of
the last successful send, and "Gửi ngay"."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.models.labels import format_local_time

OFFLINE, ONLINE, SENDING, STARTING = "offline", "online", "sending", "starting"
NO_LOGIN = "no-login"


class SyncStatus(QWidget):
    """Fed by the bridge's engine, progress and outbox signals."""

    sig_send_now_clicked = Signal()
    """The clerk pressed "Gửi ngay"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = STARTING
        self._no_login = False
        self.state_label = QLabel(self.tr("Đang kết nối cổng…"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(16)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.last_label = QLabel()
        self.send_button = QPushButton(self.tr("Gửi ngay"))
        self.send_button.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.last_label)
        layout.addWidget(self.send_button)
        self.send_button.clicked.connect(self.sig_send_now_clicked.emit)

    @Slot(bool, int, object)
    def on_engine_state(self, online: bool, waiting: int, next_attempt: object) -> None:
        self.progress.hide()
        if online and self._no_login:
            self.state = NO_LOGIN
            text = self.tr("Chưa đăng nhập cổng")
            if waiting:
                text += self.tr(" · %n hồ sơ chờ gửi", "", waiting)
        elif online:
            self.state = ONLINE
            text = self.tr("Trực tuyến")
            if waiting:
                text += self.tr(" · %n hồ sơ chờ gửi", "", waiting)
        else:
            self.state = OFFLINE
            text = self.tr("Ngoại tuyến")
            if isinstance(next_attempt, datetime):
                text += self.tr(" · thử lại lúc {time}").format(
                    time=format_local_time(next_attempt)[-5:]
                )
        self.state_label.setText(text)

    @Slot(int, object, object)
    def on_sync_progress(self, dossier_id: int, sent: object, total: object) -> None:
        sent_i, total_i = int(str(sent)), int(str(total))
        self.state = SENDING
        self.state_label.setText(self.tr("Đang gửi hồ sơ #{id}").format(id=dossier_id))
        self.progress.setValue(int(1000 * sent_i / total_i) if total_i else 0)
        self.progress.show()

    @Slot(int, str)
    def on_outbox_changed(self, _dossier_id: int, state: str) -> None:
        if state == "DONE":
            self.progress.hide()
            self.state = ONLINE
            self.state_label.setText(self.tr("Trực tuyến"))
            self.last_label.setText(
                self.tr("Gửi thành công lúc {time}").format(
                    time=format_local_time(datetime.now().astimezone())
                )
            )

    def on_started(self, portal: str, account: str | None = None) -> None:
        """The engine runs: ready to send until it reports otherwise. `account` is the
        stored portal login ("" when there is none: nothing can be sent yet)."""
        tip = self.tr("Cổng dịch vụ công: {url}").format(url=portal)
        self._no_login = account == ""
        if self._no_login:
            self.state = NO_LOGIN
            self.state_label.setText(self.tr("Chưa đăng nhập cổng"))
            tip += "\n" + self.tr(
                "Vào mục Cài đặt, đăng ký hoặc đăng nhập tài khoản cổng để gửi hồ sơ."
            )
        elif self.state in (STARTING, NO_LOGIN):
            self.state = ONLINE
            self.state_label.setText(self.tr("Sẵn sàng gửi"))
        self.state_label.setToolTip(tip)

    def on_failed(self, message: str) -> None:
        self.state = OFFLINE
        self.state_label.setText(self.tr("Không chạy được đồng bộ"))
        self.state_label.setToolTip(message)
