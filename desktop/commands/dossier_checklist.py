"""`dvc-desk dossier case | not-applicable`, and the checklist lines of `dossier show`."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from desktop import errors
from desktop.commands.context import _h, add_json_flag
from desktop.dossier.checklist import (
    NOT_APPLICABLE,
    STATUS_LABELS,
    STATUS_LABELS_EN,
    ChecklistItem,
    NewerEdition,
)

if TYPE_CHECKING:
    from desktop.commands.context import Context


def add_checklist_actions(inner: Any) -> None:
    """Add `case` and `not-applicable` to the `dossier` sub-commands."""
    case = inner.add_parser(
        "case",
        help=_h(
            "chọn trường hợp (trường hợp của thủ tục: dvc-desk catalog show MÃ)",
            "choose the case (the procedure's cases: dvc-desk catalog show CODE)",
        ),
    )
    case.add_argument("id", type=int, metavar="ID", help=_h("số hồ sơ", "dossier number"))
    case.add_argument("case", metavar="CASE", help=_h("mã trường hợp, ví dụ TH1", "case code"))
    add_json_flag(case)
    case.set_defaults(handler=_case)

    mark = inner.add_parser(
        "not-applicable",
        help=_h(
            "ghi «không áp dụng cho hồ sơ này» cho một thành phần cần kiểm tra",
            "mark a component that needs checking 'not applicable to this dossier'",
        ),
    )
    mark.add_argument("id", type=int, metavar="ID", help=_h("số hồ sơ", "dossier number"))
    mark.add_argument("component", metavar="COMPONENT", help=_h("mã thành phần", "component"))
    mark.add_argument(
        "--by",
        metavar="NAME",
        help=_h("người quyết định (mặc định: tài khoản máy)", "who decides (default: OS account)"),
    )
    mark.add_argument("--reason", default="", metavar="TEXT", help=_h("lý do", "reason"))
    mark.add_argument(
        "--undo", action="store_true", help=_h("bỏ ghi «không áp dụng»", "take the mark back")
    )
    add_json_flag(mark)
    mark.set_defaults(handler=_not_applicable)


def _case(args: argparse.Namespace, ctx: Context) -> int:
    dossier = ctx.workspace.dossiers.set_case(args.id, args.case)
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Hồ sơ {dossier.id}: đã chọn trường hợp {dossier.case_code}.",
            f"Dossier {dossier.id}: case {dossier.case_code} chosen.",
        ),
    )
    return 0


def _not_applicable(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.workspace.dossiers
    if args.undo:
        dossier = service.clear_mark(args.id, args.component)
        ctx.emit(
            dossier.as_dict(),
            _h(
                f"Hồ sơ {dossier.id}: {args.component} cần kiểm tra lại.",
                f"Dossier {dossier.id}: {args.component} needs checking again.",
            ),
        )
        return 0
    dossier = service.mark_not_applicable(args.id, args.component, args.by, args.reason)
    mark = dossier.mark_of(args.component.strip())
    who = mark.marked_by if mark else ""
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Hồ sơ {dossier.id}: {args.component} — không áp dụng cho hồ sơ này (ghi bởi {who}).",
            f"Dossier {dossier.id}: {args.component} — not applicable to this dossier "
            f"(marked by {who}).",
        ),
    )
    return 0


def _local(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone():%d/%m/%Y %H:%M}"


def checklist_lines(items: list[ChecklistItem], newer: NewerEdition | None) -> list[str]:
    """The checklist of `dossier show`, with the newer-edition notice first."""
    lines: list[str] = []
    if newer is not None:
        lines.append(
            _h(
                f"! Đã có ấn bản mới hơn của thủ tục (ấn bản {newer.current}); hồ sơ này giữ "
                f"ấn bản {newer.diff.old}, tệp không bị chuyển. Thay đổi:",
                f"! A newer edition of the procedure exists (edition {newer.current}); this "
                f"dossier keeps edition {newer.diff.old}, its files were not moved. Changes:",
            )
        )
        lines += [f"    {line}" for line in newer.diff.lines(errors.language())]
    lines.append(_h("Thành phần hồ sơ:", "Components:"))
    for item in items:
        spec = item.spec
        label = _h(STATUS_LABELS[item.status], STATUS_LABELS_EN[item.status])
        lines.append(f"  [{spec.code}] {spec.name} ({label})")
        if item.status == NOT_APPLICABLE and item.mark is not None:
            reason = f": {item.mark.reason}" if item.mark.reason else ""
            when = _local(item.mark.marked_at)
            lines.append(
                _h(
                    f"      ghi bởi {item.mark.marked_by} lúc {when}{reason}",
                    f"      marked by {item.mark.marked_by} at {when}{reason}",
                )
            )
        for f in item.files:
            lines.append(f"      #{f.id} {f.name} — {f.size:,} byte, {f.media_type}")
    return lines
