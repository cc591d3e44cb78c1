"""Writes one benchmark's figures into its own section of docs/benchmarks.md."""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Each section is written by its script in `bench/` (`make bench` runs them all).\n"
    "Figures are from the machine named in the section; compare figures of one run only.\n"
)


def record(name: str, title: str, body: str) -> None:
    """Replace (or add) the section `name` of docs/benchmarks.md with `body`."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    section = (
        f"<!-- bench:{name} -->\n## {title}\n\n"
        f"_Run {stamp} on {machine}; `python bench/{name}.py`._\n\n"
        f"{body.strip()}\n<!-- /bench:{name} -->\n"
    )
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    pattern = re.compile(
        rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->\n", re.S
    )
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text + "\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
