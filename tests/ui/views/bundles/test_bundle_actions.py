"""«Chuyển bằng USB» writes the chosen dossiers into a signed bundle; a `.dvcb` dropped on
the window is shown (who signed, when, how many), trusted only when the clerk says so,
and imported — with the real core on two data dirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget

from desktop.paths import Paths
from desktop.signing.sources import P12, KeySource
from desktop.workspace import Workspace
from tests.core.bundles.helpers import Pair
from tests.core.signing.signing_helpers import P12_PASSWORD, build_pki
from ui.tasks import TaskManager
from ui.views.bundles.bundle_drop import BundleDrop
from ui.views.bundles.service import WorkspaceBundles
from ui.views.bundles.transfer_dialog import TransferDialog


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    commune = Workspace(Paths(tmp_path / "commune"))
    office = Workspace(Paths(tmp_path / "office"))
    yield Pair(commune, office, build_pki(tmp_path / "pki"), tmp_path)
    commune.close()
    office.close()


def _export_in_dialog(qtbot, pair: Pair, tasks: TaskManager, settings: QSettings) -> Path:  # type: ignore[no-untyped-def]
    ids = pair.ready_dossiers(2)
    dialog = TransferDialog(
        ids, bundles=WorkspaceBundles(pair.commune), tasks=tasks, ui_settings=settings, modules=[]
    )
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    dialog.add_source(KeySource(P12, str(pair.pki.signer.p12)), "signer.p12")
    dialog.secret_edit.setText(P12_PASSWORD)
    target = pair.folder / "usb.dvcb"
    dialog.output_edit.setText(str(target))
    with qtbot.waitSignal(dialog.sig_exported, timeout=60000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Đã ghi gói số 1: 2 hồ sơ." in dialog.status_label.text()
    assert {pair.commune.dossiers.get(i).state for i in ids} == {"HANDED_OVER"}
    return target


def _drop(drop: BundleDrop, widget: QWidget, path: Path) -> None:
    """A file dropped from the file manager (handed to the window's filter as Qt would:
    offscreen Qt does not route a synthesised drop through event filters)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    assert drop.eventFilter(widget, event)


def test_transfer_then_drop_with_explicit_trust(
    qtbot,
    pair: Pair,
    tasks: TaskManager,
    ui_settings: QSettings,  # type: ignore[no-untyped-def]
) -> None:
    bundle = _export_in_dialog(qtbot, pair, tasks, ui_settings)
    window = QWidget()
    qtbot.addWidget(window)
    shown: list[Any] = []

    def confirm(_parent: QWidget, preview: Any) -> bool:
        shown.append(preview)
        return True

    drop = BundleDrop(window, bundles=WorkspaceBundles(pair.office), tasks=tasks, confirm=confirm)
    with qtbot.waitSignal(drop.sig_imported, timeout=60000) as imported:
        _drop(drop, window, bundle)
    assert shown and shown[0].dossiers == 2 and shown[0].signer == "NGUYỄN VĂN A"
    assert len(imported.args[0].added) == 2
    assert len(pair.office.outbox.entries()) == 2

    shown.clear()
    with qtbot.waitSignal(drop.sig_imported, timeout=60000) as again:
        _drop(drop, window, bundle)
    assert again.args[0].already_imported and not shown  # trusted now, nothing new


def test_a_drop_the_clerk_does_not_trust_imports_nothing(
    qtbot,
    pair: Pair,
    tasks: TaskManager,
    ui_settings: QSettings,  # type: ignore[no-untyped-def]
) -> None:
    bundle = _export_in_dialog(qtbot, pair, tasks, ui_settings)
    window = QWidget()
    qtbot.addWidget(window)
    asked: list[Any] = []
    drop = BundleDrop(
        window, bundles=WorkspaceBundles(pair.office), tasks=tasks,
        confirm=lambda _parent, preview: asked.append(preview) is not None,
    )  # fmt: skip
    _drop(drop, window, bundle)
    qtbot.waitUntil(lambda: bool(asked), timeout=30000)
    assert pair.office.outbox.entries() == []


def test_a_damaged_bundle_dropped_says_what_is_wrong(
    qtbot,
    pair: Pair,
    tasks: TaskManager,
    ui_settings: QSettings,  # type: ignore[no-untyped-def]
) -> None:
    bundle = _export_in_dialog(qtbot, pair, tasks, ui_settings)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 1
    bundle.write_bytes(data)
    window = QWidget()
    qtbot.addWidget(window)
    drop = BundleDrop(
        window, bundles=WorkspaceBundles(pair.office), tasks=tasks, confirm=lambda *_: True
    )
    with qtbot.waitSignal(drop.sig_failed, timeout=60000) as failed:
        _drop(drop, window, bundle)
    assert failed.args[0].code.startswith("bundle.")
    assert "Chưa có gì được ghi" in failed.args[0].message()
    assert pair.office.outbox.entries() == []


def test_taking_back_from_the_window_service(
    qtbot,
    pair: Pair,
    tasks: TaskManager,
    ui_settings: QSettings,  # type: ignore[no-untyped-def]
) -> None:
    _export_in_dialog(qtbot, pair, tasks, ui_settings)
    ids = [d.id for d in (pair.commune.dossiers.get(i) for i in (1, 2))]
    assert WorkspaceBundles(pair.commune).take_back(ids) == 2
    assert {pair.commune.dossiers.get(i).state for i in ids} == {"READY"}
