"""Roles of the office and what each may do: the one permission check (`require`),
called by the audit hook under every write and by the CLI and the window before they
offer an action.

clerk prepares (creates, edits, attaches, validates); signer signs; sender submits,
withdraws, hands over and pays; admin does all and manages accounts. Delivery by the
sync engine (uploading what a sender queued, reading the portal's answers) is allowed
to everyone: any desk may run an engine on the shared queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop import errors
from desktop.errors import UserError, define


class Role(StrEnum):
    CLERK = "clerk"
    SIGNER = "signer"
    SENDER = "sender"
    ADMIN = "admin"


class Action(StrEnum):
    PREPARE = "prepare"
    SIGN = "sign"
    SUBMIT = "submit"
    PAY = "pay"
    DELIVER = "deliver"
    DELETE = "delete"
    MANAGE_USERS = "manage_users"


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.CLERK: ("cán bộ tiếp nhận", "clerk"),
    Role.SIGNER: ("người ký", "signer"),
    Role.SENDER: ("người gửi", "sender"),
    Role.ADMIN: ("quản trị viên", "administrator"),
}
ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.PREPARE: ("chuẩn bị, sửa hồ sơ", "prepare or edit dossiers"),
    Action.SIGN: ("ký số hồ sơ", "sign dossiers"),
    Action.SUBMIT: ("nộp, rút hoặc chuyển hồ sơ", "submit, withdraw or hand over dossiers"),
    Action.PAY: ("thanh toán phí, lệ phí", "pay fees"),
    Action.DELIVER: ("gửi hàng chờ lên cổng", "deliver the queue to the portal"),
    Action.DELETE: ("xoá dữ liệu", "delete data"),
    Action.MANAGE_USERS: (
        "quản trị văn phòng (tài khoản, chuyển dữ liệu)",
        "administer the office (accounts, moves)",
    ),
}

ALLOWED: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset({Action.PREPARE, Action.DELIVER}),
    Role.SIGNER: frozenset({Action.SIGN, Action.DELIVER}),
    Role.SENDER: frozenset({Action.SUBMIT, Action.PAY, Action.DELIVER}),
    Role.ADMIN: frozenset(Action),
}

E_FORBIDDEN = define(
    "office.forbidden",
    vi=(
        "Tài khoản «{login}» ({role}) không được {action}; không có gì bị thay đổi. "
        "Việc này cần vai trò: {roles}. Hãy nhờ người có vai trò đó, hoặc nhờ quản trị "
        "viên đổi vai trò: «dvc-desk user role {login} VAI-TRÒ»."
    ),
    en=(
        "Account '{login}' ({role}) may not {action}; nothing was changed. This needs the "
        "role: {roles}. Ask someone with that role, or ask an administrator to change "
        "yours: 'dvc-desk user role {login} ROLE'."
    ),
)
E_UNKNOWN_ROLE = define(
    "office.unknown_role",
    vi=(
        "Không có vai trò «{role}». Các vai trò: clerk (tiếp nhận), signer (ký), sender (gửi), "
        "admin."
    ),
    en="There is no role '{role}'. Roles: clerk, signer, sender, admin.",
)


@dataclass(frozen=True)
class Actor:
    """Who acts in this process. `implicit`: an install without accounts, where the OS
    user is the administrator (the single-PC app as it always was)."""

    login: str
    display_name: str
    role: Role
    implicit: bool = False


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError as exc:
        raise UserError(E_UNKNOWN_ROLE, role=text) from exc


def can(actor: Actor, action: Action) -> bool:
    return action in ALLOWED[actor.role]


def require(actor: Actor, action: Action) -> None:
    """The one permission check: UserError naming the role needed, or nothing."""
    if can(actor, action):
        return
    en = errors.language() == "en"
    needed = [r for r in Role if action in ALLOWED[r]]
    raise UserError(
        E_FORBIDDEN,
        login=actor.login,
        role=ROLE_LABELS[actor.role][en],
        action=ACTION_LABELS[action][en],
        roles=", ".join(f"{r.value} ({ROLE_LABELS[r][en]})" for r in needed),
    )
