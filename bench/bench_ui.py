"""Desktop app benchmarks: start-up to the first paint, and opening the dossier list.

- Start-up: `dvc-desk --smoke` as a whole process (offscreen), time until it prints
  `ready` (printed from the main window's first paint event), beside
  `python -c "import PySide6.QtWidgets"` in the same run. Goal: ≤ 1.0 s median.
- Dossier list: 100,000 dossiers; the Hồ sơ screen's model counts and loads its first
  page in the background and the view paints it. Goal: ≤ 300 ms.

    python bench/bench_ui.py [--runs 7] [--dossiers 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._record import record
from bench.bench_list import populate
from desktop.paths import Paths
from desktop.workspace import Workspace

BIN = Path(sys.executable).parent


def time_to_ready(data_dir: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "dvc-desk"), "--data-dir", str(data_dir), "--smoke"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    if proc.wait(timeout=60) != 0 or line.strip() != "ready":
        raise SystemExit(f"dvc-desk --smoke failed: {line!r}")
    return elapsed


def time_import_qt() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True)
    return time.perf_counter() - started


def bench_startup(runs: int) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        time_to_ready(data)  # first start: creates the database and imports the catalog
        smoke, qt = [], []
        for _ in range(runs):
            qt.append(time_import_qt())
            smoke.append(time_to_ready(data))
    return smoke, qt


def bench_dossier_list(count: int, runs: int) -> dict[str, list[float]]:
    from PySide6.QtWidgets import QApplication

    from ui.tasks import TaskManager
    from ui.views.dossiers_view import DossiersView

    app = QApplication.instance() or QApplication([])
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Paths(Path(tmp)))
        populate(workspace, count)
        tasks = TaskManager()
        try:
            for label, state, search in (
                ("all dossiers", None, ""),
                ("state DRAFT", "DRAFT", ""),
                ("search 'nguyen van'", None, "nguyen van"),
            ):
                times = []
                for _ in range(runs):
                    view = DossiersView(workspace.dossiers, tasks)
                    view.resize(1200, 700)
                    started = time.perf_counter()
                    view.show()
                    view.state_combo.blockSignals(True)
                    view.state_combo.setCurrentIndex(max(view.state_combo.findData(state), 0))
                    view.state_combo.blockSignals(False)
                    view.search_edit.blockSignals(True)
                    view.search_edit.setText(search)
                    view.search_edit.blockSignals(False)
                    done: list[int] = []
                    view.model.sig_reloaded.connect(done.append)
                    view.apply_filter()
                    while not done:
                        app.processEvents()
                    view.table.viewport().repaint()
                    times.append(time.perf_counter() - started)
                    view.close()
                    view.deleteLater()
                    app.processEvents()
                results[label] = times
        finally:
            tasks.shutdown()
            workspace.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dossiers", type=int, default=100_000)
    args = parser.parse_args()

    smoke, qt = bench_startup(args.runs)
    lists = bench_dossier_list(args.dossiers, args.runs)

    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    lines = [
        f"Start-up, {args.runs} runs each, interleaved, on an existing data dir:",
        "",
        "| | median | min | max |",
        "|---|---|---|---|",
        f"| `dvc-desk --smoke` to the first paint | {ms(statistics.median(smoke))} "
        f"| {ms(min(smoke))} | {ms(max(smoke))} |",
        f'| `python -c "import PySide6.QtWidgets"` | {ms(statistics.median(qt))} '
        f"| {ms(min(qt))} | {ms(max(qt))} |",
        "",
        f"Goal: ≤ 1.0 s median to the first paint: "
        f"{'met' if statistics.median(smoke) <= 1.0 else 'NOT met'}.",
        "",
        f"Hồ sơ screen over {args.dossiers:,} dossiers: show, count + first page of 100 "
        "on the task pool, paint (median of "
        f"{args.runs}):",
        "",
        "| list | median | max |",
        "|---|---|---|",
    ]
    for label, times in lists.items():
        lines.append(f"| {label} | {ms(statistics.median(times))} | {ms(max(times))} |")
    worst = max(statistics.median(t) for t in lists.values())
    lines += ["", f"Goal: ≤ 300 ms: {'met' if worst <= 0.3 else 'NOT met'}."]
    body = "\n".join(lines)
    print(body)
    record("bench_ui", "Desktop app: start-up and the dossier list", body)


if __name__ == "__main__":
    main()
