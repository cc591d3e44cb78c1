"""The honest checklist of a dossier: the components of its case, each with its state.

A component the source marks required needs a file; one whose need the source does
not say ("cần kiểm tra") needs a file or the clerk's recorded word "không áp dụng cho hồ
sơ này"; only a component known to be optional may stay empty without a word. A
procedure with cases (trường hợp) needs the case chosen first; its checklist is that
case's components and those common to all cases. One owner: validation, the CLI and
the editor all read it from here.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from desktop.catalog.editions import EditionDiff
from desktop.catalog.model import ComponentSpec, Procedure
from desktop.dossier.model import WARNING, Attachment, ComponentMark, Dossier, Problem
from desktop.errors import define

ATTACHED = "attached"
MISSING = "missing"  # required, no file
UNCLEAR = "unclear"  # "cần kiểm tra": a file or a "không áp dụng" is needed
NOT_APPLICABLE = "not_applicable"  # the clerk said so (who, when)
OPTIONAL = "optional"
NOTE = "note"  # a remark of the list, nothing to attach

STATUS_LABELS = {
    ATTACHED: "đã đính kèm",
    MISSING: "bắt buộc, chưa có tệp",
    UNCLEAR: "cần kiểm tra",
    NOT_APPLICABLE: "không áp dụng cho hồ sơ này",
    OPTIONAL: "không bắt buộc",
    NOTE: "ghi chú",
}
STATUS_LABELS_EN = {
    ATTACHED: "attached",
    MISSING: "required, no file yet",
    UNCLEAR: "needs checking",
    NOT_APPLICABLE: "not applicable to this dossier",
    OPTIONAL: "optional",
    NOTE: "remark",
}

CASE_MISSING = define(
    "dossier.case_missing",
    vi=(
        "Thủ tục «{procedure}» có nhiều trường hợp; chưa chọn trường hợp của hồ sơ này. "
        "Hãy chọn một trường hợp ({cases})."
    ),
    en="Procedure '{procedure}' has several cases; choose this dossier's case ({cases}).",
)
CASE_UNKNOWN = define(
    "dossier.case_unknown",
    vi="Thủ tục «{procedure}» không có trường hợp «{case}». Các trường hợp: {cases}.",
    en="Procedure '{procedure}' has no case '{case}'. Cases: {cases}.",
)
COMPONENT_UNCLEAR = define(
    "dossier.component_unclear",
    vi=(
        "Thành phần «{name}» ({component}) cần kiểm tra: nguồn dữ liệu không ghi có bắt "
        "buộc hay không. Hãy đính kèm tệp, hoặc ghi «không áp dụng cho hồ sơ này»."
    ),
    en=(
        "Component '{name}' ({component}) needs checking: the source does not say whether "
        "it is required. Attach a file or mark it 'not applicable to this dossier'."
    ),
)
COMPONENT_OTHER_CASE = define(
    "dossier.component_other_case",
    vi=(
        "Tệp «{file}» gắn vào thành phần {component}, không thuộc trường hợp đã chọn "
        "({case}). Hãy gỡ tệp hoặc chọn lại trường hợp."
    ),
    en="'{file}' is attached to component {component}, which is not in the chosen case ({case}).",
)
E_CASE_HAS_FILES = define(
    "dossier.case_has_files",
    vi=(
        "Không chọn được trường hợp «{case}»: tệp {files} gắn vào thành phần không thuộc "
        "trường hợp đó. Hãy gỡ các tệp đó trước."
    ),
    en="Cannot choose case '{case}': {files} belong to components outside it. Detach them first.",
)
E_MARK_REQUIRED = define(
    "dossier.mark_required",
    vi="Thành phần «{name}» ({component}) là bắt buộc nên không thể ghi «không áp dụng».",
    en="Component '{name}' ({component}) is required; it cannot be marked not applicable.",
)
E_MARK_HAS_FILES = define(
    "dossier.mark_has_files",
    vi="Thành phần «{name}» ({component}) đã có tệp; hãy gỡ tệp trước khi ghi «không áp dụng».",
    en="Component '{name}' ({component}) has files; detach them before marking it not applicable.",
)
E_COMPONENT_IS_NOTE = define(
    "dossier.component_is_note",
    vi=(
        "«{name}» ({component}) là ghi chú của danh sách, không phải giấy tờ: "
        "không có gì để đính kèm."
    ),
    en="'{name}' ({component}) is a remark of the list, not a document: nothing to attach.",
)


def default_clerk() -> str:
    """Who is at the keyboard, for the record of a decision (the OS account)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "không rõ"


@dataclass(frozen=True)
class NewerEdition:
    """A newer edition of a dossier's procedure exists; what changed since its own."""

    current: int
    diff: EditionDiff


COMPONENT_CASE_HINT = "dossier.component_case"  # declared in desktop.dossier.messages
COMPONENT_MISSING = "dossier.component_missing"
COMPONENT_UNKNOWN = "dossier.component_unknown"


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the checklist."""

    spec: ComponentSpec
    status: str
    files: tuple[Attachment, ...] = ()
    mark: ComponentMark | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def case_labels(procedure: Procedure) -> str:
    return "; ".join(f"{c.code}: {c.name}" for c in procedure.cases)


def items(dossier: Dossier, procedure: Procedure) -> list[ChecklistItem]:
    """The checklist of the dossier's case (every component before a case is chosen)."""
    out = []
    for spec in procedure.checklist(dossier.case_code):
        files = dossier.attachments_of(spec.code)
        mark = dossier.mark_of(spec.code)
        if not spec.attachable:
            status = NOTE
        elif files:
            status = ATTACHED
        elif mark is not None:
            status = NOT_APPLICABLE
        elif spec.required is True:
            status = MISSING
        elif spec.required is None:
            status = UNCLEAR
        else:
            status = OPTIONAL
        out.append(ChecklistItem(spec, status, files, mark))
    return out


def problems(dossier: Dossier, procedure: Procedure) -> list[Problem]:
    """What the checklist still lacks, and files that do not belong to it."""
    found: list[Problem] = []
    case = procedure.case(dossier.case_code) if dossier.case_code else None
    if procedure.cases and dossier.case_code is None:
        params = {"procedure": procedure.name, "cases": case_labels(procedure)}
        found.append(Problem(CASE_MISSING, "case", params))
    elif dossier.case_code is not None and case is None and procedure.cases:
        params = {
            "procedure": procedure.name,
            "case": dossier.case_code,
            "cases": case_labels(procedure),
        }
        found.append(Problem(CASE_UNKNOWN, "case", params))
    checklist = items(dossier, procedure)
    for item in checklist:
        spec = item.spec
        params = {"component": spec.code, "name": spec.name}
        field = f"components.{spec.code}"
        if item.status == MISSING:
            if spec.case:
                hint = {**params, "case": spec.case}
                found.append(Problem(COMPONENT_CASE_HINT, field, hint, WARNING))
            else:
                found.append(Problem(COMPONENT_MISSING, field, params))
        elif item.status == UNCLEAR and (case is not None or not procedure.cases):
            # Before a case is chosen, the case problem says what to do first.
            found.append(Problem(COMPONENT_UNCLEAR, field, params))
    listed = {item.spec.code for item in checklist}
    known = {spec.code for spec in procedure.components}
    for attachment in dossier.attachments:
        code = attachment.component_code
        if code in listed:
            continue
        if code in known and case is not None:
            params = {"file": attachment.name, "component": code, "case": case.name}
            found.append(Problem(COMPONENT_OTHER_CASE, f"components.{code}", params))
        elif code not in known:
            params = {"file": attachment.name, "component": code}
            found.append(Problem(COMPONENT_UNKNOWN, f"components.{code}", params))
    return found
