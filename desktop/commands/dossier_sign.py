"""`dvc-desk dossier sign ID (--p12 FILE | --pkcs11 MODULE ...) [stamp options]`.

Registered into the `dossier` command by `desktop.commands.dossier.register`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag, number
from desktop.commands.sign import (
    add_key_options,
    add_stamp_options,
    open_key,
    options_from,
    trust_of,
)
from desktop.commands.sign_jobs import add_remote_options, is_push

if TYPE_CHECKING:
    from desktop.commands.context import Context


def add_sign_action(inner: Any) -> None:
    """Add `sign` to the `dossier` sub-commands."""
    sign = inner.add_parser(
        "sign",
        help=_h(
            "ký mọi tệp PDF của một hồ sơ READY, chỉ nhập PIN một lần (→ SIGNED)",
            "sign every PDF of a READY dossier with one PIN entry (→ SIGNED)",
        ),
    )
    sign.add_argument("id", type=number, metavar="ID", help=_h("số hồ sơ", "dossier number"))
    add_key_options(sign)
    add_remote_options(sign)
    add_stamp_options(sign)
    add_json_flag(sign)
    sign.set_defaults(handler=_sign)


def _sign(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.dossier.sign import DossierSigning
    from desktop.office.roles import Action
    from desktop.signing.defaults import stamp_defaults

    workspace = ctx.workspace
    workspace.office.require(Action.SIGN)  # before a PIN is asked or a file signed
    dossier = workspace.dossiers.get(args.id)
    trust = trust_of(ctx)
    signing = DossierSigning(
        workspace.db, workspace.store, workspace.paths.tmp, workspace.events, trust
    )

    def progress_line(update: Any) -> None:
        if update.label and not ctx.json:
            step = f"{update.done + 1}/{update.total}: {update.label}"
            ctx.err.write(_h(f"  ký {step}\n", f"  signing {step}\n"))

    # Built before the PIN prompt: a bad option or default image is refused first.
    options = options_from(args, defaults=stamp_defaults(workspace.settings), trust=trust)
    if is_push(args, ctx):
        from desktop.commands.sign_jobs import start_dossier

        return start_dossier(args, ctx, options)
    with open_key(args, ctx) as key:
        report = signing.sign(dossier, key, options, progress=progress_line)

    def text() -> str:
        count = len(report.outcomes)
        lines = [
            _h(
                f"Đã ký số hồ sơ {report.dossier.id}: {count} tệp PDF.",
                f"Signed dossier {report.dossier.id}: {count} PDF file(s).",
            )
        ]
        lines += [
            f"  {a.name}: {a.sha256[:12]}…"
            for a in report.dossier.attachments
            if a.media_type == "application/pdf"
        ]
        if report.skipped:
            skipped = ", ".join(report.skipped)
            lines.append(
                _h(f"  Không ký (không phải PDF): {skipped}", f"  Not signed (not PDF): {skipped}")
            )
        return "\n".join(lines)

    ctx.emit(report.as_dict(), text)
    return 0
