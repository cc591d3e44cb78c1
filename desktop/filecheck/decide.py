"""What each use of a PDF refuses, decided from its verdict alone.

`findings()` lists what stands in the way of signing, in the order a clerk should fix
it; validation shows them as errors on the component, and signing and intake refuse
with the first one, so a dossier that validates can be signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.errors import UserError
from desktop.filecheck import damage
from desktop.filecheck.messages import (
    E_BROKEN_SIGNATURE,
    E_DAMAGED,
    E_LOCKED,
    E_PASSWORD,
    E_REPAIRABLE,
    E_SIGNED,
)
from desktop.filecheck.pdf import PASSWORD, PdfVerdict


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict[str, Any]


def _damage(verdict: PdfVerdict) -> Finding:
    fixable = damage.repairable(verdict.damage)
    params = {
        "what": damage.describe(verdict.damage, "vi"),
        "what_en": damage.describe(verdict.damage, "en"),
    }
    return Finding(E_REPAIRABLE if fixable else E_DAMAGED, params)


def findings(verdict: PdfVerdict, *, password_given: bool = False) -> list[Finding]:
    """What keeps this PDF from being signed (empty when it can be signed)."""
    found: list[Finding] = []
    if verdict.damage and not damage.repairable(verdict.damage):
        return [_damage(verdict)]
    if verdict.encryption == PASSWORD and not password_given:
        return [Finding(E_PASSWORD, {})]
    for name in verdict.broken_signatures:
        found.append(Finding(E_BROKEN_SIGNATURE, {"field": name}))
    if verdict.locked:
        found.append(Finding(E_LOCKED, {}))
    if verdict.damage:
        found.append(_damage(verdict))
    return found


def refuse_for_signing(verdict: PdfVerdict, name: str, *, password_given: bool) -> None:
    """Raise the first finding that keeps `name` from being signed."""
    found = findings(verdict, password_given=password_given)
    if found:
        raise UserError(found[0].code, name=name, **found[0].params)


def refuse_for_page_work(verdict: PdfVerdict, name: str, *, read_only: bool = False) -> None:
    """Raise why `name` cannot be merged, split, edited, compressed or repaired
    (`read_only`: the pages are only looked at, so a signature is no obstacle)."""
    found = findings(verdict)
    if found and found[0].code != E_REPAIRABLE:
        raise UserError(found[0].code, name=name, **found[0].params)
    if verdict.signed and not read_only:
        raise UserError(E_SIGNED, name=name)
    if found:
        raise UserError(found[0].code, name=name, **found[0].params)


def offers_repair(facts: dict[str, Any]) -> bool:
    """Whether "Sửa tệp" can mend a stored file, from its facts (a PDF whose only
    problem is a defect a rewrite mends)."""
    stored = facts.get("pdf")
    if not isinstance(stored, dict):
        return False
    found = findings(PdfVerdict.from_facts(stored))
    return len(found) == 1 and found[0].code == E_REPAIRABLE
