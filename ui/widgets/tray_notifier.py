"""A tray notification when the portal moves a dossier or its result arrives.

The sync engine polls the portal in the background; the clerk is often in another
program when an officer accepts a dossier, asks for a fee or returns the result. Those
events (through ui/bridge.py) become a tray message; clicking it opens the dossier.

Where no system tray exists (offscreen, some minimal desktops) nothing is shown and
nothing is logged as an error: the same news is in the dossier list and its timeline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.sync.events import PortalStatusChanged, ResultDownloaded
from ui.models.labels import SUPPLEMENT_ASKED, awaits_supplement_hint, portal_state_label

log = logging.getLogger(__name__)

MESSAGE_MS = 10_000


@dataclass(frozen=True)
class Notification:
    """What one tray message says, and which dossier a click opens."""

    dossier_id: int
    title: str
    body: str


def notification_for(event: object) -> Notification | None:
    """The message an event deserves, or None for events the clerk need not hear about."""
    if isinstance(event, PortalStatusChanged) and event.state == SUPPLEMENT_ASKED:
        title = QCoreApplication.translate("TrayNotifier", "Hồ sơ #%1: cần bổ sung giấy tờ")
        return Notification(
            event.dossier_id,
            title.replace("%1", str(event.dossier_id)),
            awaits_supplement_hint(),
        )
    if isinstance(event, PortalStatusChanged):
        title = QCoreApplication.translate("TrayNotifier", "Hồ sơ #%1: %2")
        body = QCoreApplication.translate(
            "TrayNotifier", "Cổng dịch vụ công đã chuyển hồ sơ sang «%1»."
        )
        label = portal_state_label(event.state)
        return Notification(
            event.dossier_id,
            title.replace("%1", str(event.dossier_id)).replace("%2", label),
            body.replace("%1", label),
        )
    if isinstance(event, ResultDownloaded):
        if event.signature_valid is False:
            body = QCoreApplication.translate(
                "TrayNotifier",
                "Đã tải kết quả nhưng chữ ký số trên kết quả không hợp lệ. Hãy mở hồ sơ, "
                "tab «Trên cổng», để xem chi tiết trước khi trả cho công dân.",
            )
        else:
            body = QCoreApplication.translate(
                "TrayNotifier", "Đã tải kết quả về; mở hồ sơ để xem và in."
            )
        title = QCoreApplication.translate("TrayNotifier", "Hồ sơ #%1: có kết quả").replace(
            "%1", str(event.dossier_id)
        )
        return Notification(event.dossier_id, title, body)
    return None


class TrayLike(Protocol):
    """The part of QSystemTrayIcon the notifier uses (tests pass a recorder)."""

    def showMessage(
        self, title: str, msg: str, icon: QSystemTrayIcon.MessageIcon, msecs: int
    ) -> None: ...


class TrayNotifier(QObject):
    """Shows `notification_for(event)` in the system tray when there is one."""

    sig_open_requested = Signal(int)
    """The clerk clicked a message: the dossier it was about."""

    def __init__(
        self,
        icon: QIcon,
        parent: QObject | None = None,
        *,
        tray: TrayLike | None = None,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        quiet_for: Callable[[int], bool] = lambda _dossier_id: False,
    ) -> None:
        super().__init__(parent)
        self._quiet_for = quiet_for
        self._last: Notification | None = None
        self.tray: TrayLike | None = tray
        if self.tray is None and tray_available():
            real = QSystemTrayIcon(icon, self)
            real.setToolTip(self.tr("dvc-desk — Hồ sơ dịch vụ công"))
            real.messageClicked.connect(self._on_message_clicked)
            real.show()
            self.tray = real

    @Slot(int, int, str)
    def on_portal_status_changed(self, dossier_id: int, state: int, state_name: str) -> None:
        """The bridge's `sig_portal_status_changed`: the new state, in the tray."""
        self._show(notification_for(PortalStatusChanged(dossier_id, state, state_name)))

    @Slot(int, str, object)
    def on_result_downloaded(
        self, dossier_id: int, result_id: str, signature_valid: bool | None
    ) -> None:
        """The bridge's `sig_result_downloaded`: a result arrived, in the tray."""
        self._show(notification_for(ResultDownloaded(dossier_id, result_id, signature_valid)))

    def _show(self, notification: Notification | None) -> None:
        """Show the message, unless there is no tray or the clerk sees that dossier."""
        if notification is None or self.tray is None:
            return
        if self._quiet_for(notification.dossier_id):
            return
        self._last = notification
        log.info("tray: %s", notification.title)
        self.tray.showMessage(
            notification.title,
            notification.body,
            QSystemTrayIcon.MessageIcon.Information,
            MESSAGE_MS,
        )

    @Slot()
    def _on_message_clicked(self) -> None:
        if self._last is not None:
            self.sig_open_requested.emit(self._last.dossier_id)
