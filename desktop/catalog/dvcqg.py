"""The national portal's own procedure record (CSDL quốc gia về TTHC, `--format dvcqg`)
→ dvc-desk's native procedure content (docs/catalog-format.md).

`check()` lists every problem of a record's shape at once (paths as in the record,
`executionMethods[2].processingTime`); `convert()` turns a record that passed into the
native content plus the agencies and the field it names. The field guide of the format
is shared/data/portal-procedures/README.md; what the conversion decides (cases, notes,
unknown "required") is in docs/catalog-format.md, "The portal's format".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from desktop.catalog.folding import fold
from desktop.catalog.model import TIME_WITHOUT_NUMBER
from desktop.catalog.problems import P_EMPTY, P_ENUM, P_MISSING, P_RANGE, P_TYPE, Problem

CHANNELS = {"DIRECT": "truc_tiep", "ONLINE": "truc_tuyen", "POSTAL": "buu_chinh"}
UNITS = {"WORKING_DAY": "working_day", "DAY": "day", "HOUR": "hour", "MONTH": "month"}
DAY_TYPES = {"working_day": "working", "day": "calendar"}
FEE_KINDS = {"FEE": "le_phi", "SERVICE_FEE": "phi"}
RETURNING = {
    "AT_HOME": "Trả kết quả tại nhà",
    "AT_SUBMISSION_PLACE": "Trả kết quả tại nơi nộp hồ sơ",
    "ONLINE": "Trả kết quả trực tuyến",
}
AGENCY_ROLES = {
    "Executing": "executing",
    "Authority": "authority",
    "Authorized": "authorized",
    "Coordinating": "coordinating",
}
UNCLASSIFIED_FIELD = {"code": "CHUA-PHAN-LOAI", "name": "Chưa phân loại"}
UNKNOWN_AGENCY = {"code": "CHUA-RO-CO-QUAN", "name": "Chưa rõ cơ quan thực hiện"}
# A "case" of executionCases that only introduces the common list or holds remarks.
_COMMON_CASE = re.compile(r"^\W*(thành phần hồ sơ|hồ sơ gồm|bao gồm|lưu ý|giấy tờ phải xuất trình)")
_BASE_CASE = re.compile(r"^\W*(thành phần hồ sơ|hồ sơ gồm)")
_NOTE_ROW = re.compile(r"^\W*(lưu ý|ghi chú)")
_OPTIONAL = re.compile(r"\(\s*nếu có\s*\)")
_NOT_CODE = re.compile(r"[^A-Za-z0-9._-]+")
BASE_ONLY_CASE = "TH0"


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean(text: Any) -> str:
    """NFC text with runs of spaces and tabs made one space, lines trimmed, empty lines
    dropped (names, component rows, fee and time notes)."""
    if not isinstance(text, str) or not text:
        return ""
    text = _nfc(text)
    if "\n" not in text and "\r" not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def long_text(text: Any) -> str:
    """A long text (steps, requirements, description) in NFC, as the portal wrote it
    otherwise: its spacing is tidied where it is shown, not on every import."""
    if not isinstance(text, str):
        return ""
    return _nfc(text).strip()


def one_line(text: Any) -> str:
    """NFC text on one line, single spaces."""
    if not isinstance(text, str) or not text:
        return ""
    return _one_line(text)


@lru_cache(maxsize=16384)
def _one_line(text: str) -> str:
    # Records repeat the same short texts (agencies, subject types, categories, legal
    # bases, currencies): an import of 10,000 cleans each once.
    return " ".join(_nfc(text).split())


def code_of(text: Any, fallback: str = "") -> str:
    """A code usable as a native code (letters, digits, `.`, `-`, `_`)."""
    code = _NOT_CODE.sub("-", str(text or "").strip()).strip("-._")
    return code[:64] or fallback


# --------------------------------------------------------------------------- checks


class _Checker:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(f"{self.prefix}{path}", code, params))

    def typed(
        self,
        data: dict[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        path: str,
        *,
        required: bool = False,
        expected: str,
    ) -> Any:
        if key not in data or data[key] is None:
            if required:
                self.add(f"{path}{key}", P_MISSING)
            return None
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.add(f"{path}{key}", P_TYPE, expected=expected)
            return None
        return value

    def items(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> list[Any]:
        value = self.typed(data, key, list, path, required=required, expected="danh sách")
        return value if isinstance(value, list) else []

    def objects(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for i, item in enumerate(self.items(data, key, path, required=required)):
            if isinstance(item, dict):
                out.append((f"{path}{key}[{i}].", item))
            else:
                self.add(f"{path}{key}[{i}]", P_TYPE, expected="đối tượng")
        return out


def check(record: Any, prefix: str = "") -> list[Problem]:
    """Every problem of one portal record's shape (nothing stops at the first)."""
    c = _Checker(prefix)
    if not isinstance(record, dict):
        c.add("$", P_TYPE, expected="đối tượng (một thủ tục của Cổng DVCQG)")
        return c.problems
    for key in ("code", "name"):
        value = c.typed(record, key, str, "", required=True, expected="chuỗi")
        if isinstance(value, str) and not value.strip():
            c.add(key, P_EMPTY)
    for key in ("isWard", "isProvince", "isMinistry", "isOfflineOnly", "isFullProcess"):
        c.typed(record, key, bool, "", expected="true/false")
    _check_methods(c, record)
    _check_cases(c, record)
    for key in (
        "legalBasisesDetails",
        "resultsDetails",
        "subjectTypesDetails",
        "categoriesDetails",
        "executionSteps",
        "returningMethods",
        "cases",
    ):
        c.objects(record, key, "")
    return c.problems


def _check_methods(c: _Checker, record: dict[str, Any]) -> None:
    for path, method in c.objects(record, "executionMethods", "", required=True):
        kind = method.get("submissionMethod")
        if kind not in CHANNELS:
            allowed = ", ".join(CHANNELS)
            c.add(f"{path}submissionMethod", P_ENUM, value=repr(kind), allowed=allowed)
        time = c.typed(method, "processingTime", (int, float), path, expected="số")
        if isinstance(time, int | float) and time < 0:
            c.add(f"{path}processingTime", P_RANGE, value=time, minimum=0)
        c.typed(method, "processingTimeUnit", str, path, expected="chuỗi")
        for fee_path, fee in c.objects(method, "fees", path):
            if fee.get("type") not in FEE_KINDS:
                allowed = ", ".join(FEE_KINDS)
                c.add(f"{fee_path}type", P_ENUM, value=repr(fee.get("type")), allowed=allowed)
            value = c.typed(fee, "value", (int, float), fee_path, expected="số")
            if isinstance(value, int | float) and value < 0:
                c.add(f"{fee_path}value", P_RANGE, value=value, minimum=0)


def _check_cases(c: _Checker, record: dict[str, Any]) -> None:
    for path, case in c.objects(record, "executionCases", "", required=True):
        for comp_path, comp in c.objects(case, "profileComponents", path):
            name = c.typed(comp, "name", str, comp_path, required=True, expected="chuỗi")
            if isinstance(name, str) and not name.strip():
                c.add(f"{comp_path}name", P_EMPTY)
            if not str(comp.get("code") or "").strip() and not comp.get("profileComponentId"):
                c.add(f"{comp_path}code", P_MISSING)
            for qty in ("originalQty", "copyQty"):
                value = c.typed(comp, qty, int, comp_path, expected="số nguyên")
                if isinstance(value, int) and value < 0:
                    c.add(f"{comp_path}{qty}", P_RANGE, value=value, minimum=0)


# ---------------------------------------------------------------------- conversion


@dataclass(frozen=True)
class Converted:
    """One record in the native format, with the agencies and the field it names."""

    content: dict[str, Any]
    agencies: list[dict[str, Any]]
    field: dict[str, Any]


def _time(value: Any, unit: Any, text: str) -> dict[str, Any]:
    mapped = UNITS.get(str(unit or ""))
    if mapped is None or not isinstance(value, int | float) or value <= 0:
        # OTHER (or a unit we do not know): the portal gives no real duration.
        return {"value": None, "unit": "text", "text": text or TIME_WITHOUT_NUMBER}
    number = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": mapped, "text": None}


def _fee(fee: dict[str, Any]) -> dict[str, Any]:
    value = fee.get("value")
    description = one_line(fee.get("description")) or None
    amount: int | None = int(value) if isinstance(value, int | float) else None
    if amount == 0 and description:
        # The portal writes 0 when the amount is in the text ("do HĐND tỉnh quyết định").
        amount = None
    return {
        "kind": FEE_KINDS.get(str(fee.get("type"))),
        "amount": amount,
        "currency": _currency(fee),
        "description": description,
    }


_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def _currency(fee: dict[str, Any]) -> str:
    """The fee's currency as an ISO 4217 code where one can be told, else its name.

    The portal's `currencyId` is an internal id (a UUID), not a code: the name says it
    ("Việt Nam Đồng"). A fee with neither is in đồng, as every domestic fee is."""
    name = one_line(fee.get("currencyName"))
    code = one_line(fee.get("currencyId")).upper()
    folded = fold(name)
    if code in ("VND", "VNĐ") or folded in ("viet nam dong", "dong", "vnd"):
        return "VND"
    if _CURRENCY_CODE.match(code):
        return code
    return name or "VND"


def _channels(record: dict[str, Any]) -> list[dict[str, Any]]:
    channels = []
    for method in record.get("executionMethods") or []:
        note = clean(method.get("description")) or None
        time = _time(method.get("processingTime"), method.get("processingTimeUnit"), note or "")
        fees = method.get("fees")
        channel: dict[str, Any] = {
            "kind": CHANNELS.get(str(method.get("submissionMethod"))),
            "processing_time": time,
            "note": note,
            # An empty list is not proof that the procedure is free: unknown.
            "fees": [_fee(f) for f in fees] if fees else None,
        }
        if time["unit"] in DAY_TYPES:
            channel["processing_days"] = int(time["value"])
            channel["day_type"] = DAY_TYPES[time["unit"]]
        channels.append(channel)
    return channels


def _components(
    record: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(components, cases, notes): components once each by code; real cases (two or
    more) with their own codes; pseudo-cases ("Thành phần hồ sơ:", "*Lưu ý:") common."""
    components: dict[str, dict[str, Any]] = {}
    common: list[str] = []
    real: list[tuple[str, list[str]]] = []
    has_base = False
    for case in record.get("executionCases") or []:
        case_name = one_line(case.get("name"))
        folded = case_name.lower()
        is_common = not case_name or bool(_COMMON_CASE.match(folded))
        has_base = has_base or bool(_BASE_CASE.match(folded))
        codes: list[str] = []
        for comp in case.get("profileComponents") or []:
            code = code_of(comp.get("code"), code_of(comp.get("profileComponentId"), "TP"))
            name = clean(comp.get("name"))
            originals, copies = comp.get("originalQty"), comp.get("copyQty")
            # A 0/0 row is a remark when it says so or sits under "*Lưu ý:"/"Bao gồm";
            # elsewhere 0/0 is also seen on real forms (3.000272), which stay documents.
            note_row = (originals == 0 and copies == 0) and (
                bool(_NOTE_ROW.match(name.lower()))
                or (bool(case_name) and is_common and not _BASE_CASE.match(folded))
            )
            if code not in components:
                components[code] = {
                    "code": code,
                    "name": name,
                    # The portal's `required` is false everywhere: it says nothing.
                    "required": False if note_row or _OPTIONAL.search(name.lower()) else None,
                    "originals": originals if isinstance(originals, int) else None,
                    "copies": copies if isinstance(copies, int) else None,
                    "kind": "note" if note_row else "document",
                    "templates": [
                        {"name": one_line(a.get("fileName")), "code": a.get("filePath")}
                        for a in comp.get("attachments") or []
                        if isinstance(a, dict) and a.get("fileName")
                    ],
                    "electronic_form": bool(comp.get("hasElectronicForm")),
                }
            if code not in codes:
                codes.append(code)
        if is_common:
            common += [c for c in codes if c not in common]
        else:
            real.append((case_name, codes))
    notes: list[str] = []
    cases: list[dict[str, Any]] = []
    if len(real) == 1:
        notes.append(f"Trường hợp áp dụng: {real[0][0]}")
        common += [c for c in real[0][1] if c not in common]
    elif real:
        if has_base:
            cases.append(
                {
                    "code": BASE_ONLY_CASE,
                    "name": "Không thuộc trường hợp nào dưới đây (chỉ thành phần hồ sơ chung)",
                    "components": [],
                }
            )
        for n, (name, codes) in enumerate(real, start=1):
            cases.append(
                {
                    "code": f"TH{n}",
                    "name": name,
                    "components": [c for c in codes if c not in common],
                }
            )
    return list(components.values()), cases, notes


def _named(items: Any) -> list[dict[str, Any]]:
    out = []
    for item in items or []:
        name = one_line(item.get("name")) if isinstance(item, dict) else ""
        if name:
            out.append({"code": one_line(item.get("code")) or None, "name": name})
    return out


def _agencies(record: dict[str, Any]) -> list[dict[str, Any]]:
    involved = []
    for suffix, role in AGENCY_ROLES.items():
        for item in record.get(f"departments{suffix}") or []:
            name = one_line(item.get("name")) if isinstance(item, dict) else ""
            if name:
                code = code_of(item.get("code")) or code_of(item.get("id")) or None
                involved.append({"role": role, "code": code, "name": name})
        for item in record.get(f"unitGroups{suffix}") or []:
            name = one_line(item.get("name")) if isinstance(item, dict) else ""
            if name:
                code = code_of(item.get("id")) or None
                involved.append({"role": role, "code": code, "name": name})
    promulgating = one_line(record.get("departmentPromulgateName"))
    if promulgating:
        code = code_of(record.get("departmentPromulgateCode")) or None
        involved.append({"role": "promulgating", "code": code, "name": promulgating})
    return involved


def convert(record: dict[str, Any]) -> Converted:
    """The native content of a record that passed `check()`."""
    code = one_line(record["code"])
    components, cases, notes = _components(record)
    involved = _agencies(record)
    executing = [a for a in involved if a["role"] == "executing" and a["code"]]
    main = executing[0] if executing else next((a for a in involved if a["code"]), None)
    agency = {"code": main["code"], "name": main["name"]} if main else dict(UNKNOWN_AGENCY)
    agencies = [agency]
    categories = _named(record.get("categoriesDetails"))
    field = next(
        ({"code": code_of(c["code"]), "name": c["name"]} for c in categories if c["code"]),
        dict(UNCLASSIFIED_FIELD),
    )
    levels = [
        level
        for level, flag in (("bo", "isMinistry"), ("tinh", "isProvince"), ("xa", "isWard"))
        if record.get(flag)
    ]
    channels = _channels(record)
    online = any(c["kind"] == "truc_tuyen" for c in channels)
    conditions = long_text(record.get("requirementsAndConditions")) or None
    description = long_text(record.get("description")) or None
    proposal = record.get("procedureProposal")
    if isinstance(proposal, dict) and one_line(proposal.get("proposalNumber")):
        notes.append(f"Quyết định công bố: {one_line(proposal['proposalNumber'])}")
    if one_line(record.get("note")):
        notes.append(long_text(record["note"]))
    keywords = [k for k in (one_line(w) for w in str(record.get("keywords") or "").split(",")) if k]
    returning = []
    for method in record.get("returningMethods") or []:
        values = method.get("value") if isinstance(method, dict) else None
        for value in values or []:
            label = RETURNING.get(str(value), str(value))
            if label not in returning:
                returning.append(label)
    content: dict[str, Any] = {
        "key": code_of(code),
        "code": code,
        "dvcqg_page_id": record.get("id") if isinstance(record.get("id"), str) else None,
        "name": one_line(record["name"]),
        "agency": agency["code"],
        "field": field["code"],
        "level": levels,
        "online_level": "toan_trinh"
        if record.get("isFullProcess")
        else ("mot_phan" if online else None),
        "channels": channels,
        "components": components,
        "cases": cases,
        "results": _named(record.get("resultsDetails")) or None,
        "legal_basis": [
            {"number": one_line(b.get("code")) or None, "title": b["name"]}
            for b in _named(record.get("legalBasisesDetails"))
            if isinstance(b, dict)
        ],
        "conditions": conditions,
        "description": description if description != conditions else None,
        "steps": [
            {
                "name": one_line(s.get("name")) or None,
                "description": long_text(s.get("description")),
            }
            for s in record.get("executionSteps") or []
            if isinstance(s, dict) and long_text(s.get("description"))
        ],
        "subject_types": _named(record.get("subjectTypesDetails")),
        "categories": categories,
        "agencies_involved": involved,
        "keywords": keywords,
        "returning_methods": returning,
        "variants": [
            {
                "code": one_line(v.get("code")) or None,
                "name": one_line(v.get("name")),
                "processing_time": _time(
                    (v.get("processingDay") or {}).get("qty"),
                    (v.get("processingDay") or {}).get("type"),
                    "",
                ),
            }
            for v in record.get("cases") or []
            if isinstance(v, dict) and one_line(v.get("name"))
        ],
        "offline_only": record.get("isOfflineOnly")
        if isinstance(record.get("isOfflineOnly"), bool)
        else None,
        "state": one_line(record.get("state")) or None,
        "notes": notes,
    }
    return Converted(content=content, agencies=agencies, field=field)
