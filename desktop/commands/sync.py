"""`dvc-desk submit`, `withdraw`, `sync`, `status`: the outbox from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any, cast

from desktop.commands.context import Context, _h, add_json_flag, number
from desktop.commands.index import summary
from desktop.dossier.states import PORTAL_STATES, PORTAL_STATES_EN
from desktop.errors import TransientError, UserError, define, render
from desktop.events import CatalogImported, Event
from desktop.portal.adapter import KINDS
from desktop.portal.errors import UnsupportedError
from desktop.settings import PORTAL_URL
from desktop.sync.engine import Engine
from desktop.sync.factory import open_engine
from desktop.sync.items import ACTIVE, OutboxEntry, state_word
from desktop.sync.payments import Payments
from desktop.sync.status import portal_view

E_STILL_WAITING = define(
    "sync.still_waiting",
    vi=(
        "Còn {count} hồ sơ chưa gửi được vì chưa kết nối được cổng {portal}. "
        "Hồ sơ vẫn an toàn trong hàng chờ; hãy chạy lại «dvc-desk sync» khi có mạng."
    ),
    en="{count} dossier(s) are still waiting: {portal} cannot be reached. Run sync again later.",
)

E_NEEDS_PERSON = define(
    "sync.needs_person",
    vi="{count} hồ sơ đã dừng gửi và cần người xử lý. {first}",
    en="{count} dossier(s) stopped and need a person. {first}",
)


def _add_adapter(parser: Any) -> None:
    parser.add_argument(
        "--adapter",
        choices=KINDS,
        default=None,
        help=_h(
            "kiểu kết nối cổng: v1 (API v1) hoặc lgsp (nền tảng tích hợp LGSP/NGSP); mặc định "
            "theo hồ sơ cổng đang chọn (dvc-desk account portals)",
            "portal adapter: v1 (API v1) or lgsp (LGSP/NGSP integration platform); default: "
            "the chosen portal profile's (dvc-desk account portals)",
        ),
    )


def register(subparsers: Any) -> None:
    submit = subparsers.add_parser(
        "submit",
        help=summary("submit"),
    )
    submit.add_argument("id", type=number, help=_h("số hồ sơ", "dossier number"))
    add_json_flag(submit)
    submit.set_defaults(handler=_submit)

    withdraw = subparsers.add_parser(
        "withdraw",
        help=summary("withdraw"),
    )
    withdraw.add_argument("id", type=number, help=_h("số hồ sơ", "dossier number"))
    add_json_flag(withdraw)
    withdraw.set_defaults(handler=_withdraw)

    sync = subparsers.add_parser(
        "sync",
        help=summary("sync"),
    )
    sync.add_argument(
        "--once",
        action="store_true",
        help=_h("gửi những gì đã đến lượt rồi thoát", "send what is due now, then exit"),
    )
    sync.add_argument(
        "--portal",
        metavar="URL",
        help=_h(
            "địa chỉ cổng (mặc định: thiết lập portal_url)",
            "portal base URL (default: the portal_url setting)",
        ),
    )
    sync.add_argument(
        "--username",
        help=_h(
            "tài khoản trên cổng (mặc định: tài khoản đã đăng nhập)",
            "portal account (default: the logged-in one)",
        ),
    )
    _add_adapter(sync)
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help=_h(
            "đọc mật khẩu tài khoản từ đầu vào chuẩn (stdin)",
            "read the account password from stdin",
        ),
    )
    add_json_flag(sync)
    sync.set_defaults(handler=_sync)

    pay = subparsers.add_parser(
        "pay",
        help=summary("pay"),
    )
    pay.add_argument("id", type=number, help=_h("số hồ sơ", "dossier number"))
    pay.add_argument(
        "--fee",
        action="append",
        default=[],
        help=_h("chỉ khoản phí có mã này (dùng được nhiều lần)", "only this fee id (repeatable)"),
    )
    pay.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help=_h(
            "ngừng theo dõi sau TIMEOUT giây (mặc định 900)",
            "stop following after TIMEOUT seconds (default 900)",
        ),
    )
    pay.add_argument(
        "--portal",
        metavar="URL",
        help=_h(
            "địa chỉ cổng (mặc định: thiết lập portal_url)",
            "portal base URL (default: the portal_url setting)",
        ),
    )
    pay.add_argument(
        "--username",
        help=_h(
            "tài khoản trên cổng (mặc định: tài khoản đã đăng nhập)",
            "portal account (default: the logged-in one)",
        ),
    )
    pay.add_argument(
        "--password-stdin",
        action="store_true",
        help=_h(
            "đọc mật khẩu tài khoản từ đầu vào chuẩn (stdin)",
            "read the account password from stdin",
        ),
    )
    add_json_flag(pay)
    _add_adapter(pay)
    pay.set_defaults(handler=_pay)

    status = subparsers.add_parser(
        "status",
        help=summary("status"),
    )
    status.add_argument("id", type=number, help=_h("số hồ sơ", "dossier number"))
    add_json_flag(status)
    status.set_defaults(handler=_status)


def _describe(entry: OutboxEntry) -> str:
    label = state_word(entry.state)
    lines = [
        _h("Hồ sơ ", "Dossier ") + f"{entry.dossier_id}: {label}",
        _h("  Mã hồ sơ trên cổng: ", "  Portal dossier code: ") + str(entry.uuid),
        _h("  Đã gửi: ", "  Sent: ") + f"{entry.bytes_sent:,} / {entry.bytes_total:,} byte",
        _h("  Số lần thử: ", "  Attempts: ") + str(entry.attempts),
    ]
    if entry.receipt_no:
        lines.append(_h("  Số biên nhận: ", "  Receipt number: ") + entry.receipt_no)
    if entry.appointment_date:
        lines.append(_h("  Ngày hẹn trả kết quả: ", "  Result due on: ") + entry.appointment_date)
    if entry.state in ACTIVE and entry.last_error_code:
        last = render(entry.last_error_code, entry.last_error_params or {})
        lines.append(_h("  Lỗi gần nhất: ", "  Last error: ") + last)
        lines.append(
            _h("  Thử lại lúc: ", "  Next attempt: ")
            + f"{entry.next_attempt_at:%Y-%m-%d %H:%M:%S} (UTC)"
        )
    if entry.state == "STOPPED" and entry.last_error_code:
        lines.append(f"  {render(entry.last_error_code, entry.last_error_params or {})}")
    return "\n".join(lines)


def _submit(args: argparse.Namespace, ctx: Context) -> int:
    entry = ctx.workspace.outbox.submit(args.id)
    ctx.emit(
        entry.as_dict(),
        _h(
            f"Đã đưa hồ sơ {args.id} vào hàng chờ gửi (mã {entry.uuid}). "
            "Hồ sơ sẽ tự gửi khi có mạng; chạy «dvc-desk sync» để gửi ngay.",
            f"Queued dossier {args.id} for sending (code {entry.uuid}). It is sent by itself "
            "when there is a network; run 'dvc-desk sync' to send it now.",
        ),
    )
    return 0


def _withdraw(args: argparse.Namespace, ctx: Context) -> int:
    dossier = ctx.workspace.outbox.withdraw(args.id)
    ctx.emit(
        dossier.as_dict(),
        _h(
            f"Đã rút hồ sơ {args.id}. Phiên bản mới để sửa là hồ sơ {dossier.id} (nháp).",
            f"Withdrew dossier {args.id}. The new version to edit is dossier {dossier.id} (draft).",
        ),
    )
    return 0


def build_engine(
    ctx: Context,
    portal: str,
    username: str | None,
    password: str | None,
    kind: str | None = None,
) -> Engine:
    ws = ctx.workspace
    return open_engine(
        ws.db, ws.store, ws.paths, ws.events, outbox=ws.outbox, portal=portal,
        username=username, password=password, kind=kind,
    )  # fmt: skip


def _sync(args: argparse.Namespace, ctx: Context) -> int:
    portal = (args.portal or ctx.workspace.settings.get(PORTAL_URL)).rstrip("/")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    engine = build_engine(ctx, portal, args.username, password, args.adapter)
    changed: list[str] = []

    def catalog_changed(event: Event) -> None:
        if isinstance(event, CatalogImported):
            changed.extend(event.changed_keys)

    ctx.workspace.events.subscribe(CatalogImported, catalog_changed)
    try:
        engine.sync_now()  # the clerk asked for it: retry at once, resume stopped logins
        if args.once:
            engine.run_once()
            engine.poll(force=True)
        else:
            ctx.err.write(
                _h(
                    f"Đang đồng bộ với {portal}; bấm Ctrl+C để dừng.\n",
                    f"Syncing with {portal}; press Ctrl+C to stop.\n",
                )
            )
            engine.start()
            try:
                while True:
                    engine.join(3600)
            finally:
                engine.stop()
    finally:
        engine.close()
    entries = ctx.workspace.outbox.entries()
    waiting = [e for e in entries if e.state in ACTIVE]
    keys = f"{', '.join(changed[:10])}{'…' if len(changed) > 10 else ''}"
    catalog_line = (
        _h(
            f"Danh mục thủ tục: {len(changed)} thủ tục mới hoặc có ấn bản mới ({keys}).\n",
            f"Procedure catalog: {len(changed)} procedure(s) new or with a new edition ({keys}).\n",
        )
        if changed
        else ""
    )
    ctx.emit(
        {
            "items": [e.as_dict() for e in entries],
            "waiting": len(waiting),
            "catalog_changed": changed,
        },
        catalog_line
        + (
            "\n".join(_describe(e) for e in entries) or _h("Hàng chờ trống.", "The queue is empty.")
        ),
    )
    stopped = [e for e in entries if e.state == "STOPPED"]
    if stopped:
        first = stopped[0]
        raise UserError(
            E_NEEDS_PERSON,
            count=len(stopped),
            first=render(first.last_error_code or "", first.last_error_params or {}),
        )
    if waiting:
        raise TransientError(E_STILL_WAITING, count=len(waiting), portal=portal)
    return 0


def _pay(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.office.roles import Action

    # Before the portal is asked for a payment: a refusal after it would leave one there.
    ctx.workspace.office.require(Action.PAY)
    portal = (args.portal or ctx.workspace.settings.get(PORTAL_URL)).rstrip("/")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    engine = build_engine(ctx, portal, args.username, password, args.adapter)
    ws = ctx.workspace
    try:
        if not engine.capabilities.payments:
            # Said before anything is sent: this portal's adapter has no payment service.
            raise UnsupportedError(portal, engine.portal.kind, "thanh toán trực tuyến / payments")
        engine.poll(force=True)  # fees as the portal knows them now
        payments = Payments(ws.db, ws.store, ws.paths, ws.events, engine.portal)
        started = payments.start(args.id, args.fee)
        ctx.err.write(
            _h(
                f"Mở liên kết sau trong trình duyệt để thanh toán {started.amount:,} đồng:\n"
                f"  {started.payment_url}\nĐang chờ kết quả thanh toán...\n",
                f"Open this link in a browser to pay {started.amount:,} VND:\n"
                f"  {started.payment_url}\nWaiting for the payment's outcome...\n",
            )
        )
        ctx.err.flush()
        final = payments.follow(started.ref, timeout=args.timeout)
    finally:
        engine.close()
    labels = {
        "paid": _h("Đã thanh toán", "Paid"),
        "cancelled": _h("Đã huỷ", "Cancelled"),
        "pending": _h("Chưa thanh toán xong", "Not paid yet"),
    }
    text = _h(
        f"{labels[final.state]}: giao dịch {final.ref}, {final.amount:,} đồng.",
        f"{labels[final.state]}: transaction {final.ref}, {final.amount:,} VND.",
    )
    if final.receipt_sha256:
        code = final.receipt_sha256[:12]
        text += _h(f" Biên lai đã lưu (mã {code}).", f" Receipt kept (code {code}).")
    ctx.emit(dict(final.__dict__), text)
    return 0 if final.state == "paid" else 1


def _status(args: argparse.Namespace, ctx: Context) -> int:
    dossier = ctx.workspace.dossiers.get(args.id)
    try:
        entry: OutboxEntry | None = ctx.workspace.outbox.entry(args.id)
    except UserError:
        # Submitted by another office (a transfer bundle): its return bundle brought the
        # portal's status here, but this PC has no outbox item for it.
        if dossier.portal_state is None:
            raise
        entry = None
    data: dict[str, Any] = {
        "dossier_id": dossier.id,
        "state": dossier.state,
        "portal_state": dossier.portal_state,
        "portal_state_name": PORTAL_STATES.get(dossier.portal_state or 0),
        "receipt_no": dossier.receipt_no,
        "outbox": entry.as_dict() if entry else None,
    }
    portal = portal_view(ctx.workspace.db, dossier.id)
    data.update(portal)
    lines = [_describe(entry)] if entry else [f"Hồ sơ {dossier.id}: đã nộp qua đơn vị khác"]
    if dossier.receipt_no and entry is None:
        lines.append(f"  Số biên nhận: {dossier.receipt_no}")
    if dossier.portal_state:
        name = _h(str(data["portal_state_name"]), PORTAL_STATES_EN.get(dossier.portal_state, ""))
        lines.append(
            _h("  Trạng thái trên cổng: ", "  State on the portal: ")
            + f"{dossier.portal_state} · {name}"
        )
    for h in cast(list[dict[str, Any]], portal["history"]):
        lines.append(
            f"    {h['at']:%Y-%m-%d %H:%M} {h['state']} · {h['state_name']} {h['note'] or ''}"
        )
    for f in cast(list[dict[str, Any]], portal["fees"]):
        paid = (
            _h("đã nộp", "paid")
            if f["paid"]
            else _h("CHƯA NỘP (dvc-desk pay)", "NOT PAID (dvc-desk pay)")
        )
        lines.append(
            _h(
                f"  Phí: {f['description']}: {f['amount']:,} đồng, {paid}",
                f"  Fee: {f['description']}: {f['amount']:,} VND, {paid}",
            )
        )
    for r in cast(list[dict[str, Any]], portal["supplement_requests"]):
        draft = r["draft_dossier_id"]
        lines.append(
            _h(
                f"  Yêu cầu bổ sung: {r['note']} (bản nháp bổ sung: hồ sơ {draft})",
                f"  Supplement requested: {r['note']} (supplement draft: dossier {draft})",
            )
        )
    for r in cast(list[dict[str, Any]], portal["results"]):
        sign = {
            True: _h("chữ ký số hợp lệ", "signature valid"),
            False: _h("CHỮ KÝ KHÔNG HỢP LỆ", "SIGNATURE NOT VALID"),
            None: _h("chưa kiểm tra", "not checked"),
        }
        lines.append(
            _h("  Kết quả: ", "  Result: ") + f"{r['name']} ({sign[r['signature_valid']]})"
        )
    ctx.emit(data, "\n".join(lines))
    return 0
