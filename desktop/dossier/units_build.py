"""Derive the bundled administrative units from the dvhcvn/20250701 data (build time).

`python -m desktop.dossier.units_build SOURCE_DIR` reads `merges.json`, `splits.json`
and `915_CTK-CSCL.csv` of a copy of the public repository dvhcvn/20250701 (MIT; in this
project `../shared/data/dvhcvn-20250701/`) and writes `resources/addresses/`:
`units-2025.json` (the compact form read at run time), `LICENSE` (copied unchanged) and
`SOURCE` (where the data came from, its commit and the SHA-256 of each input file).
`tests/core/dossier/test_units_resource.py` derives it again from the shared copy and
checks that the shipped files are exactly what this module makes of it.

Compact form (lists, not objects, to keep the file small and quick to load):
- `provinces`: `[code, kind, name]` of the 34 units in force ("01", "Thành phố", "Hà Nội");
- `communes`: `[code, kind, name, province code]` of the 3,321 communes, wards and
  special zones ("21025", "Phường", "Cẩm Thành", "51");
- `old_provinces`: `[code, kind, name, new province code]` of the 63 former provinces;
- `old_units`: `[code, kind, name, former province code, [[new code, partial], ...]]` of
  the former communes (and the five island districts that had no communes), each with
  the new unit(s) it went into; `partial` is 1 when it was split between several.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from desktop.catalog.resources import resources_dir

UNITS_FILE = "units-2025.json"
KINDS = ("Thành phố", "Tỉnh", "Đặc khu", "Thị trấn", "Phường", "Huyện", "Xã")
INPUTS = ("merges.json", "splits.json", "915_CTK-CSCL.csv")
_COMMIT = re.compile(r"commit\s+`?([0-9a-f]{7,40})`?(?:,\s*([0-9-]{10}))?")


def split_kind(full_name: str) -> tuple[str, str]:
    """("Phường", "Cẩm Thành") from "Phường Cẩm Thành"; the kind is "" when none is named."""
    for kind in KINDS:
        # One source row writes "Thị Trấn": the kind is matched whatever its case.
        if full_name[: len(kind) + 1].lower() == kind.lower() + " ":
            return kind, full_name[len(kind) + 1 :].strip()
    return "", full_name.strip()


def derive(source: Path) -> dict[str, Any]:
    """The compact units document made from the dvhcvn files in `source`."""
    merges = json.loads((source / "merges.json").read_text(encoding="utf-8"))["data"]
    splits = json.loads((source / "splits.json").read_text(encoding="utf-8"))["data"]
    with (source / "915_CTK-CSCL.csv").open(encoding="utf-8", newline="") as handle:
        official = {row[1]: row[2] for row in list(csv.reader(handle))[1:]}
    provinces, communes, partial = [], [], {}
    for province in merges:
        code = province["level1_id"]
        kind, name = split_kind(province["name"])
        if split_kind(official[code])[1] != name:
            raise ValueError(f"province {code}: {province['name']!r} vs {official[code]!r}")
        provinces.append([code, kind, name])
        for unit in province["level2s"]:
            communes.append([unit["level2_id"], *split_kind(unit["name"]), code])
            for old in unit["merges"]:
                partial[(old["old_id"], unit["level2_id"])] = int(old["type"] == "partial")
    old_provinces, old_units = [], []
    for province in splits:
        code = province["level1_id"]
        (new,) = province["splits"]
        old_provinces.append([code, *split_kind(province["name"]), new["new_id"]])
        for unit in (*province["level3s"], *province.get("level2s", ())):
            old_code = unit.get("level3_id") or unit["level2_id"]
            went = [[s["new_id"], partial[(old_code, s["new_id"])]] for s in unit["splits"]]
            old_units.append([old_code, *split_kind(unit["name"]), code, went])
    return {
        "provinces": provinces,
        "communes": communes,
        "old_provinces": old_provinces,
        "old_units": old_units,
    }


def source_note(source: Path) -> str:
    """The SOURCE file: repository, commit, licence and the SHA-256 of each input."""
    readme = (source / "README.md").read_text(encoding="utf-8")
    found = _COMMIT.search(readme)
    commit = found.group(1) if found else "unknown"
    date = f" ({found.group(2)})" if found and found.group(2) else ""
    lines = [
        "Administrative units of Viet Nam in force since 1 July 2025.",
        f"Repository: https://github.com/dvhcvn/20250701 at commit {commit}{date}",
        "Licence: MIT (LICENSE beside this file, copied unchanged).",
        f"Derived by: python -m desktop.dossier.units_build (into {UNITS_FILE})",
        "Inputs (SHA-256):",
    ]
    for name in INPUTS:
        digest = hashlib.sha256((source / name).read_bytes()).hexdigest()
        lines.append(f"  {digest}  {name}")
    return "\n".join(lines) + "\n"


def render(document: dict[str, Any]) -> str:
    """One unit a line: small diffs, quick to load."""
    parts = []
    for key, rows in document.items():
        body = ",\n".join(
            json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows
        )
        parts.append(f'"{key}":[\n{body}\n]')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def build(source: Path, target: Path) -> None:
    """Write units, LICENSE and SOURCE into `target` from the dvhcvn copy in `source`."""
    target.mkdir(parents=True, exist_ok=True)
    (target / UNITS_FILE).write_text(render(derive(source)), encoding="utf-8")
    shutil.copyfile(source / "LICENSE", target / "LICENSE")
    (target / "SOURCE").write_text(source_note(source), encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), resources_dir() / "addresses")
