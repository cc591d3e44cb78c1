"""How a typed address part is stored: the unit's name next to its official code.

`set_part(address, "commune", "cam thanh")` in a Quảng Ngãi address stores
`commune="Phường Cẩm Thành", commune_code="21025"`. A province or commune is
understood from its code, its current name, or a former name that leads to exactly one
unit in force (desktop.dossier.address_resolve); anything else is kept as typed without
a code, and validation asks the clerk to choose it ("địa chỉ cần chọn lại").
"""

from __future__ import annotations

from typing import Any

from desktop.dossier.address_resolve import EXACT, resolve_parts
from desktop.dossier.addresses import ProvinceMatch, find_commune, resolve_province
from desktop.dossier.admin_units import Commune, units

PARTS = ("province", "commune", "detail")


def set_part(address: dict[str, Any], part: str, text: str) -> None:
    """Store one typed part of `address` (a stored JSON dict, changed in place)."""
    text = text.strip()
    if part == "detail":
        address["detail"] = text
        return
    if part == "province":
        match = resolve_province(text) if text else None
        address["province"] = match.name if match else text
        address["province_code"] = match.code if match else ""
        commune = str(address.get("commune") or "")
        if commune:  # the commune's name is read again within the new province
            _set_commune(address, commune)
    else:
        _set_commune(address, text)
    if address.get("province_code") and address.get("commune_code"):
        address.pop("needs_review", None)


def _set_commune(address: dict[str, Any], text: str) -> None:
    found = find(str(address.get("province_code") or ""), text) if text else None
    if found is None:
        address["commune"], address["commune_code"] = text, ""
        return
    address["commune"], address["commune_code"] = found.full_name, found.code
    if not address.get("province_code"):
        province = units().province(found.province_code)
        assert province is not None
        address["province"], address["province_code"] = province.name, province.code


def find(province_code: str, text: str) -> Commune | None:
    """The unit in force that `text` names in the province (code, name, or former name)."""
    if not province_code:
        return units().commune(text) if text.isdigit() and len(text) == 5 else None
    found = find_commune(province_code, text)
    if found is not None or text.isdigit():
        return found
    province = units().province(province_code)
    assert province is not None
    answer = resolve_parts(ProvinceMatch(province.name, province.code), text)
    return answer.commune if answer.status == EXACT else None
