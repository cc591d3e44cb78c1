"""ui/widgets/tray_notifier.py: which events become tray messages, and no tray at all."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.events import DossierChanged
from desktop.sync.events import PaymentChanged, PortalStatusChanged, ResultDownloaded
from ui.bridge import EventBridge
from ui.widgets.tray_notifier import TrayNotifier, notification_for


class RecordingTray:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def showMessage(
        self, title: str, msg: str, icon: QSystemTrayIcon.MessageIcon, msecs: int
    ) -> None:
        assert icon == QSystemTrayIcon.MessageIcon.Information and msecs > 0
        self.messages.append((title, msg))


def test_a_portal_state_change_is_announced(qapp) -> None:
    note = notification_for(PortalStatusChanged(12, 6, "YEU_CAU_NVTC"))
    assert note is not None and note.dossier_id == 12
    assert note.title == "Hồ sơ #12: Yêu cầu thực hiện nghĩa vụ tài chính"
    assert "«Yêu cầu thực hiện nghĩa vụ tài chính»" in note.body


def test_a_result_with_a_bad_signature_warns(qapp) -> None:
    good = notification_for(ResultDownloaded(3, "r1", True))
    bad = notification_for(ResultDownloaded(3, "r1", False))
    assert good is not None and good.title == "Hồ sơ #3: có kết quả"
    assert bad is not None and "không hợp lệ" in bad.body and "không hợp lệ" not in good.body


def test_local_edits_and_payments_are_not_announced(qapp) -> None:
    assert notification_for(DossierChanged(3, "DRAFT")) is None
    assert notification_for(PaymentChanged(3, "p1", "PAID")) is None


def test_events_through_the_bridge_reach_the_tray(qtbot, bus, bridge: EventBridge) -> None:
    tray = RecordingTray()
    notifier = TrayNotifier(QIcon(), tray=tray)
    bridge.sig_portal_status_changed.connect(notifier.on_portal_status_changed)
    bridge.sig_result_downloaded.connect(notifier.on_result_downloaded)
    with qtbot.waitSignal(bridge.sig_portal_status_changed, timeout=2000):
        bus.publish(PortalStatusChanged(7, 2, "DA_TIEP_NHAN"))
    bus.publish(DossierChanged(7, "SUBMITTED"))
    with qtbot.waitSignal(bridge.sig_result_downloaded, timeout=2000):
        bus.publish(ResultDownloaded(7, "kq", True))
    assert [title for title, _ in tray.messages] == [
        "Hồ sơ #7: Được tiếp nhận",
        "Hồ sơ #7: có kết quả",
    ]


def test_quiet_while_the_clerk_looks_at_that_dossier(qapp) -> None:
    tray = RecordingTray()
    notifier = TrayNotifier(QIcon(), tray=tray, quiet_for=lambda dossier_id: dossier_id == 5)
    notifier.on_portal_status_changed(5, 4, "DANG_XU_LY")
    notifier.on_portal_status_changed(6, 4, "DANG_XU_LY")
    assert [title for title, _ in tray.messages] == ["Hồ sơ #6: Đang xử lý"]


def test_without_a_system_tray_nothing_is_shown_and_nothing_fails(qapp) -> None:
    notifier = TrayNotifier(QIcon(), tray_available=lambda: False)
    assert notifier.tray is None
    notifier.on_portal_status_changed(5, 9, "DA_XU_LY_XONG")  # silently dropped


def test_offscreen_has_no_tray(qapp) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    assert TrayNotifier(QIcon()).tray is None


def test_clicking_the_message_asks_to_open_its_dossier(qtbot) -> None:
    tray = RecordingTray()
    notifier = TrayNotifier(QIcon(), tray=tray)
    notifier.on_portal_status_changed(9, 10, "DA_TRA_KET_QUA")
    with qtbot.waitSignal(notifier.sig_open_requested, timeout=1000) as blocker:
        notifier._on_message_clicked()
    assert blocker.args == [9]
