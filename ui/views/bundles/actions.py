"""The window's bundle actions: «Chuyển bằng USB» on the dossier list, `.dvcb` drops."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSettings

from ui.tasks import Lane, TaskManager
from ui.views.bundles.bundle_drop import BundleDrop
from ui.views.bundles.transfer_dialog import TransferDialog
from ui.widgets.error_dialog import show_error

if TYPE_CHECKING:
    from ui.views.bundles.service import WorkspaceBundles
    from ui.views.main_window import MainWindow

STATUS_MS = 10000


def install_bundle_actions(
    window: MainWindow,
    bundles: WorkspaceBundles,
    *,
    tasks: TaskManager,
    ui_settings: QSettings,
    modules: Callable[[], list[str]],
) -> BundleDrop:
    """Connect the transfer button and accept dropped bundles on `window`."""

    def transfer(ids: list[int]) -> None:
        dialog = TransferDialog(
            ids, bundles=bundles, tasks=tasks, ui_settings=ui_settings, modules=modules(),
            parent=window,
        )  # fmt: skip
        dialog.sig_exported.connect(lambda _result: window.dossiers_view.refresh())
        dialog.open()

    def imported(result: Any) -> None:
        if result.already_imported:
            text = QCoreApplication.translate(
                "BundleActions", "Gói này đã được nhập trước đây; không có gì thay đổi."
            )
        elif result.kind == "returns":
            text = QCoreApplication.translate(
                "BundleActions", "Đã cập nhật %n hồ sơ theo kết quả từ nơi nộp.", "",
                len(result.added),
            )  # fmt: skip
        else:
            text = QCoreApplication.translate(
                "BundleActions", "Đã nhận %n hồ sơ vào hàng chờ gửi.", "", len(result.added)
            )
            if result.skipped:
                text += " " + QCoreApplication.translate(
                    "BundleActions", "%n hồ sơ đã có từ trước, không thay đổi.", "",
                    len(result.skipped),
                )  # fmt: skip
        window.statusBar().showMessage(text, STATUS_MS)
        window.dossiers_view.refresh()

    def take_back(ids: list[int]) -> None:
        def taken(count: int) -> None:
            window.statusBar().showMessage(
                QCoreApplication.translate("BundleActions", "Đã lấy lại %n hồ sơ.", "", count),
                STATUS_MS,
            )
            window.dossiers_view.refresh()

        tasks.run(
            lambda: bundles.take_back(ids),
            on_success=taken,
            on_failure=lambda exc: show_error(window, exc),
            lane=Lane.WRITE,
        )

    window.dossiers_view.sig_transfer_requested.connect(transfer)
    window.dossiers_view.sig_take_back_requested.connect(take_back)
    drop = BundleDrop(window, bundles=bundles, tasks=tasks)
    drop.sig_imported.connect(imported)
    drop.sig_failed.connect(lambda exc: show_error(window, exc))
    return drop
