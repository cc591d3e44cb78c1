"""Type-ahead over the 3,321 communes in force: "cam thanh" → Phường Cẩm Thành.

Each keystroke of the commune box calls `search_communes`; it must stay well under the
2 ms a clerk could notice (bench/bench_addresses.py measures it over all communes). The
folded names are computed once; a query is folded the same way (catalog folding), its
kind word ("xã", "p.") dropped, and matched by substring: the longest word first with
a list comprehension over plain strings, the other words only on what is left.
"""

from __future__ import annotations

from functools import cache

from desktop.catalog.folding import fold
from desktop.dossier.addresses import (
    COMMUNE_PREFIXES,
    PROVINCE_ALIASES,
    resolve_province,
    strip_prefix,
)
from desktop.dossier.admin_units import Commune, OldUnit, Province, units

LIMIT = 20


@cache
def _index() -> tuple[tuple[Commune, ...], tuple[str, ...], dict[str, tuple[int, ...]]]:
    communes = units().communes
    names = tuple(" " + fold(c.name) for c in communes)  # leading space: word starts
    by_province: dict[str, list[int]] = {}
    for i, commune in enumerate(communes):
        by_province.setdefault(commune.province_code, []).append(i)
    return communes, names, {code: tuple(ids) for code, ids in by_province.items()}


def search_communes(
    text: str, province_code: str | None = None, *, limit: int = LIMIT
) -> list[Commune]:
    """Communes whose name holds every word typed, best first; within a province if given.

    Order: the name typed exactly, then names starting with it, then names with a word
    starting with it, then any other match; ties by name.
    """
    communes, names, by_province = _index()
    prefix, query = strip_prefix(fold(text), tuple(COMMUNE_PREFIXES))
    kind = COMMUNE_PREFIXES.get(prefix)
    words = query.split()
    if not words:
        ids = by_province.get(province_code, ()) if province_code else range(len(communes))
        return [communes[i] for i in ids][:limit]
    longest = max(words, key=len)
    if province_code:
        found = [i for i in by_province.get(province_code, ()) if longest in names[i]]
    else:
        found = [i for i, name in enumerate(names) if longest in name]
    rest = [w for w in words if w is not longest]
    if rest:
        found = [i for i in found if all(w in names[i] for w in rest)]
    if kind is not None:
        found = [i for i in found if communes[i].kind == kind] or found
    whole = " " + query
    word = " " + words[0]
    # Best tiers first, each sorted by name, stopping once `limit` are in hand: sorting
    # every match of a one-letter query would cost more than the 2 ms budget.
    starts = [names[i].startswith(whole) for i in found]

    def tier(rank: int) -> list[int]:
        pairs = zip(found, starts, strict=True)
        if rank == 0:
            return [i for i in found if names[i] == whole]
        if rank == 1:
            return [i for i, start in pairs if start and names[i] != whole]
        if rank == 2:
            return [i for i, start in pairs if not start and word in names[i]]
        return [i for i, start in pairs if not start and word not in names[i]]

    ordered: list[int] = []
    for rank in range(4):
        ordered += sorted(tier(rank), key=names.__getitem__)
        if len(ordered) >= limit:
            break
    return [communes[i] for i in ordered[:limit]]


@cache
def _former_index() -> tuple[tuple[OldUnit, ...], tuple[str, ...]]:
    former = units().old_units
    return former, tuple(" " + fold(u.name) for u in former)


def search_former(
    text: str, province_code: str | None = None, *, limit: int = LIMIT
) -> list[OldUnit]:
    """Former communes (before 1 July 2025) whose name holds every word typed; only
    those now in a province in force when `province_code` is given."""
    former, names = _former_index()
    query = strip_prefix(fold(text), tuple(COMMUNE_PREFIXES))[1]
    words = query.split()
    if not words:
        return []
    longest = max(words, key=len)
    if province_code:
        olds = {p.code for p in units().old_provinces_of(province_code)}
        ids = [i for i in _former_by_province(frozenset(olds)) if longest in names[i]]
    else:
        ids = [i for i, name in enumerate(names) if longest in name]
    found = [i for i in ids if all(w in names[i] for w in words)]
    whole = " " + query
    found.sort(key=lambda i: (names[i] != whole, not names[i].startswith(whole), names[i]))
    return [former[i] for i in found[:limit]]


@cache
def _former_by_province(old_province_codes: frozenset[str]) -> tuple[int, ...]:
    former = units().old_units
    return tuple(i for i, u in enumerate(former) if u.old_province_code in old_province_codes)


@cache
def _province_names() -> tuple[tuple[Province, tuple[str, ...]], ...]:
    """Each province in force with the folded names it answers to: its own, its former
    provinces', and the common spellings of addresses.PROVINCE_ALIASES."""
    table = units()
    aliases: dict[str, list[str]] = {}
    for alias, code in PROVINCE_ALIASES.items():
        old = table.old_province(code)
        if old is not None:
            aliases.setdefault(old.new_code, []).append(alias)
    return tuple(
        (
            province,
            tuple(
                fold(name)
                for name in (
                    province.full_name,
                    *(p.full_name for p in table.old_provinces_of(province.code)),
                    *aliases.get(province.code, ()),
                )
            ),
        )
        for province in table.provinces
    )


def search_provinces(text: str) -> list[Province]:
    """Provinces in force for `text`: the one it names exactly ("TP HCM", "Kon Tum")
    first, then those with a current, former or usual name holding every word typed."""
    words = fold(text).split()
    if not words:
        return []
    found: dict[str, Province] = {}
    exact = resolve_province(text)
    if exact is not None:
        province = units().province(exact.code)
        if province is not None:
            found[province.code] = province
    for province, names in _province_names():
        if any(all(w in name for w in words) for name in names):
            found.setdefault(province.code, province)
    return list(found.values())
