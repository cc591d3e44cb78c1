"""Start-up figures of the command line and the window, as a user runs them from a shell.

Every figure is a whole process started the way a shell starts it (the `dvc-desk` console
script of the venv), its wall time to exit (or to the `--smoke` "ready" line) and its peak
RSS (os.wait4), beside the same run's baselines:

- `dvc-desk --version`, `dvc-desk --help`: goal ≤ 150 ms; `dvc-desk catalog search X`
  on an existing data dir: goal ≤ 400 ms (baseline: `python -c pass`).
- `dvc-desk sign` of a 200 MB scan-like PDF with a .p12 key: goal ≤ 2.5× the time of
  hashing the file in Python (hashlib.sha256 over the file, this process, warm cache),
  peak RSS ≤ 100 MB.
- The window: `dvc-desk --smoke` to its "ready" line (first paint), median of 7, goal
  ≤ 0.6 s, beside `python -c "import PySide6.QtWidgets"`.

    python bench/bench_startup.py [--runs 7] [--sign-mb 200] [--no-sign] [--no-window]
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core" / "signing"))

from bench._record import record
from bench.bench_sign import MB, make_scan_pdf, scan_jpeg, sha256_seconds

BIN = Path(sys.executable).parent
# CPU seconds (user + system) of each command line run: less sensitive than wall time to
# other programs on a busy machine.
CPU: dict[str, list[float]] = {}
DVC = str(BIN / "dvc-desk")


def run(argv: list[str], stdin: str | None = None, until: str | None = None) -> tuple[float, int]:
    """Wall seconds of one whole process (to the line `until` when given) and its peak
    RSS in KB; its CPU seconds (user + system) are added to CPU[argv[-1]]."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    assert proc.stdout is not None
    if until is not None:
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        if line.strip() != until:
            raise SystemExit(f"{argv}: expected {until!r}, got {line!r}")
    proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    CPU.setdefault(" ".join(argv), []).append(usage.ru_utime + usage.ru_stime)
    if until is None:
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        assert proc.stderr is not None
        raise SystemExit(f"{argv} failed ({proc.returncode}): {proc.stderr.read()}")
    return elapsed, usage.ru_maxrss


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def bench_cli(data: Path, runs: int) -> list[str]:
    cases = {
        "`python -c pass` (baseline)": [sys.executable, "-c", "pass"],
        "`dvc-desk --version`": [DVC, "--data-dir", str(data), "--version"],
        "`dvc-desk --help`": [DVC, "--data-dir", str(data), "--help"],
        "`dvc-desk catalog search 'giay phep'`": [
            DVC, "--data-dir", str(data), "catalog", "search", "giay phep"
        ],
    }  # fmt: skip
    goals = {"`dvc-desk --version`": 0.15, "`dvc-desk --help`": 0.15}
    goals["`dvc-desk catalog search 'giay phep'`"] = 0.4
    times: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, int] = {}
    for _ in range(runs):  # interleaved: a busy moment hits every case alike
        for name, argv in cases.items():
            seconds, peak = run(argv)
            times[name].append(seconds)
            peaks[name] = max(peaks.get(name, 0), peak)
    lines = [
        f"Command line, {runs} runs each, interleaved, existing data dir (bundled catalog):",
        "",
        "| command | median | min | max | CPU (median) | peak RSS | goal |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        cpu = statistics.median(CPU[" ".join(cases[name])])
        goal = goals.get(name)
        judged = f"≤ {ms(goal)}: {verdict(median <= goal)}" if goal else ""
        lines.append(
            f"| {name} | {ms(median)} | {ms(min(values))} | {ms(max(values))} | {ms(cpu)} "
            f"| {peaks[name] / 1024:.0f} MB | {judged} |"
        )
    return lines


def bench_sign(work: Path, data: Path, megabytes: int) -> list[str]:
    from signing_helpers import P12_PASSWORD, build_pki

    pki = build_pki(work / "pki")
    pdf = make_scan_pdf(work / f"scan-{megabytes}mb.pdf", megabytes, scan_jpeg())
    out = work / "signed.pdf"
    argv = [DVC, "--data-dir", str(data), "sign", str(pdf), "-o", str(out),
            "--p12", str(pki.signer.p12), "--password-stdin"]  # fmt: skip
    hashes, signs, peak = [], [], 0
    for _ in range(3):
        hashes.append(sha256_seconds(pdf))
        seconds, rss = run(argv, stdin=P12_PASSWORD + "\n")
        signs.append(seconds)
        peak = max(peak, rss)
        out.unlink()
    hashed, signed = min(hashes), min(signs)
    cpu = min(CPU[" ".join(argv)])  # user + system seconds of the sign process
    ratio = signed / hashed
    size = pdf.stat().st_size / MB
    return [
        f"`dvc-desk sign` of a {size:.0f} MB scan-like PDF (one ~1 MB JPEG per page), .p12 "
        "RSA-2048 key on stdin, invisible PAdES B-B, whole process; hash = hashlib.sha256 "
        "over the file in the bench process (warm cache). Best of 3:",
        "",
        "| | time | CPU (fewest) | peak RSS |",
        "|---|---:|---:|---:|",
        f"| SHA-256 in Python | {hashed:.2f} s | | |",
        f"| `dvc-desk sign` (whole process) | {signed:.2f} s | {cpu:.2f} s "
        f"| {peak / 1024:.0f} MB |",
        "",
        f"Sign / hash = {ratio:.2f}× (goal ≤ 2.5×: {verdict(ratio <= 2.5)}); sign CPU / hash = "
        f"{cpu / hashed:.2f}× (the sign's two threads can overlap on free cores, so its wall "
        f"time may be below its CPU time); peak {peak / 1024:.0f} MB (goal ≤ 100 MB: "
        f"{verdict(peak / 1024 <= 100)}).",
    ]


def bench_window(data: Path, runs: int) -> list[str]:
    run([DVC, "--data-dir", str(data), "--smoke"], until="ready")  # warm the disk cache
    smoke, qt = [], []
    for _ in range(runs):
        qt.append(run([sys.executable, "-c", "import PySide6.QtWidgets"])[0])
        smoke.append(run([DVC, "--data-dir", str(data), "--smoke"], until="ready")[0])
    median = statistics.median(smoke)
    return [
        f'Window, {runs} runs each, interleaved: process start to the `--smoke` "ready" '
        "line (printed from the main window's first paint):",
        "",
        "| | median | min | max |",
        "|---|---:|---:|---:|",
        f"| `dvc-desk --smoke` to the first paint | {ms(median)} | {ms(min(smoke))} "
        f"| {ms(max(smoke))} |",
        f'| `python -c "import PySide6.QtWidgets"` | {ms(statistics.median(qt))} '
        f"| {ms(min(qt))} | {ms(max(qt))} |",
        "",
        f"Goal: ≤ 600 ms median to the first paint: {verdict(median <= 0.6)}.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sign-mb", type=int, default=200)
    parser.add_argument("--no-sign", action="store_true")
    parser.add_argument("--no-window", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        work = Path(tmp)
        data = work / "data"
        # First use: creates the database and imports the bundled catalog.
        run([DVC, "--data-dir", str(data), "catalog", "search", "giay phep"])
        body = bench_cli(data, args.runs)
        if not args.no_sign:
            body += ["", *bench_sign(work, data, args.sign_mb)]
        if not args.no_window:
            body += ["", *bench_window(data, args.runs)]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body += ["", f"Load average at the end of the run: {load} on {os.cpu_count()} CPUs (wall "
             "times move with it; the CPU column much less)."]  # fmt: skip
    print("\n".join(body))
    if not args.no_record:
        record("bench_startup", "Start-up: the command line and the window", "\n".join(body))


if __name__ == "__main__":
    main()
