"""ui/bridge.py: core events from any thread become Qt signals on the GUI thread."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import threading
from pathlib import Path

import desktop
from desktop.events import CatalogImported, DossierChanged, Event, EventBus, SyncProgress
from desktop.sync.events import PaymentChanged, PortalStatusChanged, ResultDownloaded
from ui.bridge import SIGNAL_OF, EventBridge


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
    received: list[int] = []
    bridge.sig_dossier_changed.connect(lambda dossier_id, _state: received.append(dossier_id))
    bus.publish(DossierChanged(1, "DRAFT"))
    qtbot.waitUntil(lambda: len(received) == 1)
    bridge.close()
    bus.publish(DossierChanged(2, "DRAFT"))
    qapp.processEvents()  # anything queued would be delivered now
    assert received == [1]


def _core_event_classes() -> set[type[Event]]:
    """Every `class X(Event)` written in desktop/, found in the source (so a new event
    cannot hide from this test by not being imported yet)."""
    found: set[type[Event]] = set()
    for path in Path(desktop.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "Event" for b in node.bases
            ):
                module = ".".join(path.relative_to(Path(desktop.__file__).parent.parent)
                                  .with_suffix("").parts)  # fmt: skip
                found.add(getattr(importlib.import_module(module), node.name))
    return found


def _sample(kind: type[Event]) -> Event:
    values = {"int": 3, "str": "x", "bool": True, "bool | None": None,
              "datetime | None": None, "str | None": None, "tuple[str, ...]": ()}  # fmt: skip
    return kind(**{f.name: values[str(f.type)] for f in dataclasses.fields(kind)})  # type: ignore[call-arg]


def test_every_core_event_has_its_typed_signal(qtbot, bus: EventBus, bridge: EventBridge) -> None:
    kinds = _core_event_classes()
    assert len(kinds) >= 8
    assert kinds <= set(SIGNAL_OF), kinds - set(SIGNAL_OF)
    for kind in kinds:
        with qtbot.waitSignal(getattr(bridge, SIGNAL_OF[kind]), timeout=2000):
            bus.publish(_sample(kind))


def test_news_of_a_dossier_but_not_its_upload_progress(
    qtbot, bus: EventBus, bridge: EventBridge
) -> None:
    news: list[int] = []
    bridge.sig_dossier_news.connect(news.append)
    bus.publish(SyncProgress(4, 1, 2))
    bus.publish(PortalStatusChanged(5, 2, "DA_TIEP_NHAN"))
    bus.publish(PaymentChanged(6, "p1", "paid"))
    bus.publish(ResultDownloaded(7, "kq", None))
    qtbot.waitUntil(lambda: news == [5, 6, 7])
