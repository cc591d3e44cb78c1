"""Peak memory of `dvc-desk intake images2pdf` on hostile and on large accepted images.

Each input runs in its own child process; the figure is the child's peak resident set
(ru_maxrss). Goal (issue #12): under 300 MB for any input. Bombs must be refused with a
message (exit 1), large scans within the decode budget converted (exit 0).

Run: .venv/bin/python bench/bench_intake_memory.py  (writes its section of docs/benchmarks.md)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "core" / "intake"))

from _record import record  # noqa: E402
from scanfakes import big_png  # noqa: E402

GOAL_MB = 300
CASES = [
    ("13000×13000 RGBA PNG (bomb)", 13_000, 13_000, 8, 6),
    ("13000×13000 16-bit grey PNG (bomb)", 13_000, 13_000, 16, 0),
    ("12000×12000 48-bit RGB PNG (bomb)", 12_000, 12_000, 16, 2),
    ("6400×6400 RGBA PNG (near the largest accepted RGBA)", 6_400, 6_400, 8, 6),
    ("4960×7016 RGB PNG (A4 at 600 dpi)", 4_960, 7_016, 8, 2),
    ("9933×14043 grey PNG (A0 at 300 dpi)", 9_933, 14_043, 8, 0),
]


def run(image: Path, out: Path, home: Path) -> tuple[int, float, float]:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--data-dir", str(home), "intake", "images2pdf",
         str(image), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _pid, status, usage = os.wait4(child.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, time.perf_counter() - started


def main() -> None:
    rows = []
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for title, width, height, bits, colour in CASES:
            image = big_png(folder / "in.png", width, height, bits=bits, colour=colour)
            code, peak, seconds = run(image, folder / "out.pdf", folder / "home")
            worst = max(worst, peak)
            outcome = "converted" if code == 0 else f"refused (exit {code})"
            size_kb = image.stat().st_size // 1024
            rows.append(f"| {title} | {size_kb} KB | {outcome} | {peak:.0f} MB | {seconds:.1f} s |")
            print(f"{title}: {outcome}, peak {peak:.0f} MB, {seconds:.1f} s")
            (folder / "out.pdf").unlink(missing_ok=True)
    verdict = "met" if worst < GOAL_MB else "NOT met"
    body = "\n".join(
        [
            f"Goal: under {GOAL_MB} MB peak for any input — **{verdict}** (worst {worst:.0f} MB).",
            "",
            "| Input | On disk | Outcome | Peak memory | Time |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    record("bench_intake_memory", "Intake: memory on image bombs and large scans", body)


if __name__ == "__main__":
    main()
