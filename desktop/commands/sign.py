"""`dvc-desk sign IN.pdf -o OUT.pdf ...` and `dvc-desk certs list`.

Secrets (the .p12 password, the token PIN, a PDF's password) come only from standard
input (`--password-stdin`, `--pin-stdin`, `--pdf-password-stdin`, one line each, in
that order) or from a prompt, never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.commands.sign_jobs import add_remote_options, is_push
from desktop.errors import UserError, language
from desktop.settings import PKCS11_MODULES
from desktop.signing.errors import E_NO_KEY_SOURCE, E_NO_MODULE, E_NO_SECRET, E_NO_TOKEN
from desktop.signing.modules import find_modules
from desktop.signing.names import COPY_FORMS, POSITIONS

if TYPE_CHECKING:
    from desktop.commands.context import Context
    from desktop.signing.certs import CertificateInfo
    from desktop.signing.defaults import StampDefaults
    from desktop.signing.keys import SigningKey
    from desktop.signing.signer import SignOptions, SignResult
    from desktop.signing.stamp import StampSpec

# pyHanko, cryptography and python-pkcs11 are imported inside the handlers: every
# other command starts faster without them. Signing a loose file reads the settings and
# the trust folder through `ctx.data_dir`: no database, no SQLAlchemy.


def add_key_options(parser: argparse.ArgumentParser) -> None:
    """The certificate options shared by `sign`, `certs list` and `dossier sign`."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--p12",
        type=Path,
        metavar="FILE",
        help=_h("tệp chứng thư số PKCS#12 (.p12/.pfx)", "PKCS#12 file (.p12/.pfx)"),
    )
    source.add_argument(
        "--pkcs11",
        metavar="MODULE",
        help=_h(
            "thư viện PKCS#11 (.so/.dll) trong trình điều khiển token của nhà cung cấp chứng thư, "
            "hoặc 'auto' để tìm ở các chỗ quen thuộc",
            "token library (.so/.dll) of the CA's driver, or 'auto' to search known places",
        ),
    )
    parser.add_argument(
        "--token",
        metavar="LABEL",
        help=_h("nhãn token khi đang cắm nhiều token", "token label when several are plugged"),
    )
    parser.add_argument(
        "--key-id",
        metavar="HEX",
        help=_h("CKA_ID của khoá (xem: certs list)", "CKA_ID of the key (see certs list)"),
    )
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin",
        action="store_true",
        help=_h(
            "đọc mật khẩu tệp .p12 từ đầu vào chuẩn (stdin)", "read the .p12 password from stdin"
        ),
    )
    secret.add_argument(
        "--pin-stdin",
        action="store_true",
        help=_h("đọc mã PIN của token từ đầu vào chuẩn (stdin)", "read the token PIN from stdin"),
    )


def add_stamp_options(parser: argparse.ArgumentParser) -> None:
    """Visible stamp and signing options shared by `sign` and `dossier sign`.

    Without any stamp option the default stamp (settings `default_stamp*`) is used."""
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--visible",
        action="store_true",
        help=_h("hiện dấu chữ ký theo Nghị định 30/2020", "draw the ND30 (Decree 30/2020) stamp"),
    )
    shown.add_argument(
        "--invisible",
        action="store_true",
        help=_h(
            "không hiện dấu chữ ký trên trang, dù thiết lập default_stamp là gì",
            "no stamp on the page, whatever the default_stamp setting says",
        ),
    )
    parser.add_argument(
        "--page",
        type=int,
        metavar="N",
        help=_h("trang đặt dấu chữ ký (mặc định 1)", "page of the stamp (default 1)"),
    )
    parser.add_argument(
        "--rect",
        metavar="x1,y1,x2,y2",
        help=_h("khung dấu chữ ký, đơn vị point (1/72 inch)", "stamp rectangle in points"),
    )
    parser.add_argument(
        "--position",
        choices=POSITIONS,
        help=_h("vị trí đặt sẵn cho dấu chữ ký", "named place for the stamp"),
    )
    parser.add_argument(
        "--signature-image",
        type=Path,
        metavar="PNG",
        help=_h("ảnh chữ ký (màu xanh)", "signature image (blue)"),
    )
    parser.add_argument(
        "--seal",
        type=Path,
        metavar="PNG",
        help=_h("ảnh con dấu (màu đỏ) của cơ quan", "red seal of the agency"),
    )
    parser.add_argument(
        "--copy-form",
        choices=COPY_FORMS,
        help=_h(
            "dấu hình thức bản sao điện tử (góc trên bên phải trang 1)",
            "electronic-copy mark (top right of page 1)",
        ),
    )
    parser.add_argument(
        "--copy-agency",
        metavar="NAME",
        help=_h("tên cơ quan thực hiện sao", "agency making the copy"),
    )
    parser.add_argument(
        "--tsa",
        metavar="URL",
        help=_h("máy chủ cấp dấu thời gian (PAdES B-T)", "timestamp server (PAdES B-T)"),
    )
    parser.add_argument(
        "--level",
        choices=("B-B", "B-T", "B-LT", "B-LTA"),
        help=_h(
            "mức chữ ký PAdES (mặc định B-T khi có --tsa, không thì B-B); B-LT nhúng dữ liệu "
            "thu hồi OCSP/CRL của cả chuỗi chứng thư, B-LTA thêm dấu thời gian tài liệu",
            "PAdES level (default B-T with --tsa, else B-B); B-LT embeds the chain's OCSP/CRL "
            "revocation data, B-LTA adds a document timestamp",
        ),
    )
    parser.add_argument(
        "--allow-no-timestamp",
        action="store_true",
        help=_h(
            "vẫn ký mức B-B khi không kết nối được máy chủ dấu thời gian",
            "sign B-B when the timestamp server cannot be reached",
        ),
    )
    parser.add_argument(
        "--repair",
        action="store_true",
        help=_h(
            "sửa tệp PDF bị hỏng (CHƯA ký) trước khi ký",
            "rewrite a damaged UNSIGNED PDF before signing",
        ),
    )
    parser.add_argument(
        "--reason", help=_h("lý do ghi trong chữ ký", "reason recorded in the signature")
    )
    parser.add_argument(
        "--location", help=_h("nơi ký ghi trong chữ ký", "place recorded in the signature")
    )


def register(subparsers: Any) -> None:
    sign = subparsers.add_parser(
        "sign",
        help=summary("sign"),
    )
    sign.add_argument(
        "input", type=Path, metavar="IN.pdf", help=_h("tệp PDF cần ký", "PDF to sign")
    )
    sign.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT.pdf",
        help=_h("tệp PDF đã ký", "signed PDF"),
    )
    add_key_options(sign)
    add_remote_options(sign)
    add_stamp_options(sign)
    sign.add_argument(
        "--pdf-password-stdin",
        action="store_true",
        help=_h(
            "đọc mật khẩu của chính tệp PDF từ đầu vào chuẩn (stdin)",
            "read the PDF's own password from stdin",
        ),
    )
    add_json_flag(sign)
    sign.set_defaults(handler=_sign)

    certs = subparsers.add_parser(
        "certs",
        help=summary("certs"),
    )
    inner = certs.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = inner.add_parser(
        "list",
        help=_h(
            "liệt kê chứng thư số: hạn dùng, mục đích sử dụng, CKA_ID",
            "certificates with validity, usage and CKA_ID",
        ),
    )
    add_key_options(listing)
    listing.add_argument(
        "--remote",
        metavar="NAME",
        help=_h("chứng thư ở dịch vụ ký số từ xa", "the certificate at a remote signing service"),
    )
    listing.add_argument(
        "--user", metavar="ID", help=_h("số định danh của người ký", "the signer's ID number")
    )
    add_json_flag(listing)
    listing.set_defaults(handler=_certs_list)


def read_secret(args: argparse.Namespace, flag: str, what: str, prompt: str) -> str:
    """One line from stdin when `flag` is set, else a prompt that does not echo."""
    if getattr(args, flag.lstrip("-").replace("-", "_"), False):
        line = sys.stdin.readline().rstrip("\r\n")
    else:
        line = getpass.getpass(prompt)
    if not line:
        raise UserError(E_NO_SECRET, what=what, flag=flag)
    return line


def trust_of(ctx: Context) -> tuple[Any, ...]:
    """The certificates of the data dir's trust folder (roots and intermediates)."""
    from desktop.signing.verifier import load_trust

    return tuple(load_trust(ctx.data_dir.paths.trust))


def read_p12_password(args: argparse.Namespace) -> str:
    """The .p12 password; an empty line is allowed (a file made without a password)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(
        _h(
            "Mật khẩu .p12 (Enter nếu tệp không có mật khẩu): ",
            ".p12 password (Enter if the file has none): ",
        )
    )


def configured_modules(ctx: Context) -> list[Path]:
    """Module files from the `pkcs11_modules` setting, then the known candidates."""
    configured: list[Any] = ctx.data_dir.settings.get(PKCS11_MODULES)
    return find_modules([str(p) for p in configured])


def resolve_module(args: argparse.Namespace, ctx: Context) -> Path:
    """`--pkcs11 MODULE`, or with `auto` the module whose token holds the certificate
    chosen by --token / --key-id, among every configured and known module."""
    from desktop.signing.tokens import find_token_module, parse_key_id

    if args.pkcs11 != "auto":
        return Path(args.pkcs11)
    found = configured_modules(ctx)
    if not found:
        raise UserError(E_NO_MODULE)
    return find_token_module(found, args.token, parse_key_id(args.key_id))


@contextmanager
def open_key(args: argparse.Namespace, ctx: Context) -> Iterator[SigningKey]:
    """The signing key chosen by the options; a token session closes on exit. The key
    is opened by `desktop.signing.sources.open_key`, as in the window."""
    from desktop.signing import sources

    extra = list(trust_of(ctx))
    if getattr(args, "remote", None):
        from desktop.commands.sign_jobs import open_csc

        with open_csc(args, ctx) as csc_key:
            csc_key.complete_chain(extra)
            yield csc_key
        return
    if args.p12 is not None:
        source = sources.KeySource(sources.P12, str(args.p12))
        secret = read_p12_password(args)
    elif args.pkcs11 is None:
        raise UserError(E_NO_KEY_SOURCE)
    else:
        module = resolve_module(args, ctx)
        source = sources.KeySource(sources.TOKEN, str(module), args.token or "", args.key_id or "")
        secret = read_secret(
            args,
            "--pin-stdin",
            _h("mã PIN của token", "token PIN"),
            _h("Mã PIN token: ", "Token PIN: "),
        )
    with sources.open_key(source, secret) as key:
        key.complete_chain(extra)
        yield key


def stamp_from(args: argparse.Namespace, defaults: StampDefaults | None = None) -> StampSpec | None:
    """The stamp the options ask for; with none of them, the default stamp."""
    from desktop.signing.defaults import default_stamp
    from desktop.signing.stamp import StampSpec, parse_rect

    page = args.page or 1
    explicit = (
        args.invisible, args.visible, args.rect, args.position, args.signature_image,
        args.seal, args.copy_form, args.copy_agency,
    )  # fmt: skip
    if defaults is not None and not any(explicit):
        return default_stamp(defaults, page=page)
    if args.invisible:
        return None
    rect = parse_rect(args.rect) if args.rect else None
    if args.copy_form:
        return StampSpec(
            kind="copy",
            page=page,
            rect=rect,
            position=args.position,
            copy_form=args.copy_form,
            copy_agency=args.copy_agency or "",
        )
    wants = args.visible or rect or args.position or args.signature_image or args.seal
    if not wants:
        return None
    return StampSpec(
        page=page,
        rect=rect,
        position=args.position,
        signature_image=args.signature_image,
        seal_image=args.seal,
    )


def options_from(
    args: argparse.Namespace,
    pdf_password: str | None = None,
    defaults: StampDefaults | None = None,
    trust: tuple[Any, ...] = (),
) -> SignOptions:
    from desktop.signing.signer import SignOptions

    return SignOptions(
        level=args.level,
        trust=trust,
        stamp=stamp_from(args, defaults),
        pdf_password=pdf_password,
        tsa_url=args.tsa,
        allow_no_timestamp=args.allow_no_timestamp,
        repair=args.repair,
        reason=args.reason,
        location=args.location,
    )


def describe_result(result: SignResult) -> str:
    lines = [
        _h(f"Đã ký: {result.output}", f"Signed: {result.output}"),
        _h(
            f"  Người ký: {result.signer} — {result.organisation}",
            f"  Signer: {result.signer} — {result.organisation}",
        ),
        _h(
            f"  Thời gian: {result.signed_at}  Chuẩn: PAdES {result.level}",
            f"  Time: {result.signed_at}  Level: PAdES {result.level}",
        ),
    ]
    if result.repaired:
        from desktop.filecheck import damage
        from desktop.filecheck.pdf import inspect_pdf  # pikepdf: only for this line

        # The original is unchanged, so its verdict names what the rewrite mended.
        what = damage.describe(inspect_pdf(Path(result.source)).damage, language())
        lines.append(
            _h(
                f"  Tệp gốc bị lỗi đã được sửa (ghi lại) trước khi ký; lỗi đã sửa: {what}. "
                "Tệp gốc vẫn giữ nguyên.",
                f"  The damaged original was repaired (rewritten) before signing; mended: "
                f"{what}. The original is kept as it was.",
            )
        )
    if result.timestamp_skipped:
        why = {
            "signing.tsa_unreachable": (
                "máy chủ dấu thời gian không kết nối được",
                "the timestamp server could not be reached",
            ),
            "signing.tsa_refused": (
                "máy chủ dấu thời gian từ chối cấp",
                "the timestamp server refused",
            ),
            "signing.tsa_imprint": (
                "dấu thời gian trả về không khớp với chữ ký",
                "the timestamp returned does not match the signature",
            ),
            "signing.tsa_nonce": (
                "câu trả lời của máy chủ không đúng yêu cầu (nonce)",
                "the server's answer does not match the request (nonce)",
            ),
            "signing.tsa_signer": (
                "dấu thời gian không được ký hợp lệ",
                "the timestamp is not validly signed",
            ),
        }.get(
            result.timestamp_problem,
            ("máy chủ dấu thời gian không dùng được", "the timestamp server cannot be used"),
        )
        lines.append(
            _h(
                f"  Không có dấu thời gian (chỉ mức B-B): {why[0]}.",
                f"  No timestamp (level B-B only): {why[1]}.",
            )
        )
    return "\n".join(lines)


def _sign(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.signing.defaults import stamp_defaults
    from desktop.signing.signer import sign_pdf

    defaults = stamp_defaults(ctx.data_dir.settings)
    options_from(args, defaults=defaults)  # a bad option or default image: before any prompt
    if is_push(args, ctx):
        from desktop.commands.sign_jobs import start_file

        return start_file(args, ctx, options_from(args, None, defaults, trust_of(ctx)))
    with open_key(args, ctx) as key:
        pdf_password = None
        if args.pdf_password_stdin:
            pdf_password = read_secret(
                args, "--pdf-password-stdin", _h("mật khẩu tệp PDF", "PDF password"), ""
            )
        options = options_from(args, pdf_password, defaults, trust_of(ctx))
        result = sign_pdf(args.input, args.output, key, options)
    ctx.emit(result.as_dict(), describe_result(result))
    return 0


def _expiry(row: dict[str, Any]) -> str:
    now = datetime.now(UTC)
    if datetime.fromisoformat(row["not_after"]) < now:
        return _h("  (ĐÃ HẾT HẠN)", "  (EXPIRED)")
    if datetime.fromisoformat(row["not_before"]) > now:
        return _h("  (CHƯA CÓ HIỆU LỰC)", "  (NOT YET VALID)")
    return ""


def _cannot_sign(row: dict[str, Any]) -> str:
    if row.get("can_sign", True):
        return ""
    if row.get("is_ca"):
        return _h(
            "\n  (chứng thư của nhà cung cấp (CA), không dùng để ký)",
            "\n  (a provider's (CA) certificate, not for signing)",
        )
    return _h(
        "\n  (không có khoá bí mật đi kèm, không dùng để ký)",
        "\n  (no private key beside it, not for signing)",
    )


def _tokens_or_none(module: Path) -> list[Any]:
    """The tokens of `module`; a module that cannot load has none (it is named later)."""
    from desktop.signing.tokens import list_tokens

    try:
        return list_tokens(module)
    except UserError:
        return []


def _judged(info: CertificateInfo) -> dict[str, Any]:
    """A certificate's facts and `problem`: the error code of why it may not sign now
    (`signing_problem`, the window's judgement too), or None."""
    from desktop.signing.certs import signing_problem

    problem = signing_problem(info)
    return {**info.as_dict(), "problem": problem.code if problem is not None else None}


def _certs_list(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.signing.pkcs12 import load_p12
    from desktop.signing.tokens import list_certificates

    rows: list[dict[str, Any]] = []
    if args.remote or args.user:
        from desktop.commands.sign_jobs import service_of
        from desktop.signing.certs import describe
        from desktop.signing.remote.lookup import find_certificate

        service = service_of(args, ctx)
        held = describe(find_certificate(service, args.user))
        rows.append({"source": f"remote:{service.name}", "token": None, **_judged(held)})
    elif args.p12 is not None:
        key = load_p12(args.p12, read_p12_password(args))
        rows.append({"source": str(args.p12), "token": None, **_judged(key.info)})
    else:
        modules = (
            [Path(args.pkcs11)] if args.pkcs11 not in (None, "auto") else configured_modules(ctx)
        )
        if not modules:
            raise UserError(E_NO_MODULE)
        if args.token is not None and not any(
            t.label == args.token for m in modules for t in _tokens_or_none(m)
        ):
            raise UserError(E_NO_TOKEN, label_part=f" «{args.token}»")
        for module in modules:
            for token, cert in list_certificates(module, args.token):
                rows.append({"source": str(module), "token": token.as_dict(), **_judged(cert)})

    def text() -> str:
        if not rows:
            return _h("Không có chứng thư số nào.", "No certificate.")
        out = []
        for row in rows:
            where = row["token"]["label"] if row["token"] else row["source"]
            usage = ", ".join(row["key_usage"]) or _h("(không giới hạn)", "(unrestricted)")
            if where.startswith("remote:"):
                where = _h(
                    f"ký số từ xa, dịch vụ «{where[7:]}»", f"remote signing, service '{where[7:]}'"
                )
            out.append(
                f"{row['common_name']} — {row['organisation']}\n"
                + _h("  Nơi lưu: ", "  Kept in: ")
                + f"{where}  CKA_ID: {row['key_id'] or '-'}\n"
                + _h("  Nhà cung cấp: ", "  Provider: ")
                + f"{row['issuer']}\n"
                + _h("  Hiệu lực: ", "  Valid: ")
                + f"{row['not_before']} → {row['not_after']}{_expiry(row)}\n"
                + _h("  Mục đích khoá: ", "  Key usage: ")
                + usage
                + _cannot_sign(row)
            )
        return "\n".join(out)

    ctx.emit(rows, text)
    return 0
