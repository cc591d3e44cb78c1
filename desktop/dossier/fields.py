"""The keys `DossierService.set_fields` accepts, and how each value is stored.

Keys (documented in docs/dossiers.md):

- `applicant.<f>` and `submitter.<f>` with `<f>` one of `PARTY_FIELDS`
  (`kind` is `person` or `organisation`; `address.province|commune|detail`);
- `submitter.same_as_applicant` (yes/no; yes removes the separate submitter);
- `delivery.collect_at_home`, `delivery.return_by_post` (yes/no) and
  `delivery.collect_address.<a>`, `delivery.return_address.<a>` with `<a>` one of
  `province`, `commune`, `detail`;
- `notes`.

An empty value clears a field. Phones, dates, genders and ID numbers are normalised
(see `normalise`); a province or commune (a code, a current or a former name) is stored
as the unit's name with its official code (see `address_fields`); values that cannot be
understood are kept as typed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.display import safe_text
from desktop.dossier import address_fields, normalise
from desktop.dossier.model import ORGANISATION, PERSON
from desktop.errors import UserError, define

ADDRESS_PARTS = address_fields.PARTS
PARTY_FIELDS = (
    "kind",
    "name",
    "id_number",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "tax_code",
    "representative",
    *(f"address.{part}" for part in ADDRESS_PARTS),
)
DELIVERY_FLAGS = ("collect_at_home", "return_by_post")
DELIVERY_ADDRESSES = ("collect_address", "return_address")

E_UNKNOWN_FIELD = define(
    "dossier.unknown_field",
    vi="Không có trường «{key}» trong hồ sơ. Các trường có thể đặt: {known}.",
    en="There is no field '{key}' in a dossier. Fields you can set: {known}.",
)
E_BAD_FLAG = define(
    "dossier.bad_flag",
    vi="Giá trị «{value}» của «{key}» không hợp lệ; hãy ghi «có» hoặc «không» (yes/no).",
    en="'{value}' is not valid for '{key}'; write yes or no.",
)
E_BAD_KIND = define(
    "dossier.bad_party_kind",
    vi=(
        "«{value}» không hợp lệ cho «{key}»; "
        "hãy ghi «person» (cá nhân) hoặc «organisation» (tổ chức)."
    ),
    en="'{value}' is not valid for '{key}'; write person or organisation.",
)

_KINDS = {
    "person": PERSON,
    "ca nhan": PERSON,
    "cá nhân": PERSON,
    "organisation": ORGANISATION,
    "organization": ORGANISATION,
    "to chuc": ORGANISATION,
    "tổ chức": ORGANISATION,
}
_PARTY_NORMALISERS: dict[str, Callable[[str], str]] = {
    "id_number": normalise.digits_only,
    "tax_code": str.strip,
    "date_of_birth": normalise.iso_date,
    "gender": normalise.gender,
    "phone": normalise.phone,
    "email": str.strip,
}


def known_keys() -> list[str]:
    """Every key `set_fields` accepts."""
    keys = [f"{who}.{f}" for who in ("applicant", "submitter") for f in PARTY_FIELDS]
    keys.append("submitter.same_as_applicant")
    keys += [f"delivery.{flag}" for flag in DELIVERY_FLAGS]
    keys += [f"delivery.{a}.{part}" for a in DELIVERY_ADDRESSES for part in ADDRESS_PARTS]
    keys.append("notes")
    return keys


@dataclass
class Editable:
    """The editable JSON parts of a dossier row, changed in place by `apply`."""

    applicant: dict[str, Any]
    submitter: dict[str, Any] | None
    delivery: dict[str, Any]
    notes: str


E_NOT_UTF8_VALUE = define(
    "dossier.value_not_utf8",
    vi="Giá trị của {key} có byte không phải UTF-8 (bảng mã của terminal khác UTF-8?). "
    "Hãy gõ lại bằng bàn phím tiếng Việt Unicode hoặc đặt terminal sang UTF-8.",
    en="The value of {key} holds bytes that are not UTF-8 (is the terminal's encoding "
    "UTF-8?). Type it again in Unicode or set the terminal to UTF-8.",
)


def apply(target: Editable, values: Mapping[str, str | bool | None]) -> Editable:
    """A copy of `target` with `values` applied; UserError for an unknown key or value."""
    result = copy.deepcopy(target)
    for key, raw in values.items():
        value = "" if raw is None else raw
        if not_utf8(key) or (isinstance(value, str) and not_utf8(value)):
            raise UserError(E_NOT_UTF8_VALUE, key=safe_text(key.strip()))
        _apply_one(result, key.strip(), value)
    return result


def not_utf8(text: str) -> bool:
    """Whether `text` holds lone surrogates: bytes that were not UTF-8 (argv, file names
    keep them that way) and that no text column can store."""
    return any("\ud800" <= c <= "\udfff" for c in text)


def _apply_one(target: Editable, key: str, value: str | bool) -> None:
    head, _, rest = key.partition(".")
    if key == "notes":
        target.notes = str(value).strip()
    elif key == "submitter.same_as_applicant":
        same = _flag(key, value)
        if same:
            target.submitter = None
        elif target.submitter is None:
            target.submitter = {}
    elif head in ("applicant", "submitter") and rest in PARTY_FIELDS:
        if head == "submitter" and target.submitter is None:
            target.submitter = {}
        party = target.applicant if head == "applicant" else target.submitter
        assert party is not None
        _set_party(party, key, rest, str(value))
    elif head == "delivery" and rest in DELIVERY_FLAGS:
        target.delivery[rest] = _flag(key, value)
    elif head == "delivery" and rest.partition(".")[0] in DELIVERY_ADDRESSES:
        which, _, part = rest.partition(".")
        if part not in ADDRESS_PARTS:
            _unknown(key)
        address_fields.set_part(target.delivery.setdefault(which, {}), part, str(value))
    else:
        _unknown(key)


def _set_party(party: dict[str, Any], key: str, name: str, value: str) -> None:
    text = value.strip()
    if name == "kind":
        kind = _KINDS.get(text.lower())
        if kind is None:
            raise UserError(E_BAD_KIND, key=key, value=value)
        party["kind"] = kind
        return
    if name.startswith("address."):
        address_fields.set_part(party.setdefault("address", {}), name[len("address.") :], text)
        return
    normaliser = _PARTY_NORMALISERS.get(name)
    party[name] = normaliser(text) if (normaliser and text) else text


def _flag(key: str, value: str | bool) -> bool:
    parsed = normalise.flag(value)
    if parsed is None:
        raise UserError(E_BAD_FLAG, key=key, value=value)
    return parsed


def _unknown(key: str) -> None:
    raise UserError(E_UNKNOWN_FIELD, key=key, known=", ".join(known_keys()))
