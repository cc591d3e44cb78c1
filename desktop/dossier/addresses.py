"""Provinces since 1 July 2025 and the old → new mapping of the 2025 merger (63 → 34).

The data is `resources/addresses/provinces-2025.json` (source: Nghị quyết
202/2025/QH15). Names are matched without diacritics, case or prefixes like "Tỉnh",
"Thành phố" or "TP.", so "kon tum", "Tỉnh Kon Tum" and "KON TUM" all resolve.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from desktop.catalog.resources import resources_dir

# Found like the bundled catalog (DVC_DESK_RESOURCES overrides, e.g. in a frozen app).
DATA_FILE = resources_dir() / "addresses" / "provinces-2025.json"
_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")


@dataclass(frozen=True)
class ProvinceMatch:
    """`name` is the province in force; `former` is the old name typed, if it was one."""

    name: str
    former: str | None = None


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces, hyphens as spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[\s\-–]+", " ", text.lower()).strip()
    return _PREFIX.sub("", text)


@cache
def _table() -> tuple[tuple[str, ...], dict[str, ProvinceMatch]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    names: list[str] = []
    lookup: dict[str, ProvinceMatch] = {}
    for entry in data["provinces"]:
        name = entry["name"]
        names.append(name)
        lookup[fold(name)] = ProvinceMatch(name)
        for old in (*entry["merged_from"], *entry.get("former_names", ())):
            lookup[fold(old)] = ProvinceMatch(name, former=old)
    # Common ways of writing Hồ Chí Minh City.
    lookup[fold("TP HCM")] = lookup[fold("Hồ Chí Minh")]
    lookup[fold("Thành phố Hồ Chí Minh")] = lookup[fold("Hồ Chí Minh")]
    return tuple(names), lookup


def provinces() -> tuple[str, ...]:
    """The 34 provincial units in force since 1 July 2025."""
    return _table()[0]


def resolve_province(text: str) -> ProvinceMatch | None:
    """The province in force for `text` (a current or a former name), or None."""
    return _table()[1].get(fold(text))


def former_provinces() -> dict[str, str]:
    """Every former province merged in 2025 → the province it belongs to now."""
    return {m.former: m.name for m in _table()[1].values() if m.former}
