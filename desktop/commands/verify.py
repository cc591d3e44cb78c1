"""`dvc-desk verify FILE [--trust CA.pem]... [--json]`.

Exit 0 when every signature is sound (even if its root is not trusted: that is shown),
4 when a signature is invalid or the file was changed in a way its signatures forbid,
1 when the file cannot be used (not a PDF, damaged, no signature, wrong password).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.errors import IntegrityError, UserError
from desktop.signing.errors import E_NO_SIGNATURES, E_SIGNATURES_INVALID

if TYPE_CHECKING:
    from desktop.commands.context import Context
    from desktop.signing.verifier import SignatureReport

_PROBLEMS = {
    "content_changed": "nội dung đã bị sửa sau khi ký",
    "bad_signature": "chữ ký không khớp với chứng thư số",
    "untrusted": "chưa xác định được nguồn tin cậy (thiếu chứng thư gốc: thêm bằng --trust "
    "hoặc chép vào thư mục trust)",
    "disallowed_changes": "có thay đổi sau khi ký mà chữ ký không cho phép",
    "unreadable_signature": "không đọc được chữ ký",
}
_MODIFICATIONS = {
    "none": "không có",
    "signatures": "chỉ thêm dữ liệu xác thực",
    "form_filling": "điền biểu mẫu / thêm chữ ký",
    "annotations": "thêm ghi chú",
    "other": "thay đổi nội dung",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify", help=_h("kiểm tra chữ ký số của một tệp PDF", "check the signatures of a PDF")
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE.pdf", help=_h("tệp PDF cần kiểm tra", "PDF to check")
    )
    parser.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help=_h(
            "chứng thư gốc được tin cậy (ngoài thư mục trust trong thư mục dữ liệu); "
            "dùng được nhiều lần",
            "trusted root certificate (besides the data dir's trust folder); repeatable",
        ),
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_h(
            "đọc mật khẩu của tệp PDF từ đầu vào chuẩn (stdin)",
            "read the PDF's password from stdin",
        ),
    )
    add_json_flag(parser)
    parser.set_defaults(handler=_verify)


def _describe(index: int, sig: SignatureReport) -> str:
    verdict = "HỢP LỆ" if sig.ok else "KHÔNG HỢP LỆ"
    if sig.ok and not sig.trusted:
        verdict = "HỢP LỆ về toàn vẹn, CHƯA XÁC THỰC nguồn tin cậy"
    lines = [
        f"Chữ ký {index}: {verdict}",
        f"  Người ký: {sig.signer or '?'} — {sig.organisation or '?'}",
        f"  Cấp bởi: {sig.issuer or '?'}",
        f"  Thời gian ký: {sig.signing_time or '?'}"
        + (f" (dấu thời gian: {sig.timestamp_time})" if sig.timestamp_time else ""),
        "  Phạm vi: " + ("toàn bộ tệp" if sig.covers_whole_file else "một phiên bản trước"),
        f"  Thay đổi sau khi ký: {_MODIFICATIONS.get(sig.modifications, sig.modifications)}",
    ]
    lines += [f"  ! {_PROBLEMS.get(p, p)}" for p in sig.problems]
    return "\n".join(lines)


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.commands.sign import read_secret
    from desktop.signing.verifier import load_trust, verify_pdf

    password = None
    if args.password_stdin:
        password = read_secret(args, "--password-stdin", "mật khẩu tệp PDF", "")
    trust = load_trust(ctx.workspace.paths.trust, args.trust)
    report = verify_pdf(args.file, trust, password)
    if not report.signatures:
        raise UserError(E_NO_SIGNATURES, path=str(args.file))
    ctx.emit(
        report.as_dict(),
        lambda: "\n".join(_describe(i, s) for i, s in enumerate(report.signatures, 1)),
    )
    if not report.ok:
        if not ctx.json:
            ctx.err.write(
                f"dvc-desk: {IntegrityError(E_SIGNATURES_INVALID, path=str(args.file))}\n"
            )
        return IntegrityError.exit_code
    return 0
