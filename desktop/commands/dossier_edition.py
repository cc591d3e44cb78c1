"""`dvc-desk dossier move-edition ID [--map OLD=NEW ...] [--case CODE] [--dry-run]`:
move a dossier to the newer edition of its procedure.

Registered into the `dossier` command by `desktop.commands.dossier.register`; the
window's "Chuyển sang ấn bản mới" calls the same `DossierService.move_to_edition`.
Without every answer it needs, the command shows the diff and says what to answer;
nothing is written.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.dossier.edition_move import EditionMove
from desktop.errors import UserError, define, language

if TYPE_CHECKING:
    from desktop.commands.context import Context

E_BAD_MAP = define(
    "dossier.edition_bad_map",
    vi="«{value}» không đúng dạng «MÃ_CŨ=MÃ_MỚI» (ví dụ --map TP3=TP4).",
    en="'{value}' is not OLD=NEW (e.g. --map TP3=TP4).",
)


def add_edition_action(inner: Any) -> None:
    """Add `move-edition` to the `dossier` sub-commands."""
    move = inner.add_parser(
        "move-edition",
        help=_h(
            "chuyển hồ sơ sang ấn bản mới của thủ tục (tệp giữ theo mã thành phần)",
            "move a dossier to the newer edition of its procedure (files follow their codes)",
        ),
    )
    move.add_argument("id", type=int, metavar="ID", help=_h("số hồ sơ", "dossier number"))
    move.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CŨ=MỚI",
        help=_h(
            "thành phần mới cho các tệp của một thành phần không còn trong ấn bản mới",
            "the new component for the files of a component the new edition lacks",
        ),
    )
    move.add_argument(
        "--case", help=_h("trường hợp mới, khi ấn bản mới bỏ trường hợp cũ", "the new case")
    )
    move.add_argument(
        "--dry-run",
        action="store_true",
        help=_h("chỉ cho xem thay đổi, không chuyển", "show the changes only"),
    )
    add_json_flag(move)
    move.set_defaults(handler=_move)


def _mapping(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise UserError(E_BAD_MAP, value=value)
        out[old.strip()] = new.strip()
    return out


def _describe(move: EditionMove) -> list[str]:
    en = language() == "en"
    lines = [
        f"Edition {move.old or '—'} → {move.new}:"
        if en
        else f"Ấn bản {move.old or '—'} → {move.new}:"
    ]
    lines += [f"  {line}" for line in move.diff.lines(language())]
    for u in move.unplaced:
        files = ", ".join(u.files)
        lines.append(
            f"  ? {u.component} ({u.name}): {files} — needs --map {u.component}=NEW"
            if en
            else f"  ? {u.component} ({u.name}): {files} — cần --map {u.component}=MÃ_MỚI"
        )
    return lines


def _move(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.workspace.dossiers
    mapping = _mapping(args.map)
    move = service.plan_edition_move(args.id, mapping, args.case)
    data: dict[str, Any] = {
        "dossier": args.id,
        "from_edition": move.old,
        "to_edition": move.new,
        "changes": move.diff.lines(),
        "unplaced": [{"component": u.component, "files": list(u.files)} for u in move.unplaced],
        "dropped_marks": list(move.dropped_marks),
    }
    if args.dry_run:
        ctx.emit({**data, "moved": False}, "\n".join(_describe(move)))
        return 0
    dossier = service.move_to_edition(args.id, mapping, args.case)
    lines = _describe(move)
    lines.append(
        _h(
            f"Đã chuyển hồ sơ số {dossier.id} sang ấn bản {move.new}; "
            f"{len(dossier.attachments)} tệp đính kèm được giữ. Trạng thái: {dossier.state}.",
            f"Dossier {dossier.id} now follows edition {move.new}; "
            f"{len(dossier.attachments)} attachment(s) kept. State: {dossier.state}.",
        )
    )
    ctx.emit({**data, "moved": True, "dossier": dossier.as_dict()}, "\n".join(lines))
    return 0
