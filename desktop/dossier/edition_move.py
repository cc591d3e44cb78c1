"""Moving a dossier to a newer edition of its procedure (the clerk's decision).

A dossier keeps the edition it was created under until the clerk moves it. The move
shows the diff of components, keeps every attachment on the component with the same
stable code in the new edition, and asks only about what cannot be mapped: files on a
component the new edition no longer has (the clerk names the new component for them),
and a case (trường hợp) the new edition no longer has. Nothing is written until every
file has a place: an attachment is never dropped. "Không áp dụng" marks follow their
component when it is still there and still not known to be required; other marks are
dropped (the clerk decides again on the new checklist) and the history says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desktop.catalog import editions
from desktop.catalog.model import ComponentSpec, Procedure
from desktop.dossier.model import Dossier
from desktop.errors import UserError, define

E_NOT_NEWER = define(
    "dossier.edition_not_newer",
    vi=(
        "Hồ sơ {id} đã theo ấn bản mới nhất của thủ tục (ấn bản {edition}); không có gì để chuyển."
    ),
    en="Dossier {id} already follows the newest edition of its procedure ({edition}).",
)
E_UNMAPPED = define(
    "dossier.edition_unmapped",
    vi=(
        "Ấn bản {edition} không còn thành phần {components}; các tệp {files} cần một chỗ "
        "mới. Hãy chọn thành phần cho từng mã, ví dụ «--map {example}=MÃ_MỚI». Các thành "
        "phần của ấn bản mới: {known}. Chưa có gì thay đổi."
    ),
    en=(
        "Edition {edition} no longer has component(s) {components}; the files {files} "
        "need a new place. Choose a component for each code, e.g. '--map {example}=NEW'. "
        "Components of the new edition: {known}. Nothing was changed."
    ),
)
E_BAD_TARGET = define(
    "dossier.edition_bad_target",
    vi=(
        "«{target}» không phải thành phần nhận tệp của ấn bản {edition}. Các thành phần: "
        "{known}. Chưa có gì thay đổi."
    ),
    en=(
        "'{target}' is not a component of edition {edition} that takes files. Components: "
        "{known}. Nothing was changed."
    ),
)
E_CASE_GONE = define(
    "dossier.edition_case_gone",
    vi=(
        "Ấn bản {edition} không còn trường hợp «{case}» của hồ sơ. Hãy chọn trường hợp "
        "bằng «--case MÃ»: {cases}. Chưa có gì thay đổi."
    ),
    en=(
        "Edition {edition} no longer has the dossier's case '{case}'. Choose one with "
        "'--case CODE': {cases}. Nothing was changed."
    ),
)

E_CHANGED = define(
    "dossier.edition_changed",
    vi="Hồ sơ {id} vừa có thay đổi trong lúc chuyển ấn bản. Hãy xem lại và chuyển lại.",
    en="Dossier {id} changed while it was being moved. Look again and move it again.",
)


@dataclass(frozen=True)
class Unplaced:
    """Files on a component the new edition does not have."""

    component: str
    name: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class EditionMove:
    """What moving the dossier would do (`plan`), and with the clerk's answers, the
    component of every attachment (`targets`: attachment id → new component code)."""

    dossier_id: int
    old: int | None
    new: int
    diff: editions.EditionDiff
    case_code: str | None
    case_gone: bool
    unplaced: tuple[Unplaced, ...]
    targets: Mapping[int, str]
    kept_marks: tuple[str, ...]
    dropped_marks: tuple[str, ...]
    procedure: Procedure  # the new edition (its components and cases, for the answers)

    @property
    def complete(self) -> bool:
        return not self.unplaced and not self.case_gone

    def questions(self) -> tuple[str, ...]:
        """The component codes the clerk must give a new place for."""
        return tuple(u.component for u in self.unplaced)


def choices(procedure: Procedure, case_code: str | None) -> tuple[ComponentSpec, ...]:
    """The components of the new edition that take files (for the case)."""
    return tuple(c for c in procedure.checklist(case_code) if c.attachable)


def known_list(procedure: Procedure, case_code: str | None) -> str:
    return ", ".join(f"{c.code} ({c.name})" for c in choices(procedure, case_code)) or "—"


def plan(
    dossier: Dossier,
    old: Procedure,
    new: Procedure,
    *,
    mapping: Mapping[str, str] | None = None,
    case: str | None = None,
) -> EditionMove:
    """The move of `dossier` from `old` to `new` with the clerk's answers so far:
    `mapping` (old component code → new component code) for files whose component is
    gone, `case` for a case the new edition does not have."""
    number = new.edition.number if new.edition else 0
    if dossier.procedure_edition is not None and number <= dossier.procedure_edition:
        raise UserError(E_NOT_NEWER, id=dossier.id, edition=dossier.procedure_edition)
    case_code = dossier.case_code
    case_gone = False
    if case is not None:
        wanted = case.strip().upper()
        found = next((c for c in new.cases if c.code.upper() == wanted), None)
        if found is None:
            raise UserError(E_CASE_GONE, edition=number, case=case, cases=_cases(new))
        case_code = found.code
    elif case_code is not None and new.case(case_code) is None:
        case_gone = True
    targets_ok = {c.code: c for c in choices(new, case_code)}
    answers = {k.strip(): v.strip() for k, v in (mapping or {}).items()}
    for target in answers.values():
        if target not in targets_ok:
            raise UserError(
                E_BAD_TARGET, target=target, edition=number, known=known_list(new, case_code)
            )
    before = {c.code: c for c in old.components}
    targets: dict[int, str] = {}
    waiting: dict[str, list[str]] = {}
    for attachment in dossier.attachments:
        code = attachment.component_code
        place = answers.get(code) or (code if code in targets_ok else None)
        if place is None:
            waiting.setdefault(code, []).append(attachment.name)
        else:
            targets[attachment.id] = place
    unplaced = tuple(
        Unplaced(code, before[code].name if code in before else code, tuple(files))
        for code, files in waiting.items()
    )
    kept, dropped = [], []
    for mark in dossier.marks:
        spec = targets_ok.get(mark.component_code)
        has_files = mark.component_code in targets.values()
        if spec is not None and spec.required is not True and not has_files:
            kept.append(mark.component_code)
        else:
            dropped.append(mark.component_code)
    return EditionMove(
        dossier_id=dossier.id,
        old=dossier.procedure_edition,
        new=number,
        diff=editions.diff(old, new),
        case_code=case_code,
        case_gone=case_gone,
        unplaced=unplaced,
        targets=targets,
        kept_marks=tuple(kept),
        dropped_marks=tuple(dropped),
        procedure=new,
    )


def require_complete(move: EditionMove, new: Procedure) -> None:
    """UserError naming what the clerk still has to answer (nothing is written)."""
    if move.case_gone:
        raise UserError(E_CASE_GONE, edition=move.new, case=move.case_code or "", cases=_cases(new))
    if move.unplaced:
        raise UserError(
            E_UNMAPPED,
            edition=move.new,
            components=", ".join(f"{u.component} ({u.name})" for u in move.unplaced),
            files=", ".join(f"«{f}»" for u in move.unplaced for f in u.files),
            example=move.unplaced[0].component,
            known=known_list(new, move.case_code),
        )


def history_note(move: EditionMove) -> str:
    """The line of the dossier's history."""
    note = f"Chuyển sang ấn bản {move.new} của thủ tục (từ ấn bản {move.old or '—'})"
    if move.dropped_marks:
        note += "; bỏ ghi «không áp dụng» của " + ", ".join(move.dropped_marks)
    return note


def _cases(procedure: Procedure) -> str:
    return ", ".join(f"{c.code} ({c.name})" for c in procedure.cases) or "—"
