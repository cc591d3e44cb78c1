"""`dvc-desk verify FILE [--trust CA.pem]... [--json]`.

Exit 0 when every signature is valid (with no trusted root at all, a sound signature is
shown as not authenticated, and still 0), 4 when any signature is not valid (changed,
unreadable, weak algorithm, revoked, expired, key usage, no path to a trusted root,
invalid timestamp) or the file was changed in a way its signatures forbid, 1 when the
file cannot be used (not a PDF, damaged, no signature, wrong password).
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
    "untrusted": "chưa xác định được nguồn tin cậy (chưa có chứng thư gốc nào được tin cậy: "
    "thêm chứng thư gốc của nhà cung cấp bằng --trust hoặc chép vào thư mục trust)",
    "path_not_found": "không dựng được chuỗi chứng thư từ người ký đến một chứng thư gốc "
    "tin cậy: thiếu chứng thư trung gian của nhà cung cấp, hoặc chứng thư gốc của nhà "
    "cung cấp này chưa được tin cậy",
    "weak_algorithm": "chữ ký dùng thuật toán hoặc độ dài khoá không còn an toàn (ví dụ SHA-1); "
    "không được chấp nhận",
    "revoked": "chứng thư số (hoặc chứng thư của nhà cung cấp) đã bị thu hồi",
    "expired": "chứng thư số đã hết hạn vào lúc ký",
    "expired_after_signing": "chứng thư số đã hết hạn sau khi ký; tệp không có dữ liệu xác "
    "thực dài hạn (PAdES B-LT) để chứng minh chữ ký còn hiệu lực",
    "not_yet_valid": "chứng thư số chưa có hiệu lực vào lúc ký",
    "key_usage": "chứng thư số không được phép dùng để ký số (mục đích sử dụng khoá)",
    "revocation_unknown": "không có dữ liệu thu hồi (OCSP/CRL) hợp lệ để kiểm tra chứng thư",
    "certificate_problem": "chứng thư số không hợp lệ theo chuỗi chứng thư",
    "timestamp_invalid": "dấu thời gian KHÔNG hợp lệ (không khớp với chữ ký hoặc bị hỏng): "
    "thời gian ký không được chứng minh",
    "timestamp_untrusted": "dấu thời gian do máy chủ chưa được tin cậy cấp",
    "disallowed_changes": "có thay đổi sau khi ký mà chữ ký không cho phép",
    "unreadable_signature": "không đọc được chữ ký (dữ liệu chữ ký bị hỏng hoặc sai định dạng); "
    "các chữ ký khác vẫn được kiểm tra riêng",
}
_MODIFICATIONS = {
    "none": "không có",
    "signatures": "chỉ thêm dữ liệu xác thực",
    "metadata": "sửa thông tin mô tả tệp (tiêu đề, tác giả…), không sửa nội dung trang",
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


def _verdict(sig: SignatureReport) -> str:
    if "unreadable_signature" in sig.problems:
        return "KHÔNG ĐỌC ĐƯỢC"
    if not sig.ok:
        return "KHÔNG HỢP LỆ"
    if not sig.trusted:
        return "HỢP LỆ về toàn vẹn, CHƯA XÁC THỰC nguồn tin cậy"
    return "HỢP LỆ"


def _describe(index: int, sig: SignatureReport) -> str:
    what = "Dấu thời gian tài liệu" if sig.kind == "document_timestamp" else "Chữ ký"
    stamp = ""
    if sig.timestamp_time:
        shown = "" if sig.timestamp_valid is not False else ", KHÔNG hợp lệ"
        stamp = f" (dấu thời gian: {sig.timestamp_time}{shown})"
    if sig.kind == "document_timestamp":
        lines = [
            f"{what} {index}: {_verdict(sig)}",
            f"  Máy chủ dấu thời gian: {sig.signer or '?'} — {sig.organisation or '?'}",
            f"  Cấp bởi: {sig.issuer or '?'}",
            f"  Thời điểm: {sig.timestamp_time or '?'}",
        ]
    else:
        lines = [
            f"{what} {index}: {_verdict(sig)}",
            f"  Người ký: {sig.signer or '?'} — {sig.organisation or '?'}",
            f"  Cấp bởi: {sig.issuer or '?'}",
            f"  Thời gian ký: {sig.signing_time or sig.timestamp_time or '?'}" + stamp,
        ]
    if sig.level:
        lines.append(f"  Mức chữ ký: {'PAdES ' if sig.level != 'PKCS7' else ''}{sig.level}")
    lines += [
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
