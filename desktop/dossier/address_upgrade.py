"""Free-text addresses of dossiers saved before migration 0004 → names with unit codes.

Used by migration 0004 (desktop/storage/migrations/versions/0004_address_codes.py). An
address whose province and commune resolve to exactly one unit in force gets the
units' names and codes; one that does not (a split former commune, two units of the
same name, a name not found) keeps its text and is flagged `needs_review` ("địa chỉ
cần chọn lại"): validation then asks the clerk to choose, and nothing is guessed. The
text as it was is kept under `before_0004` so that nothing typed is lost and the
migration can be undone.
"""

from __future__ import annotations

import copy
from typing import Any

from desktop.dossier.address_resolve import EXACT, resolve_parts
from desktop.dossier.addresses import resolve_province

BEFORE = "before_0004"
ADDRESS_KEYS = (("applicant", "address"), ("submitter", "address"))
DELIVERY_KEYS = ("collect_address", "return_address")


def upgrade_address(address: dict[str, Any]) -> dict[str, Any]:
    """The address with codes, or flagged; an empty or already coded one is unchanged."""
    province_text = str(address.get("province") or "").strip()
    commune_text = str(address.get("commune") or "").strip()
    if address.get("province_code") or not (province_text or commune_text):
        return address
    result = copy.deepcopy(address)
    result[BEFORE] = {"province": province_text, "commune": commune_text}
    province = resolve_province(province_text) if province_text else None
    if province is not None:
        result["province"], result["province_code"] = province.name, province.code
    if not commune_text:
        if province_text and province is None:
            result["needs_review"] = True
        return result
    answer = resolve_parts(province, commune_text) if province is not None else None
    if answer is not None and answer.status == EXACT and answer.commune is not None:
        result["commune"], result["commune_code"] = answer.commune.full_name, answer.commune.code
    else:
        result["needs_review"] = True
    return result


def downgrade_address(address: dict[str, Any]) -> dict[str, Any]:
    """The address as it was before 0004 (its text back, codes and flag removed)."""
    result = {
        k: v
        for k, v in address.items()
        if k not in ("province_code", "commune_code", "needs_review", BEFORE)
    }
    before = address.get(BEFORE)
    if isinstance(before, dict):
        result.update(before)
    return result


def upgrade_parties_and_delivery(
    applicant: Any, submitter: Any, delivery: Any, *, down: bool = False
) -> tuple[Any, Any, Any]:
    """Every address of one dossier's JSON columns, upgraded (or downgraded)."""
    change = downgrade_address if down else upgrade_address

    def party(data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("address"), dict):
            return {**data, "address": change(data["address"])}
        return data

    if isinstance(delivery, dict):
        delivery = {
            k: change(v) if k in DELIVERY_KEYS and isinstance(v, dict) else v
            for k, v in delivery.items()
        }
    return party(applicant), party(submitter), delivery
