"""An address as written on a paper (old or new) → the commune in force, or a question.

`resolve("xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum")` reads the parts from the end:
the province (current or former name), a district (ignored: districts are gone, and the
data does not list them), the commune, and what is left (street, hamlet) as the
detail. The commune is looked up among the units in force and among the former units
of the province(s) named. The answer is `exact` only when exactly one unit in force
follows; a former commune that was split ("partial"), two former units of the same
name, or a name that is both a current and a former unit give `ask` with the
candidates and a sentence saying why. Nothing is guessed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.catalog.folding import fold
from desktop.dossier import address_messages as m
from desktop.dossier.address_parse import DISTRICT_PREFIXES, Parts, parse
from desktop.dossier.address_search import search_communes
from desktop.dossier.addresses import (
    ProvinceMatch,
    commune_key,
    communes_by_key,
    old_units_by_key,
    resolve_province,
    strip_prefix,
)
from desktop.dossier.admin_units import Commune, OldUnit, units
from desktop.errors import render

EXACT, ASK, UNKNOWN = "exact", "ask", "unknown"
SUGGESTIONS = 8


@dataclass(frozen=True)
class Resolution:
    """The answer: `status` exact/ask/unknown, the unit (exact) or `candidates` (ask)."""

    status: str
    text: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    province: ProvinceMatch | None = None
    commune: Commune | None = None
    candidates: tuple[Commune, ...] = ()
    old: tuple[OldUnit, ...] = ()
    detail: str = ""

    def message(self, language: str | None = None) -> str:
        return render(self.reason, self.params, language)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "text": self.text,
            "reason": self.reason,
            "message": self.message(),
            "province": None if self.province is None else _province_dict(self.province),
            "commune": None if self.commune is None else commune_dict(self.commune),
            "candidates": [commune_dict(c) for c in self.candidates],
            "old": [
                {"code": u.code, "name": u.full_name, "new_codes": list(u.new_codes)}
                for u in self.old
            ],
            "detail": self.detail,
        }


def commune_dict(commune: Commune) -> dict[str, str]:
    province = units().province(commune.province_code)
    return {
        "code": commune.code,
        "kind": commune.kind,
        "name": commune.full_name,
        "province_code": commune.province_code,
        "province": "" if province is None else province.name,
    }


def _province_dict(match: ProvinceMatch) -> dict[str, str | None]:
    return {"code": match.code, "name": match.name, "former": match.former}


def resolve(text: str) -> Resolution:
    """The commune in force for an address as typed (see the module docstring)."""
    parts = parse(text)
    if not parts.communes:
        island = _island_district(parts)
        if island is not None:
            return island
        return Resolution(UNKNOWN, text, m.NO_COMMUNE, {"text": text}, parts.province)
    old = bool(parts.district)
    answers = [
        resolve_parts(parts.province, name, text=text, detail=parts.detail, old=old)
        for name in parts.communes
    ]
    known = [a for a in answers if a.status != UNKNOWN]
    if len(answers) == 1 or not known:
        return answers[0]
    if len(known) == 1:
        if known[0] is answers[0]:  # the nearer part is the commune: the other is detail
            detail = ", ".join(p for p in (parts.detail, parts.communes[1]) if p)
            return replace(known[0], detail=detail)
        return known[0]
    codes = {c.code for a in known for c in (a.candidates or (a.commune,)) if c is not None}
    params = {"first": parts.communes[1], "second": parts.communes[0]}
    return Resolution(
        ASK, text, m.WHICH_PART, params, parts.province, None, _ordered(codes), (), parts.detail
    )


def resolve_parts(
    province: ProvinceMatch | None,
    commune: str,
    *,
    text: str = "",
    detail: str = "",
    old: bool = False,
) -> Resolution:
    """The commune in force for a commune name within a province (current or former).

    `old` says the address was written before the reform (it names a district), so a
    former unit of that name is preferred to a current one.
    """
    text = text or ", ".join(p for p in (commune, province.name if province else "") if p)
    kind, name_key = commune_key(commune)
    params: dict[str, Any]
    if province is None:
        return _without_province(text, commune, kind, name_key, detail)
    current = _spelling_filter(
        _kind_filter(communes_by_key(province.code).get(name_key, ()), kind), commune
    )
    former = _spelling_filter(
        _kind_filter(_former_named(province, name_key, only_named=old), kind), commune
    )
    prefer_old = old or province.former is not None or kind == "Thị trấn"
    if former and (prefer_old or not current):
        return _from_former(former, province, text=text, detail=detail)
    if current and former:
        targets = {code for u in former for code in u.new_codes}
        if targets != {c.code for c in current}:
            candidates = _ordered({c.code for c in current} | targets)
            params = {"name": commune, "province": province.name}
            return Resolution(
                ASK, text, m.OLD_OR_NEW, params, province, None, candidates, former, detail
            )
    if current:
        if len(current) == 1:
            params = {"commune": current[0].full_name, "province": province.name}
            return Resolution(EXACT, text, m.SAME, params, province, current[0], detail=detail)
        params = {"name": commune, "province": province.name, "count": len(current)}
        return Resolution(
            ASK, text, m.SAME_NAME_NOW, params, province, None, current, detail=detail
        )
    suggestions = tuple(search_communes(commune, province.code, limit=SUGGESTIONS))
    params = {"name": commune, "province": province.name}
    return Resolution(
        UNKNOWN, text, m.COMMUNE_UNKNOWN, params, province, None, suggestions, detail=detail
    )


def _former_codes(province: ProvinceMatch) -> tuple[list[str], list[str]]:
    """The former provinces an address's province can mean: first those it names (the
    old province typed, or the one of the same name), then every one merged into it."""
    if province.former_code:
        return [province.former_code], []
    merged = [p.code for p in units().old_provinces_of(province.code)]
    namesake = [
        p.code
        for p in units().old_provinces
        if p.code in merged and resolve_province(p.name) == province
    ]
    return namesake, [code for code in merged if code not in namesake]


def _former_named(
    province: ProvinceMatch, name_key: str, *, only_named: bool = False
) -> tuple[OldUnit, ...]:
    """Former units of that name in the province named (the old province typed, or the
    one of the same name) and in the others merged into it.

    An old address (`only_named`) named its own province: a unit elsewhere would be a
    guess. Otherwise the units of the other merged provinces count too, so that "Xã Tân
    Lập, Phú Thọ" asks rather than picking the former Phú Thọ's one silently.
    """
    named, merged = _former_codes(province)
    found = tuple(u for code in named for u in old_units_by_key(code).get(name_key, ()))
    if only_named:
        return found
    return found + tuple(u for code in merged for u in old_units_by_key(code).get(name_key, ()))


def _kind_filter(found: tuple[Any, ...], kind: str | None) -> tuple[Any, ...]:
    """Units of the kind written, when the kind tells same-named units apart."""
    if kind is None or len(found) < 2:
        return found
    same_kind = tuple(u for u in found if u.kind == kind)
    return same_kind or found


def _spelling_filter(found: tuple[Any, ...], typed: str) -> tuple[Any, ...]:
    """Units whose name is spelt exactly as typed (diacritics count), when that tells
    apart units the key confuses ("Văn Lang" and "Văn Lăng")."""
    if len(found) < 2:
        return found
    wanted = unicodedata.normalize("NFC", typed).strip().casefold()
    exact = tuple(
        u
        for u in found
        if wanted in (unicodedata.normalize("NFC", n).casefold() for n in (u.name, u.full_name))
    )
    return exact or found


def _ordered(codes: set[str]) -> tuple[Commune, ...]:
    table = units()
    return tuple(c for code in sorted(codes) if (c := table.commune(code)) is not None)


def _from_former(
    former: tuple[OldUnit, ...],
    province: ProvinceMatch,
    *,
    text: str,
    detail: str,
) -> Resolution:
    table = units()
    old_province_name = " / ".join(
        dict.fromkeys(p.full_name for u in former if (p := table.old_province(u.old_province_code)))
    )
    targets = _ordered({code for u in former for code in u.new_codes})
    params: dict[str, Any]
    if len(targets) == 1:
        (target,) = targets
        params = {
            "old": former[0].full_name,
            "old_province": old_province_name,
            "commune": target.full_name,
            "province": province.name,
        }
        return Resolution(EXACT, text, m.MERGED, params, province, target, (), former, detail)
    if len(former) == 1:
        params = {
            "old": former[0].full_name,
            "old_province": old_province_name,
            "count": len(targets),
            "names": ", ".join(c.full_name for c in targets),
        }
        return Resolution(ASK, text, m.SPLIT, params, province, None, targets, former, detail)
    params = {
        "old_province": old_province_name,
        "count": len(former),
        "name": former[0].full_name,
        "codes": ", ".join(u.code for u in former),
    }
    return Resolution(ASK, text, m.SAME_NAME, params, province, None, targets, former, detail)


def _without_province(
    text: str, commune: str, kind: str | None, name_key: str, detail: str
) -> Resolution:
    """No province written: offer every unit of that name, current or former; never pick."""
    table = units()
    codes: set[str] = set()
    for province in table.provinces:
        codes |= {
            c.code for c in _kind_filter(communes_by_key(province.code).get(name_key, ()), kind)
        }
    former: list[OldUnit] = []
    for old_province in table.old_provinces:
        found = _kind_filter(old_units_by_key(old_province.code).get(name_key, ()), kind)
        former += found
        codes |= {code for u in found for code in u.new_codes}
    params = {"text": text}
    return Resolution(
        ASK if codes else UNKNOWN,
        text,
        m.NO_PROVINCE,
        params,
        None,
        None,
        _ordered(codes),
        tuple(former),
        detail,
    )


def _island_district(parts: Parts) -> Resolution | None:
    """The five island districts had no communes and became special zones (Côn Đảo, ...)."""
    if parts.province is None or not parts.district:
        return None
    name_key = commune_key(strip_prefix(fold(parts.district), DISTRICT_PREFIXES)[1])[1]
    found = tuple(u for u in _former_named(parts.province, name_key) if u.kind == "Huyện")
    return (
        _from_former(found, parts.province, text=parts.district, detail=parts.detail)
        if found
        else None
    )
