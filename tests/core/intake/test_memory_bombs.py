"""Images that pass the pixel limit but would need gigabytes to decode are refused
with a message before decoding; accepted ones are converted strip by strip, so
`intake images2pdf` stays under 300 MB whatever the input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scanfakes import big_png, render

from desktop.intake.images import DECODE_BUDGET

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "bits", "colour"),
    [
        (13_000, 8, 6),  # RGBA: 657 KB on disk, 3.4 GB before
        (13_000, 16, 0),  # 16-bit grey: 2.25 GB before
        (12_000, 16, 2),  # 48-bit RGB
    ],
)
def test_memory_bombs_are_refused_with_a_message(  # type: ignore[no-untyped-def]
    run_cli, scans: Path, size: int, bits: int, colour: int
) -> None:
    bomb = big_png(scans / "bomb.png", size, size, bits=bits, colour=colour)
    assert bomb.stat().st_size < 5 * MB
    result = run_cli("intake", "images2pdf", str(bomb), "-o", str(scans / "out.pdf"))
    assert result.code == 1
    assert "bộ nhớ" in result.err and f"{DECODE_BUDGET // MB} MB" in result.err
    assert not (scans / "out.pdf").exists()


# The peak is read by a small launcher, not by this process: a child started from a
# large process (pytest after hundreds of tests) inherits its memory high-water mark.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "_pid, status, usage = os.wait4(p.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
)


def _peak_rss_mb(args: list[str]) -> tuple[int, float]:
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, sys.executable, "-m", "desktop.cli", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    code, kilobytes = done.stdout.split()
    return int(code), int(kilobytes) / 1024  # KB on Linux


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KB is Linux's")
def test_largest_accepted_rgba_stays_under_300_mb(scans: Path, tmp_path: Path) -> None:
    side = 6_400  # 41 million RGBA pixels: 156 MiB decoded, just under the budget
    image = big_png(scans / "large.png", side, side, bits=8, colour=6)
    out = scans / "large.pdf"
    code, peak = _peak_rss_mb(
        ["--data-dir", str(tmp_path / "d"), "intake", "images2pdf", str(image), "-o", str(out)]
    )
    assert code == 0
    assert peak < 300, f"peak {peak:.0f} MB"
    # Grey 128 at half opacity, flattened onto white paper: about 191.
    assert all(abs(v - 191) <= 2 for v in render(out, dpi=4).getpixel((5, 5)))
