"""Turn what a clerk types into the stored form: phone numbers, dates, genders, flags.

Each function returns the normalised value, or the input unchanged (trimmed) when it
cannot be understood; validation then names the problem. Nothing typed is lost.
"""

from __future__ import annotations

import re
from datetime import date

MOBILE = re.compile(r"^0[35789]\d{8}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

GENDERS = {"nam": "Nam", "male": "Nam", "nu": "Nữ", "nữ": "Nữ", "female": "Nữ", "khac": "Khác"}
GENDERS["khác"] = "Khác"
GENDERS["other"] = "Khác"
_TRUE = {"1", "true", "yes", "co", "có", "x", "on"}
_FALSE = {"0", "false", "no", "khong", "không", "", "off"}


def phone(text: str) -> str:
    """`+84 912 345 678`, `84912345678`, `0912.345.678` → `0912345678`."""
    raw = text.strip()
    digits = _PHONE_SEPARATORS.sub("", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if MOBILE.match(digits) else raw


def parse_date(text: str) -> date | None:
    """A date written dd/mm/yyyy (also with . or -) or ISO; None when not a real date."""
    raw = text.strip()
    dmy = _DMY.match(raw)
    iso = _ISO.match(raw)
    try:
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def iso_date(text: str) -> str:
    """`05/03/1990` → `1990-03-05`; text that is not a date is kept as typed."""
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else text.strip()


def display_date(text: str) -> str:
    """`1990-03-05` → `05/03/1990` for people; other text unchanged."""
    parsed = parse_date(text)
    return parsed.strftime("%d/%m/%Y") if parsed else text


def gender(text: str) -> str:
    return GENDERS.get(text.strip().lower(), text.strip())


def flag(text: str | bool) -> bool | None:
    """A yes/no value from the command line; None when it is neither."""
    if isinstance(text, bool):
        return text
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def digits_only(text: str) -> str:
    """ID numbers are often typed with spaces or dots between groups."""
    stripped = re.sub(r"[\s.]", "", text)
    return stripped if stripped.isdigit() else text.strip()
