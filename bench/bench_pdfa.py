"""PDF/A-2b benchmark: 300 A4 JPEG pages at 300 dpi to one PDF/A-2b file, without OCR.

Timed against concatenating the same JPEG bytes (both fsync'ed, page cache warm) in the
same child process, with the child's peak memory; the PDF/A time includes the check of
the written file by desktop.intake.pdfa_check. Goals (issue #20): ≤ 3× the
concatenation, ≤ 150 MB. The pages are bench_intake's textured scans.

Run: .venv/bin/python bench/bench_pdfa.py  (writes its section of docs/benchmarks.md)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _record import record  # noqa: E402
from bench_intake import A4_300, DISTINCT, PAGES, child, jpeg_bytes, scan_page  # noqa: E402

CHILD = r"""
import json, os, statistics, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from desktop.intake import metadata
from desktop.intake.convert import images_to_pdf
folder = Path(sys.argv[2])
files = sorted(folder.glob("*.jpg"))
record = metadata.build({"record_code": "H49.21-2025-0300", "title": "Hồ sơ 300 trang"}, "bench")
baseline = peak_mb()
for f in files:
    f.read_bytes()
def concat(out):
    with out.open("wb") as sink:
        for f in files:
            with f.open("rb") as src:
                while chunk := src.read(1 << 20):
                    sink.write(chunk)
        sink.flush()
        os.fsync(sink.fileno())
cat_times, pdf_times = [], []
def run_concat():
    out = folder / "concat.bin"
    t = time.perf_counter()
    concat(out)
    cat_times.append(time.perf_counter() - t)
    out.unlink()
def run_pdfa():
    global report, size
    pdf = folder / "out.pdf"
    t = time.perf_counter()
    report = images_to_pdf(files, pdf, pdfa=True, record=record)
    pdf_times.append(time.perf_counter() - t)
    size = pdf.stat().st_size
    pdf.unlink()
for rep in range(5):
    for step in ((run_concat, run_pdfa) if rep % 2 == 0 else (run_pdfa, run_concat)):
        step()
print(json.dumps({
    "pages": report.pages, "input_bytes": sum(f.stat().st_size for f in files), "pdf_bytes": size,
    "concat_s": statistics.median(cat_times), "pdf_s": statistics.median(pdf_times),
    "concat_all": cat_times, "pdf_all": pdf_times,
    "baseline_mb": baseline, "peak_mb": peak_mb(),
}))
"""


def bench(tmp: Path) -> dict[str, Any]:
    folder = tmp / "pages"
    folder.mkdir()
    distinct = [jpeg_bytes(scan_page(A4_300, n), 85, 300) for n in range(DISTINCT)]
    for n in range(PAGES):
        (folder / f"page{n:03d}.jpg").write_bytes(distinct[n % DISTINCT])
    return child(CHILD, str(folder))


def report(result: dict[str, Any]) -> str:
    mb = 1_000_000
    ratio = result["pdf_s"] / max(result["concat_s"], 1e-9)
    peak = result["peak_mb"]
    runs = " / ".join(f"{t:.2f}" for t in result["pdf_all"])
    cat_runs = " / ".join(f"{t:.2f}" for t in result["concat_all"])
    return "\n".join(
        [
            "| | time | goal |",
            "|---|---|---|",
            f"| concatenating the JPEG bytes (fsync) | {result['concat_s']:.2f} s | |",
            "| `intake images2pdf --pdfa` (written, checked, renamed) "
            f"| {result['pdf_s']:.2f} s | |",
            f"| ratio | {ratio:.2f}× | ≤ 3× {'met' if ratio <= 3 else 'NOT met'} |",
            f"| peak memory (child process, VmHWM) | {peak:.0f} MB "
            f"(interpreter and imports: {result['baseline_mb']:.0f} MB) "
            f"| ≤ 150 MB {'met' if peak <= 150 else 'NOT met'} |",
            "",
            f"{result['pages']} pages, input {result['input_bytes'] / mb:.0f} MB of JPEG, PDF/A "
            f"{result['pdf_bytes'] / mb:.0f} MB (JPEGs embedded as they are, plus the sRGB "
            "profile and the XMP once). Median of 5 runs each, alternating which goes first "
            f"(runs: concatenation {cat_runs} s; PDF/A {runs} s).",
        ]
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pdfa-") as tmp:
        result = bench(Path(tmp))
    print(json.dumps(result))
    body = report(result)
    record("bench_pdfa", "PDF/A-2b: 300 pages without OCR", body)
    print(body)


if __name__ == "__main__":
    main()
