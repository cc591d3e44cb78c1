"""Screenshots of the main screens with realistic Vietnamese data (`make screenshots`).

Builds a throw-away data dir (the bundled catalog and a few dossiers), opens the main
window at a typical office-PC size, and saves one PNG per screen:

    python -m ui.screenshots docs/screenshots [--size 1366x768]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QApplication

from desktop.paths import Paths
from desktop.workspace import Workspace
from ui.bridge import EventBridge
from ui.i18n import install_translators, pick_font_family
from ui.icons import icon
from ui.tasks import TaskManager
from ui.views.main_window import SECTION_CATALOG, SECTION_DOSSIERS, MainWindow

# (procedure search, applicant fields): people and places as a commune office sees them.
SAMPLE_DOSSIERS = (
    (
        "cchn duoc xet ho so",
        {"applicant.name": "Nguyễn Thị Thu Hà", "applicant.phone": "0905123456"},
    ),
    ("gpp", {"applicant.name": "Nhà thuốc Phúc An", "applicant.kind": "organisation"}),
    ("my pham", {"applicant.name": "Trần Văn Đức", "applicant.address.province": "Quảng Ngãi"}),
    ("cap lai cchn", {"applicant.name": "Lê Hoàng Yến"}),
    ("to chuc ke thuoc", {"applicant.name": "Phạm Quốc Việt"}),
)


def populate(workspace: Workspace) -> None:
    """The bundled catalog and a few draft dossiers."""
    workspace.catalog.ensure_bundled()
    for query, fields in SAMPLE_DOSSIERS:
        hits = workspace.catalog.search(query, limit=1)
        if hits:
            dossier = workspace.dossiers.create(hits[0].key)
            workspace.dossiers.set_fields(dossier.id, fields)


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not finish loading")
        app.processEvents()
        QThread.msleep(10)


def capture(out_dir: Path, width: int, height: int) -> list[Path]:
    """Save catalog.png, dossiers.png and main-window.png into `out_dir`."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    family = pick_font_family()
    if family:
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    install_translators(app, "vi")
    app.setWindowIcon(icon("dvc-desk"))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="dvc-shots-") as tmp:
        workspace = Workspace(Paths(Path(tmp)))
        tasks = TaskManager()
        bridge = EventBridge(workspace.events)
        try:
            populate(workspace)
            window = MainWindow(
                catalog=workspace.catalog,
                dossiers=workspace.dossiers,
                tasks=tasks,
                bridge=bridge,
                data_dir=Path("/home/canbo/.local/share/dvc-desk"),
                ui_settings=QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat),
            )
            window.resize(width, height)
            window.show()
            window.start()
            view = window.catalog_view
            view.search_edit.setText("cchn duoc")
            view.search()
            wait_until(app, lambda: "Thành phần hồ sơ" in view.details.toPlainText())
            wait_until(app, lambda: window.count_label.text() != "")
            window.show_section(SECTION_CATALOG)
            for name in ("main-window", "catalog"):
                saved.append(out_dir / f"{name}.png")
                window.grab().save(str(saved[-1]))
            window.show_section(SECTION_DOSSIERS)
            model = window.dossiers_view.model
            wait_until(app, lambda: model.rowCount() == model.total > 0)
            saved.append(out_dir / "dossiers.png")
            window.grab().save(str(saved[-1]))
            window.close()
        finally:
            tasks.shutdown()
            bridge.close()
            workspace.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    for path in capture(args.out_dir, width, height):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
