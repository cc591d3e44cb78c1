"""`dvc-desk bundle export|import|inspect|take-back|id`: dossiers carried on a USB stick.

bundle export (--dossiers 12,15 | --state SIGNED) -o FILE.dvcb <certificate options>
bundle export --returns-for WORKSPACE -o FILE.dvcb <certificate options>
bundle import FILE.dvcb [--trust-signer FINGERPRINT]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.commands.sign import add_key_options, open_key

if TYPE_CHECKING:
    from desktop.bundles.importer import ImportResult
    from desktop.commands.context import Context
    from desktop.progress import Progress


def register(subparsers: Any) -> None:
    bundle = subparsers.add_parser(
        "bundle",
        help=summary("bundle"),
    )
    inner = bundle.add_subparsers(dest="action", metavar="ACTION", required=True)

    export = inner.add_parser(
        "export",
        help=_h(
            "ghi các hồ sơ (hoặc kết quả trả về) vào một gói đã ký số",
            "write dossiers (or their returns) into a signed bundle",
        ),
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--dossiers", metavar="12,15", help=_h("số các hồ sơ cần chuyển", "dossier numbers")
    )
    which.add_argument(
        "--state",
        metavar="STATE",
        help=_h("mọi hồ sơ ở trạng thái này (READY, SIGNED)", "every dossier in this state"),
    )
    which.add_argument(
        "--returns-for",
        metavar="WORKSPACE",
        help=_h(
            "gói trả về: biên nhận, trạng thái, phí, yêu cầu bổ sung, kết quả của hồ sơ "
            "nhận từ máy này",
            "return bundle: receipts, status, fees, supplement requests, results of the "
            "dossiers received from that workspace",
        ),
    )
    export.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.dvcb",
        help=_h("tệp gói cần ghi (ví dụ trên USB)", "bundle file to write (e.g. on the stick)"),
    )  # fmt: skip
    export.add_argument(
        "--part-size", default="4G", metavar="SIZE",
        help=_h(
            "chia gói thành nhiều phần không quá SIZE (mặc định 4G: giới hạn của USB FAT32)",
            "split into parts of at most SIZE (default 4G: the FAT32 limit)",
        ),
    )  # fmt: skip
    add_key_options(export)
    add_json_flag(export)
    export.set_defaults(handler=_export)

    take_in = inner.add_parser(
        "import",
        help=_h(
            "nhập một gói: kiểm tra chữ ký và mọi tệp rồi đưa hồ sơ vào hàng chờ gửi",
            "import a bundle: check its signature and every file, then queue its dossiers",
        ),
    )
    take_in.add_argument("file", type=Path, metavar="FILE.dvcb")
    take_in.add_argument(
        "--trust-signer", metavar="FINGERPRINT",
        help=_h(
            "tin người ký gói này (vân tay SHA-256 được in khi nhập lần đầu, ít nhất 16 ký tự)",
            "trust this bundle's signer (the SHA-256 fingerprint shown, at least 16 digits)",
        ),
    )  # fmt: skip
    add_json_flag(take_in)
    take_in.set_defaults(handler=_import)

    inspect = inner.add_parser(
        "inspect",
        help=_h("xem ai ký gói, lúc nào, bao nhiêu hồ sơ", "who signed a bundle, when, how many"),
    )
    inspect.add_argument("file", type=Path, metavar="FILE.dvcb")
    add_json_flag(inspect)
    inspect.set_defaults(handler=_inspect)

    back = inner.add_parser(
        "take-back",
        help=_h(
            "lấy lại hồ sơ đã chuyển đi để sửa hoặc nộp tại máy này (ghi vào lịch sử)",
            "take a handed-over dossier back to edit or submit it here (recorded)",
        ),
    )
    back.add_argument(
        "ids", type=int, nargs="+", metavar="ID", help=_h("số hồ sơ", "dossier numbers")
    )
    back.add_argument("--reason", default="", help=_h("lý do", "reason"))
    add_json_flag(back)
    back.set_defaults(handler=_take_back)

    ident = inner.add_parser(
        "id", help=_h("mã của máy này (ghi trong mọi gói)", "this workspace's id")
    )
    add_json_flag(ident)
    ident.set_defaults(handler=_id)


def _progress(ctx: Context) -> Any:
    shown = [-1]

    def report(update: Progress) -> None:
        if ctx.json or not update.total:
            return
        percent = update.done * 100 // update.total
        if percent // 10 != shown[0] // 10:
            shown[0] = percent
            ctx.err.write(f"  {percent}%\n")

    return report


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.bundles.export import parse_ids, parse_part_size

    workspace = ctx.workspace
    bundles = workspace.bundles
    part_size = parse_part_size(args.part_size)
    if args.returns_for:
        with open_key(args, ctx) as key:
            result = bundles.returns.export(
                args.returns_for.strip(), args.output, key, part_size=part_size,
                progress=_progress(ctx),
            )  # fmt: skip
        what = f"kết quả của {len(result.uuids)} hồ sơ"
    else:
        ids = bundles.exporter.select(
            parse_ids(args.dossiers) if args.dossiers else None, args.state
        )
        with open_key(args, ctx) as key:
            result = bundles.exporter.export(
                ids, args.output, key, part_size=part_size, progress=_progress(ctx)
            )
        what = f"{len(ids)} hồ sơ (" + ", ".join(str(i) for i in ids) + ")"

    def text() -> str:
        lines = [f"Đã ghi gói số {result.sequence}: {what}, {result.size:,} byte."]
        if len(result.parts) > 1:
            lines.append(f"Gói gồm {len(result.parts)} phần, hãy chép đủ tất cả:")
        lines += [f"  {p}" for p in result.parts]
        if not args.returns_for:
            lines.append("Các hồ sơ này đã được đánh dấu «Đã chuyển đi».")
        return "\n".join(lines)

    ctx.emit(result.as_dict(), text)
    return 0


def _import(args: argparse.Namespace, ctx: Context) -> int:
    bundles = ctx.workspace.bundles
    result = bundles.importer.import_bundle(
        args.file, trust_signer=args.trust_signer, progress=_progress(ctx)
    )
    ctx.emit(result.as_dict(), lambda: describe_import(result))
    return 0


def describe_import(result: ImportResult) -> str:
    if result.already_imported:
        return (
            f"Gói số {result.sequence} của máy {result.workspace} đã được nhập trước đây; "
            "không có gì thay đổi."
        )
    lines = []
    if result.trusted_now:
        lines.append(f"Đã ghi nhận tin cậy người ký «{result.signer}».")
    if result.kind == "returns":
        lines.append(f"Đã cập nhật {len(result.added)} hồ sơ theo kết quả từ nơi nộp.")
        if result.skipped:
            lines.append(f"{len(result.skipped)} hồ sơ trong gói không có ở máy này, bỏ qua.")
        return "\n".join(lines)
    ids = ", ".join(str(i) for i in result.dossier_ids)
    lines.append(
        f"Đã nhận {len(result.added)} hồ sơ vào hàng chờ gửi" + (f" (số {ids})." if ids else ".")
    )
    if result.skipped:
        lines.append(
            f"{len(result.skipped)} hồ sơ đã có ở máy này từ trước (nhận từ gói khác), "
            "không thay đổi gì."
        )
    lines.append(
        "Khi có kết quả, xuất gói trả về cho xã: "
        f"«dvc-desk bundle export --returns-for {result.workspace} -o TRA-VE.dvcb ...»."
    )
    return "\n".join(lines)


def _inspect(args: argparse.Namespace, ctx: Context) -> int:
    preview = ctx.workspace.bundles.importer.preview(args.file)

    def text() -> str:
        kind = "hồ sơ cần nộp" if preview.kind == "dossiers" else "kết quả trả về"
        trust = "đã tin cậy" if preview.trusted else "CHƯA tin cậy"
        lines = [
            f"Gói {kind} số {preview.sequence} của máy {preview.workspace}",
            f"  Ký bởi: {preview.signer} ({preview.organisation}) lúc {preview.created_at}",
            f"  Vân tay SHA-256: {preview.fingerprint} ({trust})",
            f"  Số hồ sơ: {preview.dossiers}; dung lượng {preview.size:,} byte",
        ]
        if preview.already_imported:
            lines.append("  Gói này đã được nhập trước đây.")
        return "\n".join(lines)

    ctx.emit(preview.as_dict(), text)
    return 0


def _take_back(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.dossier.states import LABELS, State

    dossiers = ctx.workspace.dossiers
    taken = []
    for dossier_id in args.ids:
        ctx.workspace.bundles.exporter.take_back(dossier_id, args.reason)
        taken.append(dossiers.get(dossier_id))
    ctx.emit(
        [{"id": d.id, "state": d.state} for d in taken],
        "\n".join(f"Đã lấy lại hồ sơ {d.id}; trạng thái: {LABELS[State(d.state)]}." for d in taken),
    )
    return 0


def _id(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.bundles import records
    from desktop.bundles.manifest import now_utc

    with ctx.workspace.db.session() as session:
        ident = records.workspace_id(session, now_utc())
    ctx.emit({"workspace": ident}, ident)
    return 0
