"""ui/views/payments_view.py: fees across dossiers, paying them, opening receipts.

With fakes of the fees list and the portal first (tests/ui/ui_fees.py), then over a
real Workspace with the sandbox portal on loopback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import update
from ui_app import open_app
from ui_dossiers import CCHN, complete_dossier
from ui_fees import FakeFees, FakePortal, fee, payment

from desktop.errors import TransientError, UserError
from desktop.events import EventBus, SyncProgress
from desktop.portal.credentials import CredentialStore
from desktop.portal.errors import E_UNREACHABLE
from desktop.storage import models
from desktop.storage.outbox_models import PortalFee
from desktop.sync.payments import E_NOTHING_TO_PAY
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from ui.bridge import EventBridge
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.certificates_view import CertificatesView
from ui.views.main_window import SECTION_DOSSIERS, SECTION_PAYMENTS, MainWindow
from ui.views.payments_view import PaymentsView
from ui.wiring import build_window

LEFT = Qt.MouseButton.LeftButton


class Browser:
    """Stands in for QDesktopServices.openUrl: records what the app opened."""

    def __init__(self, answer: bool = True) -> None:
        self.opened: list[QUrl] = []
        self.answer = answer

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(url)
        return self.answer


def office() -> FakeFees:
    return FakeFees([
        fee(12, "F1", "Phí thẩm định hồ sơ", 500_000),
        fee(12, "F2", "Lệ phí cấp chứng chỉ hành nghề", 750_000),
        fee(9, "F3", "Phí thẩm định điều kiện kinh doanh", 1_000_000,
            applicant="Nhà thuốc Phúc An"),
        fee(4, "F4", "Phí thẩm định", 400_000, paid=True, applicant="Lê Hoàng Yến",
            payment=payment("P0", 400_000, "paid", "ab" * 32)),
    ])  # fmt: skip


@pytest.fixture
def fees() -> FakeFees:
    return office()


@pytest.fixture
def portal(fees: FakeFees, tmp_path: Path) -> FakePortal:
    return FakePortal(fees, tmp_path / "blobs")


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def view(
    qtbot, fees: FakeFees, portal: FakePortal, tasks: TaskManager, browser: Browser
) -> PaymentsView:  # type: ignore[no-untyped-def]
    widget = PaymentsView(fees, portal, tasks, open_url=browser, poll_interval_ms=20)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.model.sig_reloaded, timeout=5000):
        widget.show()
    return widget


def column(view: PaymentsView, col: int) -> list[str]:
    model = view.model
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def select(view: PaymentsView, dossier_id: int, fee_id: str) -> None:
    row = view.model.row_of((dossier_id, fee_id))
    assert row is not None
    view.table.selectRow(row)


def test_shows_what_is_still_due_across_dossiers(view: PaymentsView) -> None:
    assert view.total_label.text() == "Tổng còn phải nộp: <b>2.250.000 đ</b> · 3 khoản của 2 hồ sơ"
    assert column(view, 0) == ["#12 · Nguyễn Thị Thu Hà", "#12 · Nguyễn Thị Thu Hà",
                               "#9 · Nhà thuốc Phúc An"]  # fmt: skip
    assert column(view, 3) == ["500.000 đ", "750.000 đ", "1.000.000 đ"]
    assert set(column(view, 4)) == {"Chưa nộp"}
    assert view.table.isVisible() and not view.empty_label.isVisible()
    # The first fee is selected: what "Thanh toán" will do is said before it is pressed.
    assert view.selected_fee() is not None
    assert "2 khoản chưa nộp của hồ sơ này (1.250.000 đ)" in view.details_label.text()
    assert view.pay_button.isEnabled() and view.open_button.isEnabled()
    assert not view.receipt_button.isEnabled()


def test_the_filter_shows_paid_fees_and_all_fees(qtbot, view: PaymentsView) -> None:
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.state_combo.setCurrentIndex(view.state_combo.findText("Đã nộp"))
    assert column(view, 0) == ["#4 · Lê Hoàng Yến"]
    assert column(view, 4) == ["Đã nộp 20/11/2026"]
    assert not view.pay_button.isEnabled() and view.receipt_button.isEnabled()
    assert "Tổng còn phải nộp: <b>2.250.000 đ</b>" in view.total_label.text()
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.state_combo.setCurrentIndex(view.state_combo.findText("Tất cả"))
    assert view.model.rowCount() == 4
    assert view.selected_fee().dossier_id == 4, "the selected fee stays selected"  # type: ignore[union-attr]


def test_nothing_asked_yet_says_what_will_appear_here_and_when(qtbot, tasks, portal) -> None:  # type: ignore[no-untyped-def]
    widget = PaymentsView(FakeFees([]), portal, tasks, open_url=Browser())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.model.sig_reloaded, timeout=5000):
        widget.show()
    assert widget.empty_label.isVisible() and not widget.table.isVisible()
    text = widget.empty_label.text()
    assert "Chưa có khoản phí, lệ phí nào" in text
    assert "sau lần đồng bộ kế tiếp với cổng" in text and "«Thanh toán»" in text
    assert widget.total_label.text() == "Tổng còn phải nộp: <b>0 đ</b>"
    assert not any(b.isEnabled() for b in (widget.pay_button, widget.open_button,
                                           widget.receipt_button))  # fmt: skip


def test_everything_paid_points_to_the_paid_list(qtbot, tasks, portal) -> None:  # type: ignore[no-untyped-def]
    paid = FakeFees([fee(4, "F4", "Phí thẩm định", 400_000, paid=True)])
    widget = PaymentsView(paid, portal, tasks, open_url=Browser())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.model.sig_reloaded, timeout=5000):
        widget.show()
    assert "Không còn khoản phí nào phải nộp" in widget.empty_label.text()
    assert "«Đã nộp»" in widget.empty_label.text()


def test_pay_opens_the_page_follows_it_off_the_gui_thread_until_paid(
    qtbot, view: PaymentsView, portal: FakePortal, browser: Browser
) -> None:
    select(view, 12, "F2")
    portal.script = ["pending", "pending", "paid"]
    with qtbot.waitSignal(view.sig_payment_finished, timeout=10000) as finished:
        qtbot.mouseClick(view.pay_button, LEFT)
        assert not view.pay_button.isEnabled(), "a second click cannot start a second payment"
        qtbot.mouseClick(view.pay_button, LEFT)
    assert finished.args == [12, "paid"]
    assert portal.started == [12]
    assert portal.followed == ["PAY1", "PAY1", "PAY1"]
    assert [u.toString() for u in browser.opened] == ["http://127.0.0.1:8765/sandbox/pay/PAY1"]
    assert threading.get_ident() not in portal.threads, "no portal call on the GUI thread"
    assert view.payment_label.text() == (
        "Hồ sơ #12: Đã thanh toán 1.250.000 đ; biên lai điện tử đã được lưu."
    )
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert column(view, 0) == ["#9 · Nhà thuốc Phúc An"]
    assert "<b>1.000.000 đ</b> · 1 khoản của 1 hồ sơ" in view.total_label.text()


def test_no_pay_button_when_the_portals_adapter_takes_no_payments(
    qtbot, tasks, fees: FakeFees, portal: FakePortal, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    portal.pays = False  # an lgsp platform: fees are shown, paid elsewhere
    widget = PaymentsView(fees, portal, tasks, open_url=browser)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(widget.pay_button.isHidden, timeout=5000)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 3, timeout=5000)
    select(widget, 12, "F2")
    assert not widget.pay_button.isEnabled() and widget.open_button.isEnabled()
    widget._on_pay_button_clicked()  # even if it were pressed: nothing starts
    assert portal.started == [] and browser.opened == []


def test_a_pending_payment_is_reopened_not_started_twice(
    qtbot, view: PaymentsView, fees: FakeFees, portal: FakePortal, browser: Browser
) -> None:
    fees.set_payment(9, payment("OLD1", 1_000_000))
    portal.amounts["OLD1"] = (9, 1_000_000)
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.refresh()
    select(view, 9, "F3")
    assert column(view, 4)[view.model.row_of((9, "F3"))] == "Đang chờ thanh toán"  # type: ignore[index]
    assert view.pay_button.text() == "Tiếp tục thanh toán"
    portal.script = ["pending", "cancelled"]
    with qtbot.waitSignal(view.sig_payment_finished, timeout=10000) as finished:
        qtbot.mouseClick(view.pay_button, LEFT)
    assert finished.args == [9, "cancelled"]
    assert portal.started == []
    assert [u.toString() for u in browser.opened] == ["http://127.0.0.1:8765/sandbox/pay/OLD1"]
    assert "đã bị huỷ; có thể bấm «Thanh toán» lại" in view.payment_label.text()


def test_a_pending_payment_cancelled_meanwhile_starts_a_new_one(
    qtbot, view: PaymentsView, fees: FakeFees, portal: FakePortal, browser: Browser
) -> None:
    fees.set_payment(9, payment("OLD1", 1_000_000))
    portal.amounts["OLD1"] = (9, 1_000_000)
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.refresh()
    select(view, 9, "F3")
    portal.script = ["cancelled", "paid"]
    with qtbot.waitSignal(view.sig_payment_finished, timeout=10000) as finished:
        qtbot.mouseClick(view.pay_button, LEFT)
    assert finished.args == [9, "paid"]
    assert portal.started == [9]
    assert [u.toString() for u in browser.opened] == ["http://127.0.0.1:8765/sandbox/pay/PAY1"]


def test_a_refused_payment_is_shown_and_can_be_tried_again(
    qtbot, view: PaymentsView, portal: FakePortal
) -> None:
    portal.refuse = UserError(E_NOTHING_TO_PAY, id=12)
    with qtbot.waitSignal(view.sig_error, timeout=5000) as failed:
        qtbot.mouseClick(view.pay_button, LEFT)
    assert failed.args[0].code == "sync.nothing_to_pay"
    assert view.pay_button.isEnabled()
    assert view.payment_label.text() == ""


def test_the_portal_out_of_reach_while_following_is_asked_again(
    qtbot, view: PaymentsView, portal: FakePortal
) -> None:
    errors: list[object] = []
    view.sig_error.connect(errors.append)
    portal.script = [
        TransientError(E_UNREACHABLE, url="http://127.0.0.1:8765", detail="ConnectError"),
        "paid",
    ]
    with qtbot.waitSignal(view.sig_payment_finished, timeout=10000) as finished:
        qtbot.mouseClick(view.pay_button, LEFT)
    assert finished.args[1] == "paid" and errors == []
    assert len(portal.followed) == 2


def test_open_dossier_asks_the_window_to_open_it(qtbot, view: PaymentsView) -> None:
    select(view, 9, "F3")
    with qtbot.waitSignal(view.sig_open_requested, timeout=1000) as opened:
        qtbot.mouseClick(view.open_button, LEFT)
    assert opened.args == [9]
    rect = view.table.visualRect(view.model.index(0, 0))
    with qtbot.waitSignal(view.sig_open_requested, timeout=1000) as opened:
        # A real double click is a press, release and a second press (QTest's mouseDClick
        # alone does not make a view emit doubleClicked).
        qtbot.mouseClick(view.table.viewport(), LEFT, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), LEFT, pos=rect.center())
    assert opened.args == [12]


def test_the_receipt_opens_as_a_pdf_named_for_the_dossier(
    qtbot, view: PaymentsView, portal: FakePortal, browser: Browser
) -> None:
    blob = portal.blob_path("ab" * 32)
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"%PDF-1.7 bien lai P0")
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.state_combo.setCurrentIndex(view.state_combo.findText("Đã nộp"))
    qtbot.mouseClick(view.receipt_button, LEFT)
    qtbot.waitUntil(lambda: len(browser.opened) == 1, timeout=5000)
    opened = Path(browser.opened[0].toLocalFile())
    assert opened.name == "bien-lai-000.00.53.H48-261120-0004-P0.pdf"
    assert opened.read_bytes() == b"%PDF-1.7 bien lai P0"


def test_a_missing_receipt_says_how_to_check_the_store(
    qtbot, view: PaymentsView, browser: Browser
) -> None:
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.state_combo.setCurrentIndex(view.state_combo.findText("Đã nộp"))
    with qtbot.waitSignal(view.sig_error, timeout=5000) as failed:
        qtbot.mouseClick(view.receipt_button, LEFT)
    assert failed.args[0].code == "ui.receipt_missing"
    assert "dvc-desk doctor" in failed.args[0].message()
    assert browser.opened == []


def test_portal_news_reloads_once_after_a_burst_keeping_the_selection(
    qtbot, view: PaymentsView, fees: FakeFees
) -> None:
    select(view, 9, "F3")
    fees.items.insert(0, fee(15, "F9", "Lệ phí bổ sung", 200_000, applicant="Võ Minh Khang"))
    reads = fees.reads
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        for _ in range(5):
            view.on_dossier_news(9)
    assert fees.reads == reads + 1, "five events, one reload"
    assert column(view, 0)[0] == "#15 · Võ Minh Khang"
    assert view.selected_fee().key == (9, "F3")  # type: ignore[union-attr]


def test_news_while_hidden_waits_until_the_section_is_shown(
    qtbot, view: PaymentsView, fees: FakeFees
) -> None:
    view.hide()
    reads = fees.reads
    view.on_dossier_news(9)
    qtbot.waitUntil(lambda: not view._refresh_timer.isActive(), timeout=1000)
    assert fees.reads == reads
    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.show()


def test_upload_progress_does_not_reload_the_fees(
    qtbot, qapp, view: PaymentsView, fees: FakeFees, bus: EventBus, bridge: EventBridge
) -> None:
    bridge.sig_dossier_news.connect(view.on_dossier_news)
    reads = fees.reads
    bus.publish(SyncProgress(12, 1024, 4096))
    qapp.processEvents()  # the bridge delivers what was queued
    assert not view._refresh_timer.isActive()
    assert fees.reads == reads


# --- the section in the window, over a real Workspace and the sandbox portal -----------

PORTAL_USER, PORTAL_PASSWORD = "xa-an-phu", "mat-khau-cong-thu"


class SystemOpener(QObject):
    """Receives what the app opens through QDesktopServices; pays like a person would."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)
        if "/sandbox/pay/" in url.toString():
            httpx.post(url.toString(), data={"action": "pay"}, timeout=10)


@pytest.fixture
def logged_in(tmp_path: Path, memory_keyring: object) -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(SandboxConfig(tmp_path / "portal")) as server:
        with httpx.Client(timeout=10) as client:
            client.post(f"{server.url}/v1/accounts", json={
                "username": PORTAL_USER, "email": "xa-an-phu@example.vn",
                "password": PORTAL_PASSWORD, "full_name": "UBND xã An Phú", "phone": "0912345678",
            }).raise_for_status()  # fmt: skip
            mails = client.get(
                f"{server.url}/sandbox/mail.json", headers=server.secret_headers
            ).json()
            client.get(next(m["link"] for m in mails if m["username"] == PORTAL_USER))
        CredentialStore().save(server.url, PORTAL_USER, PORTAL_PASSWORD)
        yield server


@pytest.fixture
def app_window(
    qtbot, workspace: Workspace, tasks: TaskManager, logged_in: ThreadedSandbox, tmp_path: Path
) -> Iterator[tuple[MainWindow, SyncRunner]]:  # fmt: skip
    with open_app(qtbot, workspace, tasks, logged_in.url, tmp_path) as (window, sync):
        opener = SystemOpener()
        for scheme in ("http", "file"):
            QDesktopServices.setUrlHandler(scheme, opener, "open")
        window.opener = opener  # type: ignore[attr-defined]
        yield window, sync
        for scheme in ("http", "file"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_in_the_window_a_fee_asked_on_the_portal_is_paid_and_its_receipt_opened(
    qtbot, app_window: tuple[MainWindow, SyncRunner], workspace: Workspace,
    logged_in: ThreadedSandbox, tmp_path: Path,
) -> None:  # fmt: skip
    window, _sync = app_window
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles.index("Thanh toán") == titles.index("Hàng đợi gửi") + 1
    assert titles.index("Thanh toán") < titles.index("Cài đặt")
    # Built the first time it is shown (start-up does not pay for it), then kept.
    assert window.findChild(PaymentsView) is None
    assert window.findChild(CertificatesView) is None
    window.show_section(SECTION_PAYMENTS)
    view = window.payments_view
    assert window.findChild(PaymentsView) is view
    assert view is not None and view.isVisible()
    assert view is not None
    qtbot.waitUntil(view.empty_label.isVisible, timeout=5000)

    dossier_id = complete_dossier(workspace, tmp_path)
    workspace.outbox.submit(dossier_id)
    qtbot.mouseClick(window.sync_status.send_button, LEFT)
    qtbot.waitUntil(lambda: workspace.dossiers.get(dossier_id).uuid is not None and
                    workspace.dossiers.get(dossier_id).receipt_no is not None,
                    timeout=30000)  # fmt: skip
    uuid = workspace.dossiers.get(dossier_id).uuid
    officer = f"{logged_in.url}/sandbox/officer/{uuid}"
    key = logged_in.secret_headers
    httpx.post(f"{officer}/accept", headers=key, timeout=10)
    for description, amount in (("Phí thẩm định hồ sơ", 500000), ("Lệ phí cấp chứng chỉ", 750000)):
        httpx.post(f"{officer}/fees", data={"description": description, "amount": amount},
                   headers=key, timeout=10)  # fmt: skip
    qtbot.mouseClick(window.sync_status.send_button, LEFT)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=30000)
    assert view.total_label.text() == "Tổng còn phải nộp: <b>1.250.000 đ</b> · 2 khoản của 1 hồ sơ"
    receipt_no = workspace.dossiers.get(dossier_id).receipt_no
    assert column(view, 1) == [receipt_no, receipt_no]
    assert sorted(column(view, 3)) == ["500.000 đ", "750.000 đ"]

    opener: SystemOpener = window.opener  # type: ignore[attr-defined]
    with qtbot.waitSignal(view.sig_payment_finished, timeout=30000) as finished:
        qtbot.mouseClick(view.pay_button, LEFT)
    assert finished.args == [dossier_id, "paid"]
    assert any("/sandbox/pay/" in u.toString() for u in opener.opened)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=10000)
    assert view.total_label.text() == "Tổng còn phải nộp: <b>0 đ</b>"
    assert "Không còn khoản phí nào phải nộp" in view.empty_label.text()

    with qtbot.waitSignal(view.model.sig_reloaded, timeout=5000):
        view.state_combo.setCurrentIndex(view.state_combo.findText("Đã nộp"))
    assert [s.startswith("Đã nộp ") for s in column(view, 4)] == [True, True]
    qtbot.mouseClick(view.receipt_button, LEFT)
    qtbot.waitUntil(lambda: any(u.isLocalFile() for u in opener.opened), timeout=10000)
    receipt = Path(next(u for u in opener.opened if u.isLocalFile()).toLocalFile())
    assert receipt.name.startswith(f"bien-lai-{receipt_no}-") and receipt.suffix == ".pdf"
    assert receipt.read_bytes().startswith(b"%PDF")

    with qtbot.waitSignal(window.editor.sig_loaded, timeout=10000) as loaded:
        qtbot.mouseClick(view.open_button, LEFT)
    assert loaded.args[0] == dossier_id
    assert window.current_section() == SECTION_DOSSIERS


def test_in_the_window_a_refused_payment_is_explained_in_a_message_box(
    qtbot, workspace: Workspace, tasks: TaskManager, tmp_path: Path
) -> None:
    workspace.catalog.ensure_bundled()
    dossier = workspace.dossiers.create(CCHN)
    with workspace.db.session() as session:
        session.execute(update(models.Dossier).where(models.Dossier.id == dossier.id).values(
            state="SUBMITTED", portal_state=6, uuid="5b0c1f3e-0d7a-4c1e-9a52-000000000001",
            receipt_no="SYT-QUANGNGAI-261120-0001",
        ))  # fmt: skip
        session.add(PortalFee(dossier_id=dossier.id, fee_id="F1", amount=500_000,
                              description="Phí thẩm định hồ sơ", paid=False))  # fmt: skip
    bridge = EventBridge(workspace.events)
    sync = SyncRunner(workspace, tasks)  # never started: no portal to pay on
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = build_window(workspace, tasks, bridge, sync, settings)
    qtbot.addWidget(window)
    window.show()
    window.show_section(SECTION_PAYMENTS)
    view = window.payments_view
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.pay_button.isEnabled(),
                    timeout=5000)  # fmt: skip
    qtbot.mouseClick(view.pay_button, LEFT)
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=5000)
    [box] = window.findChildren(QMessageBox)
    assert "Chưa kết nối được cổng dịch vụ công nên chưa thể thanh toán" in box.text()
    assert view.pay_button.isEnabled(), "the clerk can try again once the portal is back"
    box.close()
    bridge.close()
