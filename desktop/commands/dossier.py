"""`dvc-desk dossier new | list | show | set | attach | detach | validate | ready`."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import errors
from desktop.catalog.model import Procedure
from desktop.commands.context import _h, add_json_flag, number
from desktop.commands.dossier_checklist import checklist_lines
from desktop.commands.dossier_edition import add_edition_action
from desktop.commands.dossier_repair import add_repair_action
from desktop.commands.index import summary
from desktop.display import safe_text
from desktop.dossier import fields
from desktop.dossier.model import ERROR, Dossier, Party, Problem
from desktop.dossier.normalise import display_date
from desktop.dossier.states import LABELS, PORTAL_STATES, PORTAL_STATES_EN, State
from desktop.dossier.validation import attachment_problems
from desktop.errors import UserError, define
from desktop.progress import Progress

if TYPE_CHECKING:
    from desktop.commands.context import Context
    from desktop.dossier.service import DossierService

E_BAD_ASSIGNMENT = define(
    "dossier.bad_assignment",
    vi='«{text}» không đúng dạng khoá=giá trị, ví dụ: applicant.name="Nguyễn Văn An".',
    en="'{text}' is not key=value, e.g. applicant.name=\"Nguyen Van An\".",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dossier",
        help=summary("dossier"),
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    new = inner.add_parser(
        "new",
        help=_h("tạo hồ sơ nháp mới cho một thủ tục", "a new draft dossier for a procedure"),
    )
    new.add_argument(
        "--procedure",
        required=True,
        metavar="CODE",
        help=_h("khoá hoặc mã quốc gia của thủ tục", "procedure key or national code"),
    )
    new.add_argument(
        "--case",
        metavar="CASE",
        help=_h(
            "trường hợp, khi thủ tục có nhiều (xem: dvc-desk catalog show MÃ)",
            "the case, when the procedure has several (see: dvc-desk catalog show CODE)",
        ),
    )
    add_json_flag(new)
    new.set_defaults(handler=_new)

    listing = inner.add_parser(
        "list",
        help=_h("danh sách hồ sơ, mới thay đổi trước", "dossiers, newest change first"),
    )
    states = ", ".join(State)
    listing.add_argument(
        "--state",
        help=_h(f"chỉ hồ sơ ở trạng thái này ({states})", f"only this state ({states})"),
    )
    listing.add_argument(
        "--search",
        metavar="TEXT",
        help=_h(
            "tìm theo người nộp, số biên nhận, thủ tục, số giấy tờ (gõ không dấu được); "
            "từ khoá bắt đầu bằng '-' thì viết liền: --search=-abc",
            "applicant, receipt number, procedure, ID number (diacritics optional); "
            "text starting with '-' is written joined: --search=-abc",
        ),
    )
    listing.add_argument(
        "--limit",
        type=number,
        default=50,
        metavar="N",
        help=_h("hiện tối đa N hồ sơ (mặc định 50)", "at most N dossiers (default 50)"),
    )
    listing.add_argument(
        "--offset",
        type=number,
        default=0,
        metavar="N",
        help=_h("bỏ qua N hồ sơ đầu (để xem trang sau)", "skip the first N (next pages)"),
    )
    add_json_flag(listing)
    listing.set_defaults(handler=_list)

    show = inner.add_parser(
        "show", help=_h("mọi thông tin về một hồ sơ", "everything about one dossier")
    )
    show.add_argument(
        "id",
        type=number,
        metavar="ID",
        help=_h("số hồ sơ (xem: dossier list)", "dossier number (see dossier list)"),
    )
    add_json_flag(show)
    show.set_defaults(handler=_show)

    change = inner.add_parser(
        "set",
        help=_h("sửa thông tin: khoá=giá trị ...", "change fields: key=value ..."),
        description=_h("Các khoá: ", "Keys: ") + ", ".join(fields.known_keys()),
    )
    change.add_argument(
        "id",
        type=number,
        metavar="ID",
        help=_h("số hồ sơ (xem: dossier list)", "dossier number (see dossier list)"),
    )
    change.add_argument(
        "assignments",
        nargs="+",
        metavar="key=value",
        help=_h(
            'ví dụ applicant.name="Nguyễn Văn An"; giá trị rỗng để xoá',
            'e.g. applicant.name="Nguyen Van An"; an empty value clears it',
        ),
    )
    add_json_flag(change)
    change.set_defaults(handler=_set)

    attach = inner.add_parser(
        "attach",
        help=_h("đính kèm tệp vào một thành phần hồ sơ", "attach files to a dossier component"),
    )
    attach.add_argument(
        "id",
        type=number,
        metavar="ID",
        help=_h("số hồ sơ (xem: dossier list)", "dossier number (see dossier list)"),
    )
    attach.add_argument(
        "component",
        metavar="COMPONENT",
        help=_h("mã thành phần hồ sơ, ví dụ TP1", "component code, e.g. TP1"),
    )
    attach.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help=_h("tệp cần đính kèm", "files")
    )
    add_json_flag(attach)
    attach.set_defaults(handler=_attach)

    detach = inner.add_parser(
        "detach",
        help=_h(
            "gỡ một tệp đính kèm (số của tệp xem bằng dossier show)",
            "remove one attachment (see its number in dossier show)",
        ),
    )
    detach.add_argument(
        "id",
        type=number,
        metavar="ID",
        help=_h("số hồ sơ (xem: dossier list)", "dossier number (see dossier list)"),
    )
    detach.add_argument(
        "attachment",
        type=number,
        metavar="ATTACHMENT",
        help=_h("số của tệp đính kèm", "attachment number"),
    )
    add_json_flag(detach)
    detach.set_defaults(handler=_detach)

    check = inner.add_parser(
        "validate",
        help=_h(
            "kiểm tra hồ sơ, báo mọi lỗi một lần (mã thoát 1 khi còn lỗi)",
            "every problem at once (exit 1 when errors)",
        ),
    )
    check.add_argument(
        "id",
        type=number,
        metavar="ID",
        help=_h("số hồ sơ (xem: dossier list)", "dossier number (see dossier list)"),
    )
    add_json_flag(check)
    check.set_defaults(handler=_validate)

    ready = inner.add_parser(
        "ready",
        help=_h(
            "đánh dấu hồ sơ hợp lệ là sẵn sàng để ký và nộp",
            "mark a valid dossier as ready to sign and submit",
        ),
    )
    ready.add_argument(
        "id",
        type=number,
        metavar="ID",
        help=_h("số hồ sơ (xem: dossier list)", "dossier number (see dossier list)"),
    )
    add_json_flag(ready)
    ready.set_defaults(handler=_ready)

    _add_neighbour_actions(inner)


def _add_neighbour_actions(inner: Any) -> None:
    """The `dossier` actions that live in their own modules (`dossier sign` lives with the
    signing commands in desktop/commands/dossier_sign.py)."""
    from desktop.commands.dossier_checklist import add_checklist_actions
    from desktop.commands.dossier_sign import add_sign_action
    from desktop.commands.office import add_audit_action

    add_sign_action(inner)
    add_audit_action(inner)
    add_repair_action(inner)
    add_edition_action(inner)
    add_checklist_actions(inner)


def _service(ctx: Context) -> DossierService:
    return ctx.workspace.dossiers


def _local(moment: datetime) -> str:
    """Stored times are UTC (SQLite keeps them naive); people read their own clock."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone():%d/%m/%Y %H:%M}"


def _state_label(state: str) -> str:
    """The state's Vietnamese label; with language=en, its code (DRAFT, READY…)."""
    if errors.language() == "en":
        return state
    return LABELS.get(State(state), state) if state in State.__members__ else state


def _new(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    dossier = service.create(args.procedure, args.case)
    procedure = service.procedure_of(dossier)
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Đã tạo hồ sơ số {dossier.id} ({_state_label(dossier.state)}) cho thủ tục "
            f"«{procedure.name}».\nTiếp theo: dvc-desk dossier set {dossier.id} "
            f'applicant.name="..." …, rồi dvc-desk dossier attach {dossier.id} <THÀNH PHẦN> '
            "<TỆP>.",
            f"Created dossier {dossier.id} ({dossier.state}) for the procedure "
            f"'{procedure.name}'.\nNext: dvc-desk dossier set {dossier.id} "
            f'applicant.name="..." …, then dvc-desk dossier attach {dossier.id} <COMPONENT> '
            "<FILE>.",
        ),
    )
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    rows = service.list(state=args.state, search=args.search, offset=args.offset, limit=args.limit)
    total = service.count(state=args.state, search=args.search)

    def text() -> str:
        if not rows:
            return _h("Không có hồ sơ nào khớp.", "No dossier matches.")
        lines = [
            _h(
                f"{'Số':>6}  {'Trạng thái':<14} {'Cập nhật':<16} Tệp  Người nộp — Thủ tục",
                f"{'No.':>6}  {'State':<14} {'Updated':<16} Files Applicant — Procedure",
            )
        ]
        nameless = _h("(chưa có tên)", "(no name yet)")
        for row in rows:
            lines.append(
                f"{row.id:>6}  {_state_label(row.state):<14} "
                f"{_local(row.updated_at)} {row.file_count:>3}  "
                f"{row.applicant_name or nameless} — {row.procedure_name}"
            )
        lines.append(
            _h(
                f"Hiển thị {len(rows)} / {total} hồ sơ.",
                f"Showing {len(rows)} of {total} dossiers.",
            )
        )
        return "\n".join(lines)

    ctx.emit({"total": total, "rows": [asdict(r) for r in rows]}, text)
    return 0


def _show(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    dossier = service.get(args.id)
    procedure = service.procedure_of(dossier)
    history = service.history(args.id)
    data = {
        **dossier.as_dict(),
        "procedure_name": procedure.name,
        "history": [asdict(h) for h in history],
    }

    items = service.checklist_items(args.id)
    newer = service.newer_edition(args.id)
    data["checklist"] = [
        {"component": i.spec.code, "name": i.spec.name, "status": i.status} for i in items
    ]
    data["newer_edition"] = (
        None if newer is None else {"current": newer.current, "changes": newer.diff.lines()}
    )

    def text() -> str:
        lines = [
            _describe(dossier, procedure, checklist_lines(items, newer)),
            _h("Lịch sử:", "History:"),
        ]
        lines += [
            f"  {_local(h.at)}  {h.from_state or '—'} → {h.to_state}  {h.note}" for h in history
        ]
        return "\n".join(lines)

    ctx.emit(data, text)
    return 0


def _party_lines(title: str, party: Party) -> list[str]:
    if party.kind == "organisation":
        kind = _h("tổ chức", "organisation")
    else:
        kind = _h("cá nhân", "person")
    rows = [
        (_h("Họ tên / tên", "Name"), party.name),
        (_h("Số CCCD", "ID card number"), party.id_number),
        (_h("Ngày sinh", "Date of birth"), display_date(party.date_of_birth)),
        (_h("Giới tính", "Gender"), party.gender),
        (_h("Điện thoại", "Phone"), party.phone),
        (_h("Thư điện tử", "Email"), party.email),
        (_h("Địa chỉ", "Address"), party.address.one_line()),
        (_h("Mã số thuế", "Tax code"), party.tax_code),
        (_h("Người đại diện", "Representative"), party.representative),
    ]
    return [f"{title} ({kind}):"] + [f"  {label}: {value}" for label, value in rows if value]


def _describe(dossier: Dossier, procedure: Procedure, checklist: list[str]) -> str:
    state = _state_label(dossier.state)
    lines = [
        _h(
            f"Hồ sơ số {dossier.id} — {state} (phiên bản {dossier.version})",
            f"Dossier {dossier.id} — {state} (version {dossier.version})",
        ),
        _h("Thủ tục: ", "Procedure: ") + procedure.name,
    ]
    if dossier.procedure_edition is not None:
        lines.append(_h("Ấn bản thủ tục: ", "Procedure edition: ") + str(dossier.procedure_edition))
    chosen = procedure.case(dossier.case_code) if dossier.case_code else None
    if chosen is not None:
        lines.append(_h("Trường hợp: ", "Case: ") + f"{chosen.code}. {chosen.name}")
    elif procedure.cases:
        lines.append(
            _h(
                "Trường hợp: CHƯA CHỌN (dvc-desk dossier case ID MÃ)",
                "Case: NOT CHOSEN (dvc-desk dossier case ID CODE)",
            )
        )
    if dossier.receipt_no:
        lines.append(_h("Số biên nhận: ", "Receipt number: ") + dossier.receipt_no)
    if dossier.portal_state:
        code = dossier.portal_state
        portal = _h(str(PORTAL_STATES.get(code)), str(PORTAL_STATES_EN.get(code, code)))
        lines.append(_h("Trạng thái trên cổng: ", "State on the portal: ") + portal)
    lines += _party_lines(_h("Chủ hồ sơ", "Applicant"), dossier.applicant)
    if dossier.submitter is not None:
        lines += _party_lines(_h("Người nộp", "Submitter"), dossier.submitter)
    if dossier.delivery.collect_at_home:
        where = dossier.delivery.collect_address.one_line()
        lines.append(_h("Thu gom tại nhà: ", "Collected at home: ") + where)
    if dossier.delivery.return_by_post:
        where = dossier.delivery.return_address.one_line()
        lines.append(_h("Trả kết quả qua bưu điện: ", "Result returned by post: ") + where)
    lines += checklist
    if dossier.notes:
        lines.append(_h("Ghi chú: ", "Notes: ") + dossier.notes)
    return "\n".join(lines)


def _set(args: argparse.Namespace, ctx: Context) -> int:
    values: dict[str, str] = {}
    for text in args.assignments:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise UserError(E_BAD_ASSIGNMENT, text=safe_text(text))
        values[key.strip()] = value
    dossier = _service(ctx).set_fields(args.id, values)
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Đã cập nhật {len(values)} trường của hồ sơ số {dossier.id} "
            f"({_state_label(dossier.state)}).",
            f"Updated {len(values)} field(s) of dossier {dossier.id} ({dossier.state}).",
        ),
    )
    return 0


def _attach(args: argparse.Namespace, ctx: Context) -> int:
    def progress(p: Progress) -> None:
        if not ctx.json and p.total and p.done == p.total:
            ctx.err.write(_h(f"  đã chép {p.label}\n", f"  copied {p.label}\n"))

    before = {a.id for a in _service(ctx).get(args.id).attachments}
    dossier = _service(ctx).attach(args.id, args.component, args.files, progress=progress)
    added = [a for a in dossier.attachments if a.id not in before]
    # The verdict stored with each file, said now rather than first at validation.
    flags = [_problem_line(p) for item in added for p in attachment_problems(item)]
    head = _h(
        f"Đã đính kèm {len(added)} tệp vào thành phần {args.component} của hồ sơ số {dossier.id}.",
        f"Attached {len(added)} file(s) to component {args.component} of dossier {dossier.id}.",
    )
    ctx.emit(
        {"dossier": dossier.as_dict(), "added": [asdict(a) for a in added]},
        "\n".join(
            [head]
            + [f"  #{a.id} {a.name} ({a.media_type}, {a.size:,} byte)" for a in added]
            + flags
        ),
    )
    return 0


def _detach(args: argparse.Namespace, ctx: Context) -> int:
    dossier = _service(ctx).detach(args.id, args.attachment)
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Đã gỡ tệp #{args.attachment} khỏi hồ sơ số {dossier.id}.",
            f"Removed file #{args.attachment} from dossier {dossier.id}.",
        ),
    )
    return 0


def _validate(args: argparse.Namespace, ctx: Context) -> int:
    problems = _service(ctx).validate(args.id)
    errors = [p for p in problems if p.severity == ERROR]

    def text() -> str:
        if not problems:
            return _h(
                f"Hồ sơ số {args.id} hợp lệ, không còn thiếu gì.",
                f"Dossier {args.id} is valid; nothing is missing.",
            )
        notes = len(problems) - len(errors)
        lines = [
            _h(
                f"Hồ sơ số {args.id}: {len(errors)} lỗi, {notes} lưu ý.",
                f"Dossier {args.id}: {len(errors)} error(s), {notes} note(s).",
            )
        ]
        lines += [_problem_line(p) for p in problems]
        return "\n".join(lines)

    ctx.emit({"ok": not errors, "problems": [p.as_dict() for p in problems]}, text)
    return 1 if errors else 0


def _problem_line(problem: Problem) -> str:
    mark = _h("Lỗi", "Error") if problem.severity == ERROR else _h("Lưu ý", "Note")
    return f"  - {mark} [{problem.field}] {problem.message()}"


def _ready(args: argparse.Namespace, ctx: Context) -> int:
    dossier = _service(ctx).mark_ready(args.id)
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Hồ sơ số {dossier.id} đã sẵn sàng để ký số và nộp.",
            f"Dossier {dossier.id} is ready to be signed and submitted.",
        ),
    )
    return 0
