"""Remote signing from the command line (issue #15):

    dvc-desk sign IN.pdf -o OUT.pdf --remote NAME --user ID [--no-wait]
    dvc-desk dossier sign ID --remote NAME --user ID [--no-wait]
    dvc-desk sign-jobs list | wait [JOB] | cancel JOB
    dvc-desk sign-jobs service add NAME --url URL --client-id ID [--kind push] [--secret-stdin]
    dvc-desk sign-jobs service list

A request waiting for the signer's phone is a durable job: interrupting the command (or
the machine) keeps it; `sign-jobs wait` picks it up again and completes it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.errors import UserError
from desktop.settings import REMOTE_SIGNING_SERVICES

if TYPE_CHECKING:
    from desktop.commands.context import Context
    from desktop.dossier.remote_sign import RemoteDossierSigning
    from desktop.signing.keys import SigningKey
    from desktop.signing.remote.jobs import JobView, RemoteJobs
    from desktop.signing.remote.services import Service

STATE_WORDS = {
    "WAITING": "đang chờ xác nhận",
    "SIGNED": "đã ký, chưa cập nhật hồ sơ",
    "DONE": "đã ký xong",
    "REFUSED": "người ký từ chối",
    "EXPIRED": "hết hạn",
    "CANCELLED": "đã huỷ",
    "FAILED": "lỗi",
}


def add_remote_options(parser: argparse.ArgumentParser) -> None:
    """`--remote NAME --user ID [--no-wait]` for `sign` and `dossier sign`."""
    parser.add_argument(
        "--remote",
        metavar="NAME",
        help=_h(
            "ký số từ xa qua dịch vụ đã cấu hình (xem: sign-jobs service list)",
            "sign at a configured trust service (see: sign-jobs service list)",
        ),
    )
    parser.add_argument(
        "--user",
        metavar="ID",
        help=_h(
            "số định danh (CCCD) của người ký tại dịch vụ ký số từ xa",
            "the signer's ID number at the remote signing service",
        ),
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help=_h(
            "gửi yêu cầu rồi thoát; hoàn tất sau bằng «sign-jobs wait»",
            "send the request and exit; finish later with 'sign-jobs wait'",
        ),
    )


def service_of(args: argparse.Namespace, ctx: Context) -> Service:
    from desktop.signing.remote.errors import E_REMOTE_OPTIONS
    from desktop.signing.remote.services import find_service

    if not args.remote or not args.user:
        raise UserError(E_REMOTE_OPTIONS)
    return find_service(ctx.workspace.settings.get(REMOTE_SIGNING_SERVICES), args.remote)


def is_push(args: argparse.Namespace, ctx: Context) -> bool:
    """--remote names a push-confirmation service (a durable job); a CSC service is a
    key like a .p12 or a token (`open_csc`)."""
    if not getattr(args, "remote", None) and not getattr(args, "user", None):
        return False
    return service_of(args, ctx).kind == "push"


@contextmanager
def open_csc(args: argparse.Namespace, ctx: Context) -> Iterator[SigningKey]:
    """The signer's certificate at a CSC service; the PIN/OTP asked once per command."""
    from desktop.commands.sign import read_secret
    from desktop.signing.remote.csc import CscClient, open_csc_key
    from desktop.signing.remote.services import client_secret

    service = service_of(args, ctx)
    client = CscClient(service, client_secret(service))
    try:
        pin = read_secret(args, "--pin-stdin", "mã PIN/OTP ký số từ xa", "Mã PIN/OTP: ")
        yield open_csc_key(client, args.user, pin)
    finally:
        client.close()


def remote(ctx: Context) -> RemoteDossierSigning:
    from desktop.commands.sign import trust_of
    from desktop.dossier.remote_sign import open_remote

    ws = ctx.workspace
    services = ws.settings.get(REMOTE_SIGNING_SERVICES)
    return open_remote(
        ws.db, ws.store, ws.paths.root, ws.paths.tmp, ws.events, services, trust_of(ctx)
    )


def remote_jobs(ctx: Context) -> RemoteJobs:
    return remote(ctx).jobs


def countdown(seconds: int) -> str:
    return f"Đang chờ xác nhận trên điện thoại (còn {seconds // 60}:{seconds % 60:02d})"


def describe(job: JobView) -> str:
    word = STATE_WORDS.get(job.state, job.state)
    head = f"Yêu cầu {job.id} [{job.service}] người ký {job.signer} ({job.user_id}): {word}"
    if job.state == "WAITING":
        head += f", còn {job.seconds_left() // 60}:{job.seconds_left() % 60:02d}"
    lines = [head]
    if job.dossier_id is not None:
        lines.append(f"  Hồ sơ {job.dossier_id}")
    lines += [f"  {src} → {out}" for src, out in zip(job.files, job.outputs, strict=True)]
    error = job.error()
    if error is not None and job.state not in {"DONE", "WAITING"}:
        lines.append(f"  {error.message()}")
    return "\n".join(lines)


def wait_job(ctx: Context, jobs: RemoteJobs, job_id: int) -> JobView:
    """Poll until the job ends, showing the countdown; a dossier job is adopted; an
    ended job that failed raises its error (exit 1). Ctrl+C leaves the job waiting."""
    from desktop.signing.remote.jobs import SIGNED, WAITING

    shown = [-1.0]

    def tick(job: JobView) -> None:
        now = time.monotonic()
        if job.state == WAITING and not ctx.json and now - shown[0] >= 10:
            shown[0] = now
            ctx.err.write(countdown(job.seconds_left()) + "\n")
            ctx.err.flush()

    try:
        job = jobs.wait(job_id, tick)
    except KeyboardInterrupt:
        ctx.err.write(
            f"Yêu cầu {job_id} vẫn được giữ; hoàn tất sau bằng «dvc-desk sign-jobs wait "
            f"{job_id}».\n"
        )
        raise
    if job.state == SIGNED and job.dossier_id is not None:
        dossier = ctx.workspace.dossiers.get(job.dossier_id)
        job = remote(ctx).settle(job, dossier)
    error = job.error()
    if job.state not in {"DONE", "WAITING"} and error is not None:
        raise error
    return job


def start_file(args: argparse.Namespace, ctx: Context, options: Any) -> int:
    """`sign IN -o OUT --remote NAME --user ID`."""
    service = service_of(args, ctx)
    jobs = remote_jobs(ctx)
    job = jobs.start(service, args.user, [(args.input, args.output)], options)
    return _follow(args, ctx, jobs, job)


def start_dossier(args: argparse.Namespace, ctx: Context, options: Any) -> int:
    """`dossier sign ID --remote NAME --user ID`: one confirmation for every PDF."""
    service = service_of(args, ctx)
    signing = remote(ctx)
    jobs = signing.jobs
    dossier = ctx.workspace.dossiers.get(args.id)
    job = signing.start(dossier, service, args.user, options)
    return _follow(args, ctx, jobs, job)


def _follow(args: argparse.Namespace, ctx: Context, jobs: RemoteJobs, job: JobView) -> int:
    if not ctx.json:
        ctx.err.write(
            f"Đã gửi yêu cầu {job.id} ({len(job.files)} tệp) tới «{job.service}», người ký "
            f"{job.signer}. Hãy mở ứng dụng trên điện thoại để xác nhận.\n"
        )
    if not args.no_wait:
        job = wait_job(ctx, jobs, job.id)
    ctx.emit(job.as_dict(), describe(job))
    return 0


def register(subparsers: Any) -> None:
    jobs = subparsers.add_parser(
        "sign-jobs",
        help=summary("sign-jobs"),
    )
    inner = jobs.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = inner.add_parser("list", help=_h("liệt kê các yêu cầu", "list the requests"))
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    wait = inner.add_parser(
        "wait",
        help=_h(
            "chờ và hoàn tất một yêu cầu (không có số: mọi yêu cầu đang chờ)",
            "wait for and finish a request (none given: every waiting one)",
        ),
    )
    wait.add_argument("id", type=int, nargs="?", metavar="JOB")
    add_json_flag(wait)
    wait.set_defaults(handler=_wait)
    cancel = inner.add_parser("cancel", help=_h("huỷ một yêu cầu đang chờ", "cancel a request"))
    cancel.add_argument("id", type=int, metavar="JOB")
    add_json_flag(cancel)
    cancel.set_defaults(handler=_cancel)

    service = inner.add_parser(
        "service", help=_h("dịch vụ ký số từ xa đã cấu hình", "configured trust services")
    )
    what = service.add_subparsers(dest="service_action", metavar="ACTION", required=True)
    add = what.add_parser(
        "add",
        help=_h(
            "thêm/sửa dịch vụ; mật khẩu tích hợp lưu trong kho khoá của hệ điều hành",
            "add or change a service; the client secret goes to the OS keyring",
        ),
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--kind", choices=("push", "csc"), default="push")
    add.add_argument("--url", required=True, metavar="URL")
    add.add_argument("--client-id", required=True, metavar="ID")
    add.add_argument(
        "--secret-stdin",
        action="store_true",
        help=_h("đọc mật khẩu tích hợp từ stdin", "read the client secret from stdin"),
    )
    add.set_defaults(handler=_service_add)
    shown = what.add_parser("list", help=_h("liệt kê dịch vụ", "list the services"))
    add_json_flag(shown)
    shown.set_defaults(handler=_service_list)


def _list(args: argparse.Namespace, ctx: Context) -> int:
    found = remote_jobs(ctx).jobs()
    ctx.emit(
        [j.as_dict() for j in found],
        lambda: "\n".join(describe(j) for j in found) or "Không có yêu cầu ký số từ xa nào.",
    )
    return 0


def _wait(args: argparse.Namespace, ctx: Context) -> int:
    jobs = remote_jobs(ctx)
    ids = [args.id] if args.id is not None else [j.id for j in jobs.jobs(open_only=True)]
    done = []
    for job_id in ids:
        done.append(wait_job(ctx, jobs, job_id))
    ctx.emit(
        [j.as_dict() for j in done],
        lambda: "\n".join(describe(j) for j in done) or "Không có yêu cầu nào đang chờ.",
    )
    return 0


def _cancel(args: argparse.Namespace, ctx: Context) -> int:
    job = remote_jobs(ctx).cancel(args.id)
    ctx.emit(job.as_dict(), describe(job))
    return 0


def _service_add(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.signing.remote.services import parse_service, store_secret

    entry = {"name": args.name, "kind": args.kind, "url": args.url, "client_id": args.client_id}
    service = parse_service(entry)
    if args.secret_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = getpass.getpass("Mật khẩu tích hợp (client secret): ")
    if secret:
        store_secret(service, secret)
    settings = ctx.workspace.settings
    current = [e for e in settings.get(REMOTE_SIGNING_SERVICES) if e.get("name") != args.name]
    settings.set(REMOTE_SIGNING_SERVICES, [*current, service.as_dict()])
    ctx.emit(service.as_dict(), f"Đã lưu dịch vụ ký số từ xa «{service.name}» ({service.url}).")
    return 0


def _service_list(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.signing.remote.services import parse_service

    found = [parse_service(e) for e in ctx.workspace.settings.get(REMOTE_SIGNING_SERVICES)]
    ctx.emit(
        [s.as_dict() for s in found],
        lambda: (
            "\n".join(f"{s.name} [{s.kind}] {s.url} client_id={s.client_id}" for s in found)
            or "Chưa cấu hình dịch vụ ký số từ xa nào."
        ),
    )
    return 0
