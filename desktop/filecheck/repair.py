"""Mend a damaged-but-readable PDF by rewriting it with qpdf (through pikepdf).

qpdf rebuilds a broken cross-reference table when it opens a file; the rewrite also
lays the page tree flat with a true /Count (inherited page attributes are pushed down
to each page first), and replaces a malformed /Fields with an empty list. The result
is inspected again: what still has a defect is refused and nothing is kept. Signed
files are never rewritten (their signatures would break), nor files whose content is
lost (undecodable streams, unknown compressions, broken page trees).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pikepdf

from desktop.errors import UserError
from desktop.filecheck import damage
from desktop.filecheck.decide import findings
from desktop.filecheck.messages import E_REPAIR_FAILED, E_REPAIR_NOTHING, E_REPAIRABLE, E_SIGNED
from desktop.filecheck.pdf import inspect_pdf

log = logging.getLogger(__name__)


def rewrite(source: Path, target: Path, name: str) -> tuple[str, ...]:
    """Write the mended `source` to `target`; returns the damage codes it mended.

    Refuses (UserError) a file with nothing to mend, a signed file, and damage a
    rewrite cannot mend. The caller owns `target` (it deletes it on failure).
    """
    verdict = inspect_pdf(source)
    found = findings(verdict)
    if found and found[0].code != E_REPAIRABLE:
        raise UserError(found[0].code, name=name, **found[0].params)
    if verdict.signed:
        raise UserError(E_SIGNED, name=name)
    if not verdict.damage:
        raise UserError(E_REPAIR_NOTHING, name=name)
    try:
        with pikepdf.open(source, attempt_recovery=True) as pdf:
            _flatten_pages(pdf)
            _fix_fields(pdf)
            pdf.save(target, min_version="1.4", fix_metadata_version=False)
    except Exception as exc:  # hostile input: qpdf may raise anything
        log.info("qpdf could not rewrite %s: %s", source, exc)
        _refuse(name, verdict.damage)
    after = inspect_pdf(target)
    if after.damage:
        _refuse(name, after.damage)
    log.info("repaired %s: %s", source, ", ".join(verdict.damage))
    return verdict.damage


def _refuse(name: str, codes: tuple[str, ...]) -> None:
    raise UserError(
        E_REPAIR_FAILED,
        name=name,
        what=damage.describe(codes, "vi"),
        what_en=damage.describe(codes, "en"),
    )


def _flatten_pages(pdf: pikepdf.Pdf) -> None:
    # pikepdf.open pushed inheritable attributes (MediaBox, Resources, Rotate) down to
    # the pages already, so the intermediate nodes can go.
    pages = [page.obj for page in pdf.pages]
    root = pdf.Root.Pages
    for page in pages:
        page.Parent = root
    root.Kids = pikepdf.Array(pages)
    root.Count = len(pages)


def _fix_fields(pdf: pikepdf.Pdf) -> None:
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary):
        fields = acroform.get("/Fields")
        if fields is not None and not isinstance(fields, pikepdf.Array):
            acroform.Fields = pikepdf.Array()
