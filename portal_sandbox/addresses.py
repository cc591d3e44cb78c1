"""The portal's check of the addresses in a dossier's form: codes exist and agree.

A real portal keeps its own list of administrative units; the sandbox reads its own
from the official list of 1 July 2025 that ships in resources/addresses/ (the app reads
the same file through desktop.dossier.admin_units; the sandbox imports nothing of the
app but the portal contract). A name is compared without diacritics, case or its kind
word, so "Quảng Ngãi" and "Tỉnh Quảng Ngãi" both match province 51.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from desktop.portal.contract import DossierForm, FormAddress
from portal_sandbox.problems import ProblemError

# Where a frozen app keeps resources/ (the same variable the app reads).
ENV_RESOURCES = "DVC_DESK_RESOURCES"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Unit:
    """A province or a commune in force: code, kind word, name, province (communes)."""

    code: str
    kind: str
    name: str
    province_code: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class UnitList:
    provinces: dict[str, Unit]
    communes: dict[str, Unit]


@cache
def unit_list() -> UnitList:
    """The portal's list of units in force, read once."""
    override = os.environ.get(ENV_RESOURCES)
    root = Path(override) if override else Path(__file__).resolve().parents[1] / "resources"
    data = json.loads((root / "addresses" / "units-2025.json").read_text(encoding="utf-8"))
    provinces = (Unit(*map(str, row)) for row in data["provinces"])
    communes = (Unit(*map(str, row)) for row in data["communes"])
    return UnitList({u.code: u for u in provinces}, {u.code: u for u in communes})


def _plain(name: str) -> str:
    """`name` compared as a portal clerk reads it: no diacritics, case or punctuation."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


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
    return _plain(name) in {_plain(o) for o in official}


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
    table = unit_list()
    province = table.provinces.get(address.province_code)
    if province is None:
        return "unknown_province_code"
    if not _same(address.province, province.name, province.full_name):
        return "province_name_mismatch"
    if not address.commune_code:
        return None
    commune = table.communes.get(address.commune_code)
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
