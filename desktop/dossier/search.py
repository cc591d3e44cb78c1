"""What dossier search matches: the folded text stored per dossier, and the typed query.

A clerk types without diacritics, in any case, often only the start of a word:
"nguyen van a", "NGUYEN", "dang ky ho" and "0791" must find "Nguyễn Văn An", whose
12-digit ID number starts with 0791, for "Đăng ký hộ tịch". Both sides go through the
catalog's `fold` (lower case, no diacritics, đ → d), so they always agree.

The stored text (`dossiers.search_text`) holds the applicant's and the submitter's name,
ID number, tax code and phone, the receipt number and the procedure name. Each typed
word must start a word of that text (several typed words: all of them must); a typed
word of digits also finds the dossier with that number. Numbers of fewer than
`MIN_DIGITS` digits only find a dossier number: "12" would otherwise start thousands of
phone and ID numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.catalog.folding import fold
from desktop.dossier import normalise

# Shortest run of digits matched as the start of an ID, phone or receipt number.
MIN_DIGITS = 4

# Party fields whose values are searched (name, identifiers, phone).
PARTY_FIELDS = ("name", "representative", "id_number", "tax_code", "phone")

# Characters people put between digit groups of a phone or ID number.
_DIGIT_SEPARATORS = re.compile(r"[\s.\-()/]+")
_NON_DIGITS = re.compile(r"\D+")
_NUMBER = re.compile(r"\+?\d[\d\s.\-()/]*")

# Dossier numbers are SQLite integers; longer digit runs cannot be one.
_MAX_ID_DIGITS = 18


@dataclass(frozen=True)
class Term:
    """One typed word, folded: one of `phrases` must start a word of the stored text.

    A phrase holds several words when the typed word had punctuation inside
    ("H12.34-260115" → "h12 34 260115"); then they must follow each other. `number` is
    set for digits without a leading zero: they also find the dossier with that number,
    and they match the stored text only when there are `MIN_DIGITS` of them or more.
    """

    phrases: tuple[str, ...]
    number: int | None = None

    @property
    def matches_text(self) -> bool:
        """False for fewer than `MIN_DIGITS` digits ("12"): only a dossier number."""
        compact = [phrase.replace(" ", "") for phrase in self.phrases]
        return not all(c.isdigit() for c in compact) or max(map(len, compact)) >= MIN_DIGITS


def document(
    applicant: Mapping[str, Any] | None,
    submitter: Mapping[str, Any] | None,
    receipt_no: str | None,
    procedure_name: str | None,
    scan_text: str = "",
) -> str:
    """The folded search text of one dossier (words separated by single spaces);
    `scan_text` is the text layer of its scans (already folded)."""
    parts: list[str] = []
    for party in (applicant, submitter):
        if not party:
            continue
        for field in PARTY_FIELDS:
            value = party.get(field)
            if not isinstance(value, str) or not value.strip():
                continue
            parts.append(value)
            digits = _NON_DIGITS.sub("", value)
            if field in ("id_number", "tax_code", "phone") and digits and digits != value:
                # "024 3823 4567" is also found as typed without spaces.
                parts.append(digits)
    parts += [receipt_no or "", procedure_name or "", scan_text]
    return fold(" ".join(parts))


MAX_WORDS = 16


def parse(query: str | None) -> list[Term]:
    """The terms of a typed query; [] when nothing searchable was typed."""
    text = (query or "").strip()
    if _NUMBER.fullmatch(text) and not text.isdigit():
        # A phone or ID number typed in groups ("0912 345 678", "+84 912.345.678") is
        # one number; the same digits may also be a receipt number ("…-260115-0042").
        phone = normalise.phone(text)
        digits = phone if phone.isdigit() else _DIGIT_SEPARATORS.sub("", text).lstrip("+")
        phrases = tuple(dict.fromkeys(p for p in (digits, fold(text)) if p))
        return [Term(phrases, _dossier_number(digits))] if phrases else []
    terms: list[Term] = []
    # Bounded: SQLite refuses a MATCH of a thousand words ("Expression tree is too
    # large"); no applicant, procedure or number needs more than a dozen.
    for word in text.split()[:MAX_WORDS]:
        folded = fold(word)
        if folded:
            number = _dossier_number(folded) if folded.isdigit() else None
            terms.append(Term((folded,), number))
    return terms


def _dossier_number(digits: str) -> int | None:
    # Dossier numbers are written without leading zeros; "0791" is the start of an ID.
    if digits.isdigit() and not digits.startswith("0") and len(digits) <= _MAX_ID_DIGITS:
        return int(digits)
    return None


def fts_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression for the terms that match text: all of them, each one's
    phrases in OR, the last word of a phrase as a prefix.

    Folded text holds only letters, digits and spaces, so a phrase never needs escaping.
    """
    parts = []
    for term in terms:
        phrases = " OR ".join(f'"{phrase}"*' for phrase in term.phrases)
        parts.append(f"({phrases})" if len(term.phrases) > 1 else phrases)
    return " AND ".join(parts)
