"""ui/bridge.py: core events from any thread become Qt signals on the GUI thread."""

from __future__ import annotations

import threading

from desktop.events import CatalogImported, DossierChanged, EventBus, SyncProgress
from ui.bridge import EventBridge


def test_event_from_a_worker_thread_arrives_on_the_gui_thread(
    qtbot, bus: EventBus, bridge: EventBridge
) -> None:
    threads: list[str] = []
    bridge.sig_dossier_changed.connect(lambda *_: threads.append(threading.current_thread().name))
    with qtbot.waitSignal(bridge.sig_dossier_changed) as blocker:
        worker = threading.Thread(target=bus.publish, args=(DossierChanged(7, "QUEUED"),))
        worker.start()
        worker.join()
    assert blocker.args == [7, "QUEUED"]
    assert threads == [threading.main_thread().name]


def test_each_event_kind_has_its_signal(qtbot, bus: EventBus, bridge: EventBridge) -> None:
    with qtbot.waitSignal(bridge.sig_catalog_imported) as imported:
        bus.publish(CatalogImported(42))
    assert imported.args == [42]
    with qtbot.waitSignal(bridge.sig_catalog_changed) as changed:
        bus.publish(CatalogImported(42, changed=1, changed_keys=("1.010038",)))
    assert changed.args == [1, ["1.010038"]]
    big = 3 * 1024**3  # more than a 32-bit int holds
    with qtbot.waitSignal(bridge.sig_sync_progress) as progress:
        bus.publish(SyncProgress(1, big - 1, big))
    assert progress.args == [1, big - 1, big]


def test_publishing_is_never_reentrant(qtbot, bus: EventBus, bridge: EventBridge) -> None:
    received: list[int] = []
    bridge.sig_dossier_changed.connect(lambda dossier_id, _state: received.append(dossier_id))
    bus.publish(DossierChanged(1, "DRAFT"))
    assert received == []  # delivered later, by the event loop
    qtbot.waitUntil(lambda: received == [1])


def test_closed_bridge_delivers_nothing(qtbot, qapp, bus: EventBus) -> None:
    bridge = EventBridge(bus)
    received: list[object] = []
    bridge.sig_event_received.connect(received.append)
    bus.publish(DossierChanged(1, "DRAFT"))
    qtbot.waitUntil(lambda: len(received) == 1)
    bridge.close()
    bus.publish(DossierChanged(2, "DRAFT"))
    qapp.processEvents()  # anything queued would be delivered now
    assert received == [DossierChanged(1, "DRAFT")]
