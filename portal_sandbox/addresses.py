"""The portal's check of the addresses in a dossier's form: codes exist and agree.

A real portal keeps its own list of administrative units; the sandbox uses the units
the app ships (desktop.dossier.admin_units), which are the official list of 1 July
2025. A name is compared without diacritics, case or its kind word, so "Quảng Ngãi"
and "Tỉnh Quảng Ngãi" both match province 51.
"""

from __future__ import annotations

from collections.abc import Iterator

from desktop.catalog.folding import fold
from desktop.dossier.admin_units import units
from desktop.portal.contract import DossierForm, FormAddress
from portal_sandbox.problems import ProblemError


def _addresses(form: DossierForm) -> Iterator[tuple[str, FormAddress]]:
    for key in ("applicant", "submitter"):
        party = getattr(form, key)
        if party is not None and party.address is not None:
            yield f"{key}.address", party.address
    if form.delivery is not None:
        for key in ("collect_address", "return_address"):
            address = getattr(form.delivery, key)
            if address is not None:
                yield f"delivery.{key}", address


def _same(name: str, *official: str) -> bool:
    return fold(name) in {fold(o) for o in official}


def address_problem(address: FormAddress) -> str | None:
    """Why the address does not agree with the unit list, or None when it does."""
    if not (address.province or address.commune or address.province_code):
        return None
    if address.needs_review:
        return "needs_review"
    if (address.province and not address.province_code) or (
        address.commune and not address.commune_code
    ):
        return "codes_missing"
    table = units()
    province = table.province(address.province_code)
    if province is None:
        return "unknown_province_code"
    if not _same(address.province, province.name, province.full_name):
        return "province_name_mismatch"
    if not address.commune_code:
        return None
    commune = table.commune(address.commune_code)
    if commune is None:
        return "unknown_commune_code"
    if commune.province_code != province.code:
        return "commune_not_in_province"
    if not _same(address.commune, commune.full_name):
        return "commune_name_mismatch"
    return None


def check_form_addresses(form: DossierForm) -> None:
    """422 `dossier.address_invalid` naming the first address that does not agree."""
    for field, address in _addresses(form):
        reason = address_problem(address)
        if reason is not None:
            raise ProblemError(
                422,
                "dossier.address_invalid",
                "An address does not match the administrative units of 1 July 2025",
                detail=f"{field}: {reason}",
                field=field,
                reason=reason,
                province_code=address.province_code,
                commune_code=address.commune_code,
            )
