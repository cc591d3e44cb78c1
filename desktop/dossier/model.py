"""Frozen views of dossiers, as the repository hands them out (no ORM objects).

Dates are ISO strings (`YYYY-MM-DD`) once understood; a value the clerk typed that
could not be understood is kept as typed so nothing is lost, and validation names it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from desktop.errors import render

PERSON = "person"
ORGANISATION = "organisation"
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Address:
    """A post-2025 address: province (34 units), commune or ward, and the rest.

    Names are kept next to the official codes (province 2 digits, commune 5 digits,
    desktop.dossier.admin_units); a name without a code is one that did not match a
    unit in force. `needs_review` marks an address that migration 0004 could not match
    unambiguously ("địa chỉ cần chọn lại"); choosing the units again clears it.
    """

    province: str = ""
    commune: str = ""
    detail: str = ""
    province_code: str = ""
    commune_code: str = ""
    needs_review: bool = False

    @property
    def empty(self) -> bool:
        return not (self.province or self.commune or self.detail)

    def one_line(self) -> str:
        return ", ".join(part for part in (self.detail, self.commune, self.province) if part)


@dataclass(frozen=True)
class Party:
    """The applicant (chủ hồ sơ) or the submitter (người nộp): a person or an organisation.

    For an organisation, `name` is its name, `tax_code` is optional and
    `representative` is the person acting for it.
    """

    kind: str = PERSON
    name: str = ""
    id_number: str = ""
    date_of_birth: str = ""
    gender: str = ""
    phone: str = ""
    email: str = ""
    address: Address = dataclasses.field(default_factory=Address)
    tax_code: str = ""
    representative: str = ""


@dataclass(frozen=True)
class Delivery:
    """Optional services: collect the dossier at home, return the result by post."""

    collect_at_home: bool = False
    collect_address: Address = dataclasses.field(default_factory=Address)
    return_by_post: bool = False
    return_address: Address = dataclasses.field(default_factory=Address)


@dataclass(frozen=True)
class Attachment:
    """One file attached to a dossier component, stored as a blob."""

    id: int
    component_code: str
    sha256: str
    name: str
    size: int
    media_type: str
    facts: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class ComponentMark:
    """The clerk's word on a component whose need is unclear: "không áp dụng cho hồ
    sơ này" (NOT_APPLICABLE), by whom and when."""

    component_code: str
    mark: str
    marked_by: str
    marked_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class Dossier:
    id: int
    procedure_key: str
    state: str
    version: int
    supersedes_id: int | None
    uuid: str | None
    applicant: Party
    submitter: Party | None
    delivery: Delivery
    notes: str
    attachments: tuple[Attachment, ...]
    created_at: datetime
    updated_at: datetime
    receipt_no: str | None = None
    portal_state: int | None = None
    # The procedure edition the dossier was created under (None: the procedure had
    # none) and the case (trường hợp) chosen; marks on unclear components.
    procedure_edition: int | None = None
    case_code: str | None = None
    marks: tuple[ComponentMark, ...] = ()
    # The row version read (migration 0013): an edit passes it back so that a change
    # made meanwhile at another desk is refused, never silently overwritten.
    row_version: int = 1

    def attachments_of(self, component_code: str) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.component_code == component_code)

    def mark_of(self, component_code: str) -> ComponentMark | None:
        return next((m for m in self.marks if m.component_code == component_code), None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DossierRow:
    """One light row of the dossier list."""

    id: int
    procedure_key: str
    procedure_name: str
    applicant_name: str
    state: str
    updated_at: datetime
    file_count: int
    receipt_no: str | None = None
    portal_state: int | None = None  # the portal's 1-10 once submitted (5: supplement asked)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_state: str | None
    to_state: str
    note: str


@dataclass(frozen=True)
class Problem:
    """One validation finding: a stable code, the field path it concerns, parameters."""

    code: str
    field: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    severity: str = ERROR

    def message(self, language: str | None = None) -> str:
        return render(self.code, self.params, language)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "severity": self.severity,
            "params": self.params,
            "message": self.message(),
        }


def address_from(data: Any) -> Address:
    data = data if isinstance(data, dict) else {}
    return Address(
        province=str(data.get("province", "")),
        commune=str(data.get("commune", "")),
        detail=str(data.get("detail", "")),
        province_code=str(data.get("province_code", "")),
        commune_code=str(data.get("commune_code", "")),
        needs_review=bool(data.get("needs_review", False)),
    )


def party_from(data: Any) -> Party:
    """A Party from its stored JSON form (unknown keys ignored, missing ones empty)."""
    data = data if isinstance(data, dict) else {}

    def text(key: str) -> str:
        return str(data.get(key) or "")

    return Party(
        kind=text("kind") or PERSON,
        name=text("name"),
        id_number=text("id_number"),
        date_of_birth=text("date_of_birth"),
        gender=text("gender"),
        phone=text("phone"),
        email=text("email"),
        address=address_from(data.get("address")),
        tax_code=text("tax_code"),
        representative=text("representative"),
    )


def delivery_from(data: Any) -> Delivery:
    data = data if isinstance(data, dict) else {}
    return Delivery(
        collect_at_home=bool(data.get("collect_at_home", False)),
        collect_address=address_from(data.get("collect_address")),
        return_by_post=bool(data.get("return_by_post", False)),
        return_address=address_from(data.get("return_address")),
    )
