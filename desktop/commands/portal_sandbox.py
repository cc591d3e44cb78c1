"""`dvc-desk portal-sandbox [--host 127.0.0.1] [--port 8765] [--data DIR]`: the test portal.

The app's one door into the sandbox package (portal_sandbox/, an import-linter contract
keeps every other module out): the command and the window start it with `start_sandbox`,
and `run_key`, `own_sandbox`, `page_url` read what a running sandbox left in its data
folder. FastAPI and uvicorn are an optional extra (`pip install 'dvc-desk[sandbox]'`);
without them starting the sandbox says how to install them.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import secrets
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.commands.context import _h
from desktop.commands.index import summary
from desktop.errors import UserError, define
from desktop.portal.contract import (
    SANDBOX_IDENTITY_PATH,
    SANDBOX_RUN_KEY_FILE,
    sandbox_identity_proof,
)

if TYPE_CHECKING:
    from desktop.commands.context import Context

# The `sandbox` extra of pyproject.toml: what the sandbox needs beyond the app.
EXTRA_MODULES = frozenset({"fastapi", "starlette", "uvicorn", "multipart", "python_multipart"})

E_NO_SANDBOX_EXTRA = define(
    "sandbox.not_installed",
    vi=(
        "Cổng thử nghiệm cần các gói FastAPI và uvicorn, chưa được cài (thiếu «{module}»). "
        "Hãy cài bằng: pip install 'dvc-desk[sandbox]' (từ mã nguồn: make run) rồi thử lại."
    ),
    en=(
        "The sandbox portal needs FastAPI and uvicorn, which are not installed (missing "
        "'{module}'). Install them with: pip install 'dvc-desk[sandbox]' (from the source: "
        "make run), then try again."
    ),
)

E_FOREIGN_PORTAL = define(
    "sandbox.foreign_server",
    vi=(
        "Có một chương trình khác đang chạy ở {portal} nhưng không phải cổng thử nghiệm của "
        "dvc-desk với thư mục dữ liệu này, nên dvc-desk không gửi hồ sơ tới đó. Hãy dừng "
        "chương trình đó (hoặc chạy «dvc-desk portal-sandbox» với cùng thư mục dữ liệu), "
        "hoặc đổi địa chỉ cổng trong Cài đặt."
    ),
    en=(
        "Something else runs at {portal}, not the dvc-desk sandbox of this data folder, so "
        "no dossier is sent there. Stop it (or run `dvc-desk portal-sandbox` with the same "
        "data folder), or change the portal address in Settings."
    ),
)

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
    if not is_loopback(args.host) and not args.allow_remote:
        raise UserError(E_REMOTE_HOST, host=args.host)
    data = Path(args.data) if args.data else paths.resolve(args.data_dir).root / "sandbox"
    _sandbox_modules()  # before the port check: say first what is missing
    _check_bind(args.host, args.port)
    start_sandbox(
        data,
        args.host,
        args.port,
        access_token_ttl=args.token_ttl,
        max_file_size=args.upload_limit * 1024 * 1024,
        on_ready=lambda config: _banner(ctx, args.host, args.port, config),
    )
    return 0


def _banner(ctx: Context, host: str, port: int, config: Any) -> None:
    base = f"http://{host}:{port}"
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


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _sandbox_modules() -> tuple[ModuleType, ModuleType]:
    """portal_sandbox's config and server modules; a clear message without the extra."""
    try:
        from portal_sandbox import config, server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] in EXTRA_MODULES:
            raise UserError(E_NO_SANDBOX_EXTRA, module=exc.name) from None
        raise
    return config, server


def start_sandbox(
    data: Path,
    host: str,
    port: int,
    *,
    in_thread: bool = False,
    access_token_ttl: int | None = None,
    max_file_size: int | None = None,
    on_ready: Callable[[Any], None] | None = None,
) -> Any:
    """Start the sandbox portal with its data in `data`.

    In the foreground (the command) it serves until stopped (Ctrl+C) and returns None;
    `in_thread` (the window) it serves from a background thread and returns the running
    sandbox (its `url`, `stop()`). `on_ready(config)` is called before serving."""
    config_module, server_module = _sandbox_modules()
    options: dict[str, int] = {}
    if access_token_ttl is not None:
        options["access_token_ttl"] = access_token_ttl
    if max_file_size is not None:
        options["max_file_size"] = max_file_size
    config = config_module.SandboxConfig(data.expanduser().resolve(), **options)
    if in_thread:
        running = server_module.ThreadedSandbox(config, host=host, port=port).start()
        if on_ready is not None:
            on_ready(config)
        return running
    server = server_module.build_server(config, host, port)
    if on_ready is not None:
        on_ready(config)
    server.run()
    return None


def run_key(data_dir: Path) -> str | None:
    """The secret of the sandbox last started with its data in `data_dir`."""
    try:
        return (data_dir / SANDBOX_RUN_KEY_FILE).read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def own_sandbox(url: str, data_dir: Path) -> bool:
    """Whether what answers at `url` is the sandbox started with `data_dir` (it knows
    that run's secret); another local user's server posing as the portal does not."""
    import httpx

    key = run_key(data_dir)
    if key is None:
        return False
    nonce = secrets.token_hex(16)
    try:
        answer = httpx.get(
            f"{url.rstrip('/')}{SANDBOX_IDENTITY_PATH}", params={"nonce": nonce}, timeout=5
        ).json()
    except (httpx.HTTPError, ValueError):
        return False
    proof = answer.get("proof") if isinstance(answer, dict) else None
    return isinstance(proof, str) and hmac.compare_digest(proof, sandbox_identity_proof(key, nonce))


def page_url(url: str, data_dir: Path, path: str) -> str:
    """A protected page (officer console, mailbox) with this run's key, for the browser."""
    key = run_key(data_dir)
    return f"{url.rstrip('/')}{path}" + (f"?key={key}" if key else "")
