"""`dvc-desk portal-sandbox [--host 127.0.0.1] [--port 8765] [--data DIR]`: the test portal."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.commands.context import _h
from desktop.commands.index import summary
from desktop.errors import UserError, define

if TYPE_CHECKING:
    from desktop.commands.context import Context

E_REMOTE_HOST = define(
    "sandbox.remote_host",
    vi=(
        "Cổng thử nghiệm chỉ nên mở trên máy này (127.0.0.1), không phải «{host}»: nó không có "
        "mật khẩu quản trị. Nếu thật sự cần, thêm --allow-remote."
    ),
    en=(
        "The sandbox portal should only listen on this machine (127.0.0.1), not '{host}': it "
        "has no admin password. Add --allow-remote if you really mean it."
    ),
)

E_BIND_FAILED = define(
    "sandbox.bind_failed",
    vi=(
        "Không mở được cổng thử nghiệm ở {host}:{port} ({reason}): có thể một chương trình "
        "khác (hoặc một cổng thử nghiệm khác) đang dùng cổng này. Hãy dừng chương trình đó "
        "hoặc chọn cổng khác bằng --port."
    ),
    en=(
        "Cannot open the sandbox on {host}:{port} ({reason}): another program (or another "
        "sandbox) may be using that port. Stop it or choose another with --port."
    ),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "portal-sandbox",
        help=summary("portal-sandbox"),
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help=_h("địa chỉ lắng nghe (mặc định 127.0.0.1)", "address to listen on"),
    )
    parser.add_argument(
        "--port", type=int, default=8765, help=_h("cổng (mặc định 8765)", "port (default 8765)")
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help=_h(
            "dữ liệu của cổng thử nghiệm (mặc định: <thư mục dữ liệu>/sandbox)",
            "sandbox data (default: <data dir>/sandbox)",
        ),
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=_h(
            "cho phép địa chỉ khác 127.0.0.1 (cổng thử nghiệm không có mật khẩu quản trị)",
            "allow an address other than loopback",
        ),
    )
    parser.add_argument(
        "--token-ttl",
        type=int,
        default=900,
        metavar="SECONDS",
        help=_h(
            "thời hạn của mã truy cập, tính bằng giây (mặc định 900)",
            "access token lifetime in seconds (default 900)",
        ),
    )
    parser.add_argument(
        "--upload-limit",
        type=int,
        default=60,
        metavar="MB",
        help=_h(
            "dung lượng tối đa của một tệp tải lên, tính bằng MB (mặc định 60)",
            "largest file an upload may have, in MB (default 60)",
        ),
    )
    parser.set_defaults(handler=_serve)


def _check_bind(host: str, port: int) -> None:
    """Say so before the banner when the address cannot be bound (uvicorn would print
    the banner, then exit 3 as if the portal were unreachable)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(
                E_BIND_FAILED, host=host, port=port, reason=exc.strerror or str(exc)
            ) from None


def _serve(args: argparse.Namespace, ctx: Context) -> int:
    from portal_sandbox.config import SandboxConfig
    from portal_sandbox.server import build_server, is_loopback

    if not is_loopback(args.host) and not args.allow_remote:
        raise UserError(E_REMOTE_HOST, host=args.host)
    data = Path(args.data) if args.data else paths.resolve(args.data_dir).root / "sandbox"
    _check_bind(args.host, args.port)
    config = SandboxConfig(
        data.expanduser().resolve(),
        access_token_ttl=args.token_ttl,
        max_file_size=args.upload_limit * 1024 * 1024,
    )
    server = build_server(config, args.host, args.port)
    base = f"http://{args.host}:{args.port}"
    ctx.out.write(
        _h(
            f"Cổng thử nghiệm: {base}  (dữ liệu: {config.data_dir})\n"
            f"  Cán bộ xử lý:  {base}/sandbox/officer?key={config.secret}\n"
            f"  Hộp thư:       {base}/sandbox/mail?key={config.secret}\n"
            f"  Chứng thư số:  {base}/sandbox/pki?key={config.secret}\n"
            f"  Điện thoại:    {base}/sandbox/phone?key={config.secret}\n"
            "  (khoá ?key= đổi mỗi lần chạy; chỉ ai có nó mới mở được trang cán bộ, hộp thư, "
            "chứng thư số, điện thoại thử nghiệm và công tắc lỗi giả lập)\n"
            f"  API v1:        {base}/docs\n"
            f"  Chứng thư gốc thử nghiệm (để kiểm tra chữ ký kết quả): {config.pki / 'ca.pem'}\n"
            "Bấm Ctrl+C để dừng.\n",
            f"Sandbox portal: {base}  (data: {config.data_dir})\n"
            f"  Officer:       {base}/sandbox/officer?key={config.secret}\n"
            f"  Mailbox:       {base}/sandbox/mail?key={config.secret}\n"
            f"  Certificates:  {base}/sandbox/pki?key={config.secret}\n"
            f"  Test phone:    {base}/sandbox/phone?key={config.secret}\n"
            "  (the ?key= changes on every run; only who has it can open the officer pages, "
            "the mailbox, the certificates, the test phone and the fault switches)\n"
            f"  API v1:        {base}/docs\n"
            f"  Sandbox root certificate (to check result signatures): {config.pki / 'ca.pem'}\n"
            "Press Ctrl+C to stop.\n",
        )
    )
    ctx.out.flush()
    server.run()
    return 0
