"""Every rule of DOMAIN.md "Checks on applicant data", plus components and delivery.

`validate()` returns every problem at once, each with a stable code, the field path it
concerns (`applicant.id_number`, `components.TP2`, ...) and parameters. Errors block
"ready"; warnings are shown but never refuse (e.g. the old CCCD structure hint).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from desktop.catalog.model import ComponentSpec, Procedure
from desktop.dossier import address_messages, checklist, normalise
from desktop.dossier.addresses import resolve_province
from desktop.dossier.admin_units import units
from desktop.dossier.messages import (
    ATTACHMENT_ENCRYPTED,
    ATTACHMENT_SIGNED,
    ATTACHMENT_SIZE,
    ATTACHMENT_TYPE,
    COMPONENTS_UNKNOWN,
    DATE_FORMAT,
    DATE_FUTURE,
    DELIVERY_ADDRESS,
    EMAIL_FORMAT,
    GENDER_UNKNOWN,
    ID_BIRTH_HINT,
    ID_FORMAT,
    ID_GENDER_HINT,
    ID_PROVINCE_HINT,
    PHONE_FORMAT,
    PROVINCE_MERGED,
    PROVINCE_UNKNOWN,
    REQUIRED,
    TAX_CODE_FORMAT,
)
from desktop.dossier.model import (
    ORGANISATION,
    WARNING,
    Address,
    Attachment,
    Dossier,
    Party,
    Problem,
)
from desktop.filecheck import sniff
from desktop.filecheck.decide import findings
from desktop.filecheck.pdf import PdfVerdict

LABELS = {
    "name": ("họ và tên", "Name"),
    "org_name": ("tên tổ chức", "Organisation name"),
    "id_number": ("số định danh cá nhân (CCCD)", "Personal ID number"),
    "phone": ("số điện thoại", "Phone"),
    "representative": ("người đại diện của tổ chức", "Representative"),
    "province": ("tỉnh, thành phố", "Province"),
    "commune": ("xã, phường, đặc khu", "Commune"),
    "detail": ("số nhà, đường, thôn, xóm", "Street address"),
}
ADDRESS_LABELS = {k: LABELS[k][0] for k in ("province", "commune", "detail")}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
# Province codes of the CCCD's first three digits (before the 2025 merger).
_ID_PROVINCES = frozenset(
    re.findall(
        r"\d{3}",
        "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
        "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
        "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096 ",
    )
)
# The CCCD's fourth digit: century of birth and gender (Thông tư 59/2021/TT-BCA).
_CENTURIES = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 1800}


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _required(field: str, label_key: str) -> Problem:
    vi, en = LABELS[label_key]
    return Problem(REQUIRED, field, {"label": vi, "label_en": en})


def validate(
    dossier: Dossier, procedure: Procedure, *, max_file_size: int, today: date
) -> list[Problem]:
    """Every problem of `dossier` against its `procedure`, errors and warnings alike."""
    problems = _party(dossier.applicant, "applicant", today)
    if dossier.submitter is not None:
        problems += _party(dossier.submitter, "submitter", today)
    problems += _components(dossier, procedure, max_file_size)
    problems += _delivery(dossier)
    return problems


def _party(party: Party, prefix: str, today: date) -> list[Problem]:
    problems = _identity(party, prefix)
    if party.id_number:
        problems += _id_number(party, f"{prefix}.id_number")
    if not party.phone:
        problems.append(_required(f"{prefix}.phone", "phone"))
    elif not normalise.MOBILE.match(normalise.phone(party.phone)):
        problems.append(Problem(PHONE_FORMAT, f"{prefix}.phone", {"value": party.phone}))
    if party.email and not _EMAIL.match(party.email):
        problems.append(Problem(EMAIL_FORMAT, f"{prefix}.email", {"value": party.email}))
    if party.date_of_birth:
        problems += _birth_date(party.date_of_birth, f"{prefix}.date_of_birth", today)
    if party.gender and party.gender not in ("Nam", "Nữ", "Khác"):
        problems.append(Problem(GENDER_UNKNOWN, f"{prefix}.gender", {"value": party.gender}))
    problems += _address(party.address, f"{prefix}.address", required=True)
    return problems


def _identity(party: Party, prefix: str) -> list[Problem]:
    """Name and ID: a person needs a CCCD; an organisation a representative."""
    problems: list[Problem] = []
    if party.kind == ORGANISATION:
        if not party.name.strip():
            problems.append(_required(f"{prefix}.name", "org_name"))
        if not party.representative.strip():
            problems.append(_required(f"{prefix}.representative", "representative"))
        if party.tax_code and not _TAX_CODE.match(party.tax_code):
            params = {"value": party.tax_code}
            problems.append(Problem(TAX_CODE_FORMAT, f"{prefix}.tax_code", params))
        return problems
    if not party.name.strip():
        problems.append(_required(f"{prefix}.name", "name"))
    if not party.id_number:
        problems.append(_required(f"{prefix}.id_number", "id_number"))
    return problems


def _id_number(party: Party, field: str) -> list[Problem]:
    value = party.id_number
    if not (len(value) == 12 and value.isascii() and value.isdigit()):
        return [Problem(ID_FORMAT, field, {"value": value})]
    hints: list[Problem] = []
    if value[:3] not in _ID_PROVINCES:
        hints.append(
            Problem(ID_PROVINCE_HINT, field, {"value": value, "prefix": value[:3]}, WARNING)
        )
    marker = int(value[3])
    century = _CENTURIES[marker - marker % 2]
    id_year = century + int(value[4:6])
    born = normalise.parse_date(party.date_of_birth) if party.date_of_birth else None
    if born is not None and born.year != id_year:
        params = {"value": value, "id_year": id_year, "year": born.year}
        hints.append(Problem(ID_BIRTH_HINT, field, params, WARNING))
    id_gender = "Nam" if marker % 2 == 0 else "Nữ"
    if party.gender in ("Nam", "Nữ") and party.gender != id_gender:
        params = {"value": value, "id_gender": id_gender, "gender": party.gender}
        hints.append(Problem(ID_GENDER_HINT, field, params, WARNING))
    return hints


def _birth_date(text: str, field: str, today: date) -> list[Problem]:
    parsed = normalise.parse_date(text)
    if parsed is None or parsed.year < 1900:
        return [Problem(DATE_FORMAT, field, {"value": text})]
    if parsed > today:
        return [Problem(DATE_FUTURE, field, {"value": parsed.strftime("%d/%m/%Y")})]
    return []


def _address(address: Address, field: str, *, required: bool) -> list[Problem]:
    problems: list[Problem] = []
    if required:
        if not address.province.strip():
            problems.append(_required(f"{field}.province", "province"))
        if not address.commune.strip():
            problems.append(_required(f"{field}.commune", "commune"))
    if address.needs_review:
        params = {"text": address.one_line()}
        return [*problems, Problem(address_messages.NEEDS_REVIEW, f"{field}.commune", params)]
    return problems + _address_units(address, field)


def _address_units(address: Address, field: str) -> list[Problem]:
    """The codes name units in force, and the commune lies in the province."""
    table = units()
    province = table.province(address.province_code) if address.province_code else None
    if address.province_code and province is None:
        params = {"value": address.province_code}
        return [Problem(address_messages.UNKNOWN_CODE, f"{field}.province", params)]
    problems: list[Problem] = []
    if province is None and address.province.strip():
        match = resolve_province(address.province)
        if match is None:
            params = {"value": address.province}
            return [Problem(PROVINCE_UNKNOWN, f"{field}.province", params)]
        if match.former is not None:
            params = {"value": address.province, "new": match.name}
            problems.append(Problem(PROVINCE_MERGED, f"{field}.province", params, WARNING))
    if not address.commune.strip():
        return problems
    commune = table.commune(address.commune_code) if address.commune_code else None
    if address.commune_code and commune is None:
        params = {"value": address.commune_code}
        problems.append(Problem(address_messages.UNKNOWN_CODE, f"{field}.commune", params))
    elif commune is None:
        params = {"text": address.one_line()}
        problems.append(Problem(address_messages.NEEDS_REVIEW, f"{field}.commune", params))
    elif province is not None and commune.province_code != province.code:
        params = {"commune": commune.full_name, "code": commune.code, "province": province.name}
        problems.append(Problem(address_messages.NOT_IN_PROVINCE, f"{field}.commune", params))
    return problems


def _components(dossier: Dossier, procedure: Procedure, max_file_size: int) -> list[Problem]:
    if not procedure.components_known:
        # Files go to components the clerk names; only their type and size can be checked.
        problems = [
            Problem(COMPONENTS_UNKNOWN, "components", {"procedure": procedure.name}, WARNING)
        ]
        for attachment in dossier.attachments:
            spec = free_component(attachment.component_code)
            field = f"components.{attachment.component_code}"
            problems += _attachment(spec, attachment, field, max_file_size)
        return problems
    # Presence (cases, required, "cần kiểm tra", marks) is the checklist's rule.
    problems = checklist.problems(dossier, procedure)
    for attachment in dossier.attachments:
        described = procedure.component(attachment.component_code)
        if described is not None:
            field = f"components.{described.code}"
            problems += _attachment(described, attachment, field, max_file_size)
    return problems


def free_component(code: str) -> ComponentSpec:
    """A component the catalog does not describe (its procedure's list is unknown)."""
    return ComponentSpec(code=code, name=code, required=None)


def component_limits(spec: ComponentSpec, max_file_size: int) -> tuple[tuple[str, ...], int]:
    """The accepted media types and the size limit of a component (its own or the portal's)."""
    accepted = spec.accepted_types or sniff.ACCEPTED_DEFAULT
    limit = min(spec.max_size, max_file_size) if spec.max_size else max_file_size
    return accepted, limit


def _attachment(
    spec: ComponentSpec, attachment: Attachment, field: str, max_file_size: int
) -> list[Problem]:
    problems: list[Problem] = []
    accepted, limit = component_limits(spec, max_file_size)
    name, media_type, size, facts = (
        attachment.name,
        attachment.media_type,
        attachment.size,
        attachment.facts,
    )
    base = {"file": name, "name": spec.name, "component": spec.code}
    if media_type not in accepted:
        params = {
            **base,
            "kind": sniff.label(media_type),
            "kind_en": sniff.label(media_type, "en"),
            "accepted": ", ".join(sniff.label(t) for t in accepted),
            "accepted_en": ", ".join(sniff.label(t, "en") for t in accepted),
        }
        problems.append(Problem(ATTACHMENT_TYPE, field, params))
    if size > limit:
        params = {**base, "size_mb": _mb(size), "limit_mb": _mb(limit)}
        problems.append(Problem(ATTACHMENT_SIZE, field, params))
    verdict = facts.get("pdf")
    if media_type == sniff.PDF and isinstance(verdict, dict):
        return problems + _pdf_verdict(PdfVerdict.from_facts(verdict), base, field)
    # A file stored before the verdict existed: what its old facts say.
    if facts.get("encrypted"):
        problems.append(Problem(ATTACHMENT_ENCRYPTED, field, base, WARNING))
    if facts.get("signed"):
        params = {**base, "count": facts.get("signatures", 1)}
        problems.append(Problem(ATTACHMENT_SIGNED, field, params, WARNING))
    return problems


def attachment_problems(attachment: Attachment) -> list[Problem]:
    """What the PDF verdict stored with `attachment` says (as `validate` says it), for
    telling the clerk at attach time."""
    verdict = attachment.facts.get("pdf")
    if attachment.media_type != sniff.PDF or not isinstance(verdict, dict):
        return []
    code = attachment.component_code
    base = {"file": attachment.name, "name": code, "component": code}
    return _pdf_verdict(PdfVerdict.from_facts(verdict), base, f"components.{code}")


def _pdf_verdict(verdict: PdfVerdict, base: dict[str, Any], field: str) -> list[Problem]:
    """What `sign` would refuse is an error here, worded as sign words it (one verdict)."""
    found = findings(verdict)
    problems = [Problem(f.code, field, {**base, **f.params, "name": base["file"]}) for f in found]
    if verdict.signed and not found:
        params = {**base, "count": len(verdict.signatures)}
        problems.append(Problem(ATTACHMENT_SIGNED, field, params, WARNING))
    return problems


def _delivery(dossier: Dossier) -> list[Problem]:
    problems: list[Problem] = []
    options = (
        (
            dossier.delivery.collect_at_home,
            dossier.delivery.collect_address,
            "collect_address",
            "Thu gom hồ sơ tại nhà",
            "Collect the dossier at home",
        ),
        (
            dossier.delivery.return_by_post,
            dossier.delivery.return_address,
            "return_address",
            "Trả kết quả qua bưu điện",
            "Return the result by post",
        ),
    )
    for chosen, address, key, service, service_en in options:
        if not chosen:
            continue
        field = f"delivery.{key}"
        missing = [
            label for part, label in ADDRESS_LABELS.items() if not getattr(address, part).strip()
        ]
        if missing:
            params = {"service": service, "service_en": service_en, "missing": ", ".join(missing)}
            problems.append(Problem(DELIVERY_ADDRESS, field, params))
        problems += _address(address, field, required=False)
    return problems
