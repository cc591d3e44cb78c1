"""ui/widgets/sync_status.py driven by the bridge's signals from real core events."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from desktop.events import EventBus, SyncProgress
from desktop.sync.events import EngineState, OutboxChanged
from ui.bridge import EventBridge
from ui.widgets.sync_status import NO_LOGIN, OFFLINE, ONLINE, SENDING, SyncStatus


def test_offline_sending_and_last_send(qtbot, bus: EventBus, bridge: EventBridge) -> None:
    status = SyncStatus()
    qtbot.addWidget(status)
    status.show()
    bridge.sig_engine_state.connect(status.on_engine_state)
    bridge.sig_sync_progress.connect(status.on_sync_progress)
    bridge.sig_outbox_changed.connect(status.on_outbox_changed)
    retry = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)
    bus.publish(EngineState(online=False, waiting=2, next_attempt_at=retry))
    qtbot.waitUntil(lambda: status.state == OFFLINE)
    assert status.state_label.text().startswith("Ngoại tuyến · thử lại lúc ")
    bus.publish(SyncProgress(7, 3 * 1024 * 1024, 4 * 1024 * 1024))
    qtbot.waitUntil(lambda: status.state == SENDING)
    assert status.progress.isVisible() and status.progress.value() == 750
    assert status.state_label.text() == "Đang gửi hồ sơ #7"
    bus.publish(OutboxChanged(1, 7, "DONE", 1, None, None, None))
    qtbot.waitUntil(lambda: status.state == ONLINE)
    assert not status.progress.isVisible()
    assert status.last_label.text().startswith("Gửi thành công lúc ")
    with qtbot.waitSignal(status.sig_send_now_clicked):
        qtbot.mouseClick(status.send_button, Qt.MouseButton.LeftButton)


def test_without_a_stored_login_it_says_so_until_one_exists(
    qtbot, bus: EventBus, bridge: EventBridge
) -> None:
    status = SyncStatus()
    qtbot.addWidget(status)
    bridge.sig_engine_state.connect(status.on_engine_state)
    status.on_started("http://127.0.0.1:8765", "")
    assert status.state == NO_LOGIN
    assert status.state_label.text() == "Chưa đăng nhập cổng"
    assert "đăng nhập tài khoản cổng" in status.state_label.toolTip()
    bus.publish(EngineState(online=True, waiting=1, next_attempt_at=None))
    qtbot.waitUntil(lambda: status.state_label.text() == "Chưa đăng nhập cổng · 1 hồ sơ chờ gửi")
    status.on_started("http://127.0.0.1:8765", "can-bo-xa")  # logged in: the engine reopened
    assert status.state == ONLINE
    assert status.state_label.text() == "Sẵn sàng gửi"
