"""Every rule of DOMAIN.md "Checks on applicant data", plus components and delivery.

`validate()` returns every problem at once, each with a stable code, the field path it
concerns (`applicant.id_number`, `components.TP2`, ...) and parameters. Errors block
"ready"; warnings are shown but never refuse (e.g. the old CCCD structure hint).
"""

from __future__ import annotations

import re
from datetime import date

from desktop.attachments import sniff
from desktop.catalog.model import ComponentSpec, Procedure
from desktop.dossier import normalise
from desktop.dossier.addresses import resolve_province
from desktop.dossier.model import (
    ORGANISATION,
    WARNING,
    Address,
    Attachment,
    Dossier,
    Party,
    Problem,
)
from desktop.errors import define

REQUIRED = define(
    "dossier.required",
    vi="Chưa nhập {label}. Hãy nhập {label} trước khi nộp.",
    en="{label_en} is missing. Fill it in before submitting.",
)
ID_FORMAT = define(
    "dossier.id_number_format",
    vi="Số định danh cá nhân (CCCD) «{value}» không hợp lệ: cần đúng 12 chữ số.",
    en="Personal ID number '{value}' is not valid: it must be exactly 12 digits.",
)
ID_PROVINCE_HINT = define(
    "dossier.id_number_province_hint",
    vi=(
        "Ba số đầu «{prefix}» của số CCCD {value} không phải mã tỉnh thường gặp. "
        "Hãy kiểm tra lại (đây chỉ là gợi ý, hồ sơ vẫn nộp được)."
    ),
    en="The first three digits '{prefix}' of ID {value} are not a usual province code (hint only).",
)
ID_BIRTH_HINT = define(
    "dossier.id_number_birth_hint",
    vi=(
        "Số CCCD {value} thường ứng với người sinh năm {id_year}, khác năm sinh đã nhập "
        "({year}). Hãy kiểm tra lại (đây chỉ là gợi ý)."
    ),
    en="ID {value} usually belongs to someone born in {id_year}, not {year} (hint only).",
)
ID_GENDER_HINT = define(
    "dossier.id_number_gender_hint",
    vi=(
        "Số CCCD {value} thường ứng với giới tính «{id_gender}», khác giới tính đã nhập "
        "(«{gender}»). Hãy kiểm tra lại (đây chỉ là gợi ý)."
    ),
    en="ID {value} usually belongs to gender '{id_gender}', not '{gender}' (hint only).",
)
PHONE_FORMAT = define(
    "dossier.phone_format",
    vi=(
        "Số điện thoại «{value}» không hợp lệ: cần số di động 10 chữ số bắt đầu bằng "
        "03, 05, 07, 08 hoặc 09 (có thể ghi +84…)."
    ),
    en="Phone '{value}' is not valid: a 10-digit mobile number starting 03/05/07/08/09 or +84.",
)
EMAIL_FORMAT = define(
    "dossier.email_format",
    vi="Địa chỉ thư điện tử «{value}» không hợp lệ (ví dụ đúng: ten@example.vn).",
    en="E-mail address '{value}' is not valid (e.g. name@example.vn).",
)
DATE_FORMAT = define(
    "dossier.date_format",
    vi="Ngày «{value}» không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1990.",
    en="Date '{value}' is not valid; write it as dd/mm/yyyy, e.g. 05/03/1990.",
)
DATE_FUTURE = define(
    "dossier.date_in_future",
    vi="Ngày sinh {value} nằm trong tương lai; hãy kiểm tra lại.",
    en="Date of birth {value} is in the future; check it.",
)
GENDER_UNKNOWN = define(
    "dossier.gender_unknown",
    vi="Giới tính «{value}» không hợp lệ; hãy ghi Nam, Nữ hoặc Khác.",
    en="Gender '{value}' is not valid; write Nam, Nữ or Khác.",
)
PROVINCE_UNKNOWN = define(
    "dossier.province_unknown",
    vi=(
        "Không có tỉnh, thành phố «{value}» trong 34 tỉnh, thành phố từ 01/7/2025. "
        "Hãy ghi đúng tên, ví dụ «Quảng Ngãi» hoặc «Hồ Chí Minh»."
    ),
    en="'{value}' is not one of the 34 provinces in force since 1 July 2025.",
)
PROVINCE_MERGED = define(
    "dossier.province_merged",
    vi="Tỉnh «{value}» đã hợp nhất vào tỉnh, thành phố «{new}» từ 01/7/2025; hãy ghi «{new}».",
    en="'{value}' merged into '{new}' on 1 July 2025; write '{new}'.",
)
TAX_CODE_FORMAT = define(
    "dossier.tax_code_format",
    vi="Mã số thuế «{value}» không hợp lệ: cần 10 chữ số, hoặc 10 chữ số, gạch ngang, 3 chữ số.",
    en="Tax code '{value}' is not valid: 10 digits, or 10 digits, a hyphen and 3 digits.",
)
COMPONENT_MISSING = define(
    "dossier.component_missing",
    vi=(
        "Chưa đính kèm thành phần bắt buộc «{name}» ({component}). "
        "Hãy đính kèm tệp quét của giấy tờ này."
    ),
    en="Required component '{name}' ({component}) has no file. Attach its scan.",
)
COMPONENT_CASE = define(
    "dossier.component_case",
    vi="Thành phần «{name}» ({component}) cần nộp trong trường hợp: {case}. Hãy kiểm tra.",
    en="Component '{name}' ({component}) is needed in this case: {case}. Check it.",
)
COMPONENT_UNKNOWN = define(
    "dossier.component_unknown",
    vi=(
        "Tệp «{file}» gắn vào thành phần {component}, nhưng thủ tục không còn thành phần này. "
        "Hãy gỡ tệp và đính kèm vào đúng thành phần."
    ),
    en="'{file}' is attached to component {component}, which the procedure no longer has.",
)
ATTACHMENT_TYPE = define(
    "dossier.attachment_type",
    vi="Tệp «{file}» của thành phần «{name}» là {kind}; thành phần này chỉ nhận {accepted}.",
    en="'{file}' of component '{name}' is {kind}; it only accepts {accepted}.",
)
ATTACHMENT_SIZE = define(
    "dossier.attachment_size",
    vi=(
        "Tệp «{file}» của thành phần «{name}» nặng {size_mb} MB, vượt giới hạn {limit_mb} MB. "
        "Hãy nén tệp bằng «dvc-desk intake compress» rồi đính kèm lại."
    ),
    en="'{file}' of '{name}' is {size_mb} MB, over the {limit_mb} MB limit; compress it.",
)
ATTACHMENT_ENCRYPTED = define(
    "dossier.attachment_encrypted",
    vi="Tệp «{file}» được đặt mật khẩu; cổng có thể không mở được. Nên gỡ mật khẩu trước khi nộp.",
    en="'{file}' is password-protected; the portal may not open it. Remove the password.",
)
ATTACHMENT_SIGNED = define(
    "dossier.attachment_signed",
    vi="Tệp «{file}» đã có {count} chữ ký số; khi ký lại, chữ ký cũ vẫn được giữ.",
    en="'{file}' already has {count} digital signature(s); signing again keeps them.",
)
COMPONENTS_UNKNOWN = define(
    "dossier.components_unknown",
    vi=(
        "Danh mục chưa có danh sách thành phần hồ sơ của thủ tục «{procedure}»; "
        "hãy đối chiếu với hướng dẫn của cơ quan tiếp nhận trước khi nộp."
    ),
    en="The catalog does not list the components of '{procedure}'; check the agency's guide.",
)
DELIVERY_ADDRESS = define(
    "dossier.delivery_address",
    vi="Đã chọn «{service}» nhưng địa chỉ còn thiếu: {missing}. Hãy nhập đủ địa chỉ.",
    en="'{service_en}' is chosen but its address lacks: {missing}.",
)

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
    if address.province.strip():
        match = resolve_province(address.province)
        if match is None:
            problems.append(
                Problem(PROVINCE_UNKNOWN, f"{field}.province", {"value": address.province})
            )
        elif match.former is not None:
            params = {"value": address.province, "new": match.name}
            problems.append(Problem(PROVINCE_MERGED, f"{field}.province", params, WARNING))
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
    problems = []
    for spec in procedure.components:
        field = f"components.{spec.code}"
        files = dossier.attachments_of(spec.code)
        params = {"component": spec.code, "name": spec.name}
        if not files and spec.required:
            if spec.case:
                problems.append(
                    Problem(COMPONENT_CASE, field, {**params, "case": spec.case}, WARNING)
                )
            else:
                problems.append(Problem(COMPONENT_MISSING, field, params))
        for attachment in files:
            problems += _attachment(spec, attachment, field, max_file_size)
    known = {spec.code for spec in procedure.components}
    for attachment in dossier.attachments:
        if attachment.component_code not in known:
            params = {"file": attachment.name, "component": attachment.component_code}
            problems.append(
                Problem(COMPONENT_UNKNOWN, f"components.{attachment.component_code}", params)
            )
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
            "accepted": ", ".join(sniff.label(t) for t in accepted),
        }
        problems.append(Problem(ATTACHMENT_TYPE, field, params))
    if size > limit:
        params = {**base, "size_mb": _mb(size), "limit_mb": _mb(limit)}
        problems.append(Problem(ATTACHMENT_SIZE, field, params))
    if facts.get("encrypted"):
        problems.append(Problem(ATTACHMENT_ENCRYPTED, field, base, WARNING))
    if facts.get("signed"):
        params = {**base, "count": facts.get("signatures", 1)}
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
