"""Writes tests/data/old-addresses.json: old → new address cases sampled from the shared data.

`python tests/data/make_old_addresses.py ../shared/data/dvhcvn-20250701` reads the
source's `splits.json` (old → new, not the app's derived resource) and picks, for every
one of the 63 former provinces, three former communes that went wholly into one new unit
and two that were split ("partial"; fewer where a province has fewer), with a fixed
seed. Each is written the way papers and clerks write addresses, in turn: as in the
data, without diacritics, with a hamlet and a short province name, with abbreviations.
The expected answer is the source's list of new units.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from desktop.catalog.folding import fold

TARGET = Path(__file__).with_name("old-addresses.json")
SEED = 20250701
ABBREVIATIONS = {"Xã": "X.", "Phường": "P.", "Thị trấn": "TT.", "Thị Trấn": "TT."}


def plain(text: str) -> str:
    """As typed without diacritics, part by part (the app's own folding)."""
    return ", ".join(fold(part) for part in text.split(","))


def written(index: int, unit: str, province: str) -> str:
    short = province.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    style = index % 4
    if style == 0:
        return f"{unit}, {province}"
    if style == 1:
        return plain(f"{unit}, {province}")
    if style == 2:
        return f"Thôn {index % 9 + 1}, {unit}, {short}"
    for kind, short_kind in ABBREVIATIONS.items():
        if unit.startswith(kind + " "):
            unit = short_kind + " " + unit[len(kind) + 1 :]
            break
    return f"{unit}, tỉnh {short}" if province.startswith("Tỉnh") else f"{unit}, TP. {short}"


def sample(source: Path) -> list[dict[str, object]]:
    splits = json.loads((source / "splits.json").read_text(encoding="utf-8"))["data"]
    rng = random.Random(SEED)
    cases: list[dict[str, object]] = []
    for province in splits:
        units = province["level3s"]
        full = [u for u in units if len(u["splits"]) == 1]
        partial = [u for u in units if len(u["splits"]) > 1]
        picked = [(u, "full") for u in rng.sample(full, min(3, len(full)))]
        picked += [(u, "partial") for u in rng.sample(partial, min(2, len(partial)))]
        for unit, kind in picked:
            cases.append(
                {
                    "text": written(len(cases), unit["name"], province["name"]),
                    "old_code": unit["level3_id"],
                    "type": kind,
                    "expect": [s["new_id"] for s in unit["splits"]],
                }
            )
    return cases


if __name__ == "__main__":
    data = {
        "seed": SEED,
        "source": "dvhcvn/20250701 splits.json",
        "cases": sample(Path(sys.argv[1])),
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
