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
from desktop.commands.index import summary
from desktop.errors import IntegrityError, UserError
from desktop.signing.errors import E_NO_SIGNATURES, E_SIGNATURES_INVALID

if TYPE_CHECKING:
    from desktop.commands.context import Context
    from desktop.signing.verifier import SignatureReport

# Each problem and modification in the clerk's words: (Vietnamese, English).
_PROBLEMS = {
    "content_changed": ("nội dung đã bị sửa sau khi ký", "the content was changed after signing"),
    "bad_signature": (
        "chữ ký không khớp với chứng thư số",
        "the signature does not match the certificate",
    ),
    "untrusted": (
        "chưa xác định được nguồn tin cậy (chưa có chứng thư gốc nào được tin cậy: "
        "thêm chứng thư gốc của nhà cung cấp bằng --trust hoặc chép vào thư mục trust)",
        "not authenticated (no root certificate is trusted yet: add the provider's root "
        "with --trust or copy it into the trust folder)",
    ),
    "path_not_found": (
        "không dựng được chuỗi chứng thư từ người ký đến một chứng thư gốc "
        "tin cậy: thiếu chứng thư trung gian của nhà cung cấp, hoặc chứng thư gốc của nhà "
        "cung cấp này chưa được tin cậy",
        "no certificate chain from the signer to a trusted root: the provider's "
        "intermediate certificate is missing, or this provider's root is not trusted",
    ),
    "weak_algorithm": (
        "chữ ký dùng thuật toán hoặc độ dài khoá không còn an toàn (ví dụ SHA-1); "
        "không được chấp nhận",
        "the signature uses an algorithm or key length that is no longer safe (e.g. SHA-1); "
        "not accepted",
    ),
    "revoked": (
        "chứng thư số (hoặc chứng thư của nhà cung cấp) đã bị thu hồi",
        "the certificate (or the provider's certificate) was revoked",
    ),
    "expired": (
        "chứng thư số đã hết hạn vào lúc ký",
        "the certificate had expired when it signed",
    ),
    "expired_after_signing": (
        "chứng thư số đã hết hạn sau khi ký; tệp không có dữ liệu xác "
        "thực dài hạn (PAdES B-LT) để chứng minh chữ ký còn hiệu lực",
        "the certificate expired after signing; the file has no long-term validation data "
        "(PAdES B-LT) to prove the signature still holds",
    ),
    "not_yet_valid": (
        "chứng thư số chưa có hiệu lực vào lúc ký",
        "the certificate was not yet valid when it signed",
    ),
    "key_usage": (
        "chứng thư số không được phép dùng để ký số (mục đích sử dụng khoá)",
        "the certificate may not be used for digital signatures (key usage)",
    ),
    "revocation_unknown": (
        "không có dữ liệu thu hồi (OCSP/CRL) hợp lệ để kiểm tra chứng thư",
        "no valid revocation data (OCSP/CRL) to check the certificate",
    ),
    "certificate_problem": (
        "chứng thư số không hợp lệ theo chuỗi chứng thư",
        "the certificate is not valid along its chain",
    ),
    "timestamp_invalid": (
        "dấu thời gian KHÔNG hợp lệ (không khớp với chữ ký hoặc bị hỏng): "
        "thời gian ký không được chứng minh",
        "the timestamp is NOT valid (does not match the signature, or damaged): "
        "the signing time is not proven",
    ),
    "timestamp_untrusted": (
        "dấu thời gian do máy chủ chưa được tin cậy cấp",
        "the timestamp comes from a server that is not trusted",
    ),
    "disallowed_changes": (
        "có thay đổi sau khi ký mà chữ ký không cho phép",
        "changes after signing that the signature does not allow",
    ),
    "unreadable_signature": (
        "không đọc được chữ ký (dữ liệu chữ ký bị hỏng hoặc sai định dạng); "
        "các chữ ký khác vẫn được kiểm tra riêng",
        "the signature cannot be read (its data is damaged or malformed); "
        "the other signatures are still checked one by one",
    ),
}
_MODIFICATIONS = {
    "none": ("không có", "none"),
    "signatures": ("chỉ thêm dữ liệu xác thực", "only validation data added"),
    "metadata": (
        "sửa thông tin mô tả tệp (tiêu đề, tác giả…), không sửa nội dung trang",
        "the file's description (title, author…) changed, not the pages",
    ),
    "form_filling": ("điền biểu mẫu / thêm chữ ký", "form filled in / signature added"),
    "annotations": ("thêm ghi chú", "annotations added"),
    "other": ("thay đổi nội dung", "content changed"),
}


def _words(table: dict[str, tuple[str, str]], key: str) -> str:
    return _h(*table[key]) if key in table else key


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("verify", help=summary("verify"))
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
        return _h("KHÔNG ĐỌC ĐƯỢC", "UNREADABLE")
    if not sig.ok:
        return _h("KHÔNG HỢP LỆ", "NOT VALID")
    if not sig.trusted:
        return _h(
            "HỢP LỆ về toàn vẹn, CHƯA XÁC THỰC nguồn tin cậy",
            "VALID as to integrity, NOT AUTHENTICATED as to its source",
        )
    return _h("HỢP LỆ", "VALID")


def _describe(index: int, sig: SignatureReport) -> str:
    stamp = ""
    if sig.timestamp_time:
        shown = "" if sig.timestamp_valid is not False else _h(", KHÔNG hợp lệ", ", NOT valid")
        stamp = _h(" (dấu thời gian: ", " (timestamp: ") + f"{sig.timestamp_time}{shown})"
    if sig.kind == "document_timestamp":
        lines = [
            _h("Dấu thời gian tài liệu", "Document timestamp") + f" {index}: {_verdict(sig)}",
            _h("  Máy chủ dấu thời gian: ", "  Timestamp server: ")
            + f"{sig.signer or '?'} — {sig.organisation or '?'}",
            _h("  Cấp bởi: ", "  Issued by: ") + f"{sig.issuer or '?'}",
            _h("  Thời điểm: ", "  Time: ") + f"{sig.timestamp_time or '?'}",
        ]
    else:
        lines = [
            _h("Chữ ký", "Signature") + f" {index}: {_verdict(sig)}",
            _h("  Người ký: ", "  Signer: ") + f"{sig.signer or '?'} — {sig.organisation or '?'}",
            _h("  Cấp bởi: ", "  Issued by: ") + f"{sig.issuer or '?'}",
            _h("  Thời gian ký: ", "  Signed at: ")
            + f"{sig.signing_time or sig.timestamp_time or '?'}"
            + stamp,
        ]
    if sig.level:
        lines.append(
            _h("  Mức chữ ký: ", "  Signature level: ")
            + f"{'PAdES ' if sig.level != 'PKCS7' else ''}{sig.level}"
        )
    covers = (
        _h("toàn bộ tệp", "the whole file")
        if sig.covers_whole_file
        else _h("một phiên bản trước", "an earlier version")
    )
    lines += [
        _h("  Phạm vi: ", "  Covers: ") + covers,
        _h("  Thay đổi sau khi ký: ", "  Changes after signing: ")
        + _words(_MODIFICATIONS, sig.modifications),
    ]
    lines += [f"  ! {_words(_PROBLEMS, p)}" for p in sig.problems]
    return "\n".join(lines)


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.commands.sign import read_secret
    from desktop.signing.verifier import load_trust, verify_pdf

    password = None
    if args.password_stdin:
        password = read_secret(args, "--password-stdin", _h("mật khẩu tệp PDF", "PDF password"), "")
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
