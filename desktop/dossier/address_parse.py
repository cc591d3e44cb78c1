"""Split an address as written into province, district, commune and the rest.

Papers write parts from the smallest to the largest, usually separated by commas:
"Thôn 5, xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum". Without commas, a new part starts at
each unit word ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "tỉnh",
"thành phố", "TP"). The province is the last part when it names one; a part written
with a commune word ("xã", "P.", "TT") is the commune; a part with a district word
("huyện", "Q.1") is the district, which no longer exists and is only a hint that the
address is an old one. When no part carries a commune word, the (at most two) parts
before the province are the candidates, nearest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.catalog.folding import fold
from desktop.dossier.addresses import ProvinceMatch, commune_key, resolve_province

DISTRICT_PREFIXES = ("huyen", "quan", "thi xa", "thanh pho", "tp", "tx", "h", "q")
_SEPARATORS = re.compile(r"[,;\n]+")
_GLUED = re.compile(r"^(q|h|tx|p|x|tt)(\d+)$")  # "q1" → "q 1", "p10" → "p 10"
_ONE_WORD_STARTS = frozenset({"xa", "phuong", "huyen", "quan", "tinh", "tp", "tx", "tt"})
_TWO_WORD_STARTS = frozenset({("thi", "tran"), ("thi", "xa"), ("thanh", "pho")})


@dataclass(frozen=True)
class Parts:
    province: ProvinceMatch | None
    communes: tuple[str, ...]  # the commune part, or up to two candidates (nearest first)
    district: str
    detail: str


def folded_part(text: str) -> str:
    """The folded part with glued abbreviations split ("Q.1" and "q1" → "q 1")."""
    return _GLUED.sub(r"\1 \2", fold(text))


def is_district(text: str) -> bool:
    folded = folded_part(text)
    return any(folded.startswith(prefix + " ") for prefix in DISTRICT_PREFIXES)


def split_parts(text: str) -> list[str]:
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) > 1:
        return parts
    words = text.split()
    folded = [fold(w) for w in words]
    out: list[list[str]] = [[]]
    for i, word in enumerate(words):
        pair = (folded[i], folded[i + 1] if i + 1 < len(folded) else "")
        after_thi = i > 0 and folded[i - 1] == "thi"
        starts = (folded[i] in _ONE_WORD_STARTS and not after_thi) or pair in _TWO_WORD_STARTS
        if starts and out[-1]:
            out.append([])
        out[-1].append(word)
    return [" ".join(part) for part in out if part]


def parse(text: str) -> Parts:
    parts = split_parts(text)
    province = resolve_province(parts[-1]) if parts else None
    if province is not None:
        parts.pop()
    explicit = [i for i, p in enumerate(parts) if commune_key(p)[0] is not None]
    districts = [i for i, p in enumerate(parts) if is_district(p)]
    district = parts[districts[-1]] if districts else ""
    if explicit:
        at = explicit[-1]
        return Parts(province, (parts[at],), district, ", ".join(parts[:at]))
    plain = [i for i in range(len(parts)) if i not in districts]
    if districts:  # the commune comes before the district
        plain = [i for i in plain if i < districts[0]]
    candidates = plain[-2:][::-1]
    first = min(candidates) if candidates else len(parts)
    detail = ", ".join(p for i, p in enumerate(parts) if i < first and i not in districts)
    return Parts(province, tuple(parts[i] for i in candidates), district, detail)
