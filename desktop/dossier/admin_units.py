"""The administrative units in force since 1 July 2025, and the former ones they replaced.

Read once, lazily, from `resources/addresses/units-2025.json` (derived from the
dvhcvn/20250701 data by `desktop.dossier.units_build`; licence and source beside it):
34 provinces (2-digit codes), 3,321 communes, wards and special zones (5-digit codes),
the 63 former provinces and the former communes with the new unit(s) each went into.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from desktop.catalog.resources import resources_dir

# Found like the bundled catalog (DVC_DESK_RESOURCES overrides, e.g. in a frozen app).
DATA_FILE = resources_dir() / "addresses" / "units-2025.json"
COMMUNE_KINDS = ("Xã", "Phường", "Đặc khu")


@dataclass(frozen=True)
class Province:
    """A provincial unit in force: `code` "51", `kind` "Tỉnh", `name` "Quảng Ngãi"."""

    code: str
    kind: str
    name: str

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Commune:
    """A commune, ward or special zone in force: "21025", "Phường", "Cẩm Thành", "51"."""

    code: str
    kind: str
    name: str
    province_code: str

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class OldProvince:
    """A province before 1 July 2025 and the province it is part of now."""

    code: str
    kind: str
    name: str
    new_code: str

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class OldUnit:
    """A former commune (or island district) and the new unit(s) it went into.

    `went` pairs each new commune code with True when only part of the former unit went
    there ("partial" in the source: the former unit was split).
    """

    code: str
    kind: str
    name: str
    old_province_code: str
    went: tuple[tuple[str, bool], ...]

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}".strip()

    @property
    def new_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _partial in self.went)


class Units:
    """Every unit, with the lookups the address code needs (built once)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.provinces = tuple(Province(*map(str, row)) for row in data["provinces"])
        self.communes = tuple(Commune(*map(str, row)) for row in data["communes"])
        self.old_provinces = tuple(OldProvince(*map(str, row)) for row in data["old_provinces"])
        self.old_units = tuple(
            OldUnit(
                str(code),
                str(kind),
                str(name),
                str(province),
                tuple((str(new), bool(partial)) for new, partial in went),
            )
            for code, kind, name, province, went in data["old_units"]
        )
        self._province = {p.code: p for p in self.provinces}
        self._commune = {c.code: c for c in self.communes}
        self._old_province = {p.code: p for p in self.old_provinces}
        self._old_unit = {u.code: u for u in self.old_units}
        by_province: defaultdict[str, list[Commune]] = defaultdict(list)
        for commune in self.communes:
            by_province[commune.province_code].append(commune)
        self._communes_of = {code: tuple(items) for code, items in by_province.items()}
        old_by_province: defaultdict[str, list[OldUnit]] = defaultdict(list)
        merged: defaultdict[str, list[tuple[OldUnit, bool]]] = defaultdict(list)
        for unit in self.old_units:
            old_by_province[unit.old_province_code].append(unit)
            for new, partial in unit.went:
                merged[new].append((unit, partial))
        self._old_units_of = {code: tuple(items) for code, items in old_by_province.items()}
        self._merged_into = {code: tuple(items) for code, items in merged.items()}

    def province(self, code: str) -> Province | None:
        return self._province.get(code)

    def commune(self, code: str) -> Commune | None:
        return self._commune.get(code)

    def old_province(self, code: str) -> OldProvince | None:
        return self._old_province.get(code)

    def old_unit(self, code: str) -> OldUnit | None:
        return self._old_unit.get(code)

    def communes_of(self, province_code: str) -> tuple[Commune, ...]:
        return self._communes_of.get(province_code, ())

    def old_units_of(self, old_province_code: str) -> tuple[OldUnit, ...]:
        return self._old_units_of.get(old_province_code, ())

    def merged_into(self, commune_code: str) -> tuple[tuple[OldUnit, bool], ...]:
        """The former units that went (wholly, or in part when True) into a commune."""
        return self._merged_into.get(commune_code, ())

    def old_provinces_of(self, province_code: str) -> tuple[OldProvince, ...]:
        """The former provinces that make up a province in force."""
        return tuple(p for p in self.old_provinces if p.new_code == province_code)


@cache
def units() -> Units:
    """The bundled units (read on first use, about 25 ms)."""
    return Units(json.loads(DATA_FILE.read_text(encoding="utf-8")))
