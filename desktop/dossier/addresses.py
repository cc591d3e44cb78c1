"""Names of provinces and communes as clerks write them, matched to the units in force.

Names are compared by `key()`: folded like the catalog search (no diacritics, no case,
"đ" → "d"), without a leading kind ("Tỉnh", "TP.", "Xã", "P.", ...), without spaces and
leading zeros, so "Đắk", "Đăk" and "Dak", "Hoà" and "Hòa", "PXi" and "Pxi", "Phường 01"
and "P.1" compare equal. A province resolves from its current name, a former name
(63 → 34 on 1 July 2025: "Kon Tum" → Quảng Ngãi) or a common spelling ("TP HCM",
"Thừa Thiên Huế").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from desktop.catalog.folding import fold
from desktop.dossier.admin_units import Commune, OldUnit, units

PROVINCE_PREFIXES = ("tinh", "thanh pho", "tp", "t")
COMMUNE_PREFIXES = {
    "xa": "Xã",
    "x": "Xã",
    "phuong": "Phường",
    "p": "Phường",
    "thi tran": "Thị trấn",
    "tt": "Thị trấn",
    "dac khu": "Đặc khu",
}
# Ways of writing a province that are not its name, folded; the value is a province
# code, current or former (former codes resolve to the province they are part of now).
PROVINCE_ALIASES = {
    "hcm": "79",
    "tphcm": "79",
    "sai gon": "79",
    "saigon": "79",
    "thua thien hue": "46",
    "tt hue": "46",
    "brvt": "77",
    "hn": "01",
}
_LEADING_ZEROS = re.compile(r"\b0+(\d)")
_GLUED = re.compile(r"^(p|x|tt)(\d+)\b")  # "p10" → "p 10"


@dataclass(frozen=True)
class ProvinceMatch:
    """`name`/`code`: the province in force; `former`: the old name typed, if it was one."""

    name: str
    code: str
    former: str | None = None
    former_code: str | None = None


def strip_prefix(folded: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    """(prefix, rest) of a folded name that starts with one of `prefixes` (longest first)."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        if folded.startswith(prefix + " ") and len(folded) > len(prefix) + 1:
            return prefix, folded[len(prefix) + 1 :]
    return "", folded


def key(name: str) -> str:
    """The comparison key of a unit name without its kind (see the module docstring)."""
    return _LEADING_ZEROS.sub(r"\1", name).replace(" ", "")


def province_key(text: str) -> str:
    return key(strip_prefix(fold(text), PROVINCE_PREFIXES)[1])


def commune_key(text: str) -> tuple[str | None, str]:
    """The kind written before a commune's name ("Xã", ...; None if none) and its key."""
    prefix, rest = strip_prefix(_GLUED.sub(r"\1 \2", fold(text)), tuple(COMMUNE_PREFIXES))
    return COMMUNE_PREFIXES.get(prefix), key(rest)


@cache
def _province_table() -> dict[str, ProvinceMatch]:
    table = units()
    lookup: dict[str, ProvinceMatch] = {}
    for old in table.old_provinces:
        new = table.province(old.new_code)
        assert new is not None
        if province_key(old.name) == province_key(new.name):
            lookup[province_key(old.name)] = ProvinceMatch(new.name, new.code)
        else:
            lookup[province_key(old.name)] = ProvinceMatch(new.name, new.code, old.name, old.code)
    for province in table.provinces:
        lookup[province_key(province.name)] = ProvinceMatch(province.name, province.code)
    for alias, code in PROVINCE_ALIASES.items():
        former_province = table.old_province(code)
        assert former_province is not None
        match = lookup[province_key(former_province.name)]
        if code == "46":  # Thừa Thiên Huế: Huế's name before 2025, so a former name
            match = ProvinceMatch(match.name, match.code, "Thừa Thiên Huế", code)
        lookup[key(alias)] = match
    return lookup


def provinces() -> tuple[str, ...]:
    """The names of the 34 provincial units in force since 1 July 2025."""
    return tuple(p.name for p in units().provinces)


def resolve_province(text: str) -> ProvinceMatch | None:
    """The province in force for `text` (a current or former name, or its code), or None."""
    stripped = text.strip()
    province = units().province(stripped) if stripped.isdigit() else None
    if province is not None:
        return ProvinceMatch(province.name, province.code)
    return _province_table().get(province_key(stripped)) if stripped else None


def former_provinces() -> dict[str, str]:
    """Every former province merged in 2025 → the province it belongs to now."""
    table = units()
    return {
        old.name: new.name
        for old in table.old_provinces
        if (new := table.province(old.new_code)) is not None and new.name != old.name
    }


def find_commune(province_code: str, text: str) -> Commune | None:
    """The commune in force in a province named by `text` (its code or its name), or None.

    A kind written before the name ("Xã", "P.") must match when two units of the
    province share the name; otherwise it may be left out or be another word.
    """
    stripped = text.strip()
    if stripped.isdigit():
        commune = units().commune(stripped.zfill(5))
        return commune if commune is not None and commune.province_code == province_code else None
    kind, wanted = commune_key(stripped)
    same = list(communes_by_key(province_code).get(wanted, ()))
    if len(same) > 1 and kind is not None:
        same = [c for c in same if c.kind == kind]
    if len(same) > 1:  # names the key confuses ("Văn Lang", "Văn Lăng"): exact spelling
        typed = unicodedata.normalize("NFC", stripped).casefold()
        same = [c for c in same if typed in (c.name.casefold(), c.full_name.casefold())]
    return same[0] if len(same) == 1 else None


def communes_by_key(province_code: str) -> dict[str, tuple[Commune, ...]]:
    """The communes in force of a province by the key of their name."""
    return _name_index()[0].get(province_code, {})


def old_units_by_key(old_province_code: str) -> dict[str, tuple[OldUnit, ...]]:
    """The former units of a former province by the key of their name."""
    return _name_index()[1].get(old_province_code, {})


@cache
def _name_index() -> tuple[
    dict[str, dict[str, tuple[Commune, ...]]], dict[str, dict[str, tuple[OldUnit, ...]]]
]:
    """Every unit by province and name key, built once (about 13,000 names folded) so
    that resolving an address is only dictionary look-ups."""
    table = units()
    current: dict[str, dict[str, tuple[Commune, ...]]] = {}
    for commune in table.communes:
        found = current.setdefault(commune.province_code, {})
        name_key = key(fold(commune.name))
        found[name_key] = (*found.get(name_key, ()), commune)
    former: dict[str, dict[str, tuple[OldUnit, ...]]] = {}
    for unit in table.old_units:
        found_old = former.setdefault(unit.old_province_code, {})
        name_key = key(fold(unit.name))
        found_old[name_key] = (*found_old.get(name_key, ()), unit)
    return current, former
