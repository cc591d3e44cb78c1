"""The office's accounts: add, list, change role or password, and who acts here.

An install without accounts keeps working as it always did: the OS user acts as
administrator (`Actor.implicit`). Once the first account exists (it must be an admin),
every process acts as an account: the one named by DVC_DESK_USER (or, on PostgreSQL, the
database login when an account has that name; else the OS user name), with its password
when it has one. An account without a password is vouched for by the OS (its login is the
OS user name) or by PostgreSQL (its login is the database login, whose password the
server checked).
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop.errors import UserError, define
from desktop.office.passwords import hash_password, verify_password
from desktop.office.roles import Actor, Role, parse_role
from desktop.storage.db import Database
from desktop.storage.office_models import OfficeUser

ENV_USER = "DVC_DESK_USER"
ENV_PASSWORD = "DVC_DESK_PASSWORD"  # noqa: S105 - a variable's name; scripts only

E_UNKNOWN_USER = define(
    "office.unknown_user",
    vi=(
        "Văn phòng này dùng tài khoản, nhưng không có tài khoản «{login}» (hoặc đã bị khoá). "
        "Hãy đặt DVC_DESK_USER=tên-đăng-nhập của bạn, hoặc nhờ quản trị viên tạo tài khoản: "
        "«dvc-desk user add {login} --role clerk»."
    ),
    en=(
        "This office uses accounts, but there is no active account '{login}'. Set "
        "DVC_DESK_USER=your-login, or ask an administrator: 'dvc-desk user add {login} "
        "--role clerk'."
    ),
)
E_BAD_PASSWORD = define(
    "office.bad_password",
    vi="Mật khẩu của tài khoản «{login}» không đúng; không có gì bị thay đổi. Hãy thử lại.",
    en="Wrong password for account '{login}'; nothing was changed. Try again.",
)
E_PASSWORD_NEEDED = define(
    "office.password_needed",
    vi=(
        "Tài khoản «{login}» có mật khẩu: hãy chạy lệnh trong cửa sổ dòng lệnh để nhập mật "
        "khẩu (hoặc đặt biến DVC_DESK_PASSWORD cho kịch bản chạy tự động)."
    ),
    en=(
        "Account '{login}' has a password: run the command in a terminal to type it (or "
        "set DVC_DESK_PASSWORD for an unattended script)."
    ),
)
E_OS_ACCOUNT = define(
    "office.os_account_mismatch",
    vi=(
        "Tài khoản «{login}» được xác thực bằng tài khoản hệ điều hành, nhưng bạn đang đăng "
        "nhập máy với tên «{os_user}». Hãy đăng nhập máy bằng đúng tài khoản, hoặc nhờ "
        "quản trị viên đặt mật khẩu: «dvc-desk user passwd {login}»."
    ),
    en=(
        "Account '{login}' is vouched for by the OS account of the same name, but you are "
        "logged in as '{os_user}'. Log in as that user, or ask an administrator to set a "
        "password: 'dvc-desk user passwd {login}'."
    ),
)
E_USER_EXISTS = define(
    "office.user_exists",
    vi="Đã có tài khoản «{login}». Hãy chọn tên khác, hoặc đổi vai trò bằng «dvc-desk user role».",
    en="Account '{login}' already exists. Choose another name or change its role ('user role').",
)
E_FIRST_ADMIN = define(
    "office.first_must_be_admin",
    vi=(
        "Tài khoản đầu tiên của văn phòng phải là quản trị viên (--role admin): từ lúc có tài "
        "khoản, mọi việc đều cần đăng nhập, nên phải có người quản lý được tài khoản."
    ),
    en=(
        "The office's first account must be an administrator (--role admin): once accounts "
        "exist everything needs one, so someone must be able to manage them."
    ),
)
E_LAST_ADMIN = define(
    "office.last_admin",
    vi="Không thể bỏ quyền quản trị của «{login}»: đó là quản trị viên cuối cùng.",
    en="'{login}' is the last administrator; that role cannot be taken away.",
)
E_BAD_LOGIN = define(
    "office.bad_login",
    vi="Tên đăng nhập «{login}» không hợp lệ: dùng 1-64 chữ không dấu, số, dấu chấm, gạch.",
    en="Login '{login}' is not valid: use 1-64 letters, digits, dots, dashes, underscores.",
)


@dataclass(frozen=True)
class User:
    login: str
    display_name: str
    role: str
    has_password: bool
    active: bool


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "user"


def ask_password(login: str) -> str:
    """The password from DVC_DESK_PASSWORD, or typed at a terminal prompt."""
    if os.environ.get(ENV_PASSWORD) is not None:
        return os.environ[ENV_PASSWORD]
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(E_PASSWORD_NEEDED, login=login)
    return getpass.getpass(f"Mật khẩu của {login}: ")


def _database_login(session: Session) -> str | None:
    """On PostgreSQL, the log-in role of this connection: the server checked its password,
    so an account of that name without a password of its own is vouched for by it."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return str(session.execute(text("SELECT session_user")).scalar())


def _valid_login(login: str) -> str:
    text = login.strip()
    if not (1 <= len(text) <= 64) or not all(
        c.isascii() and (c.isalnum() or c in "._-") for c in text
    ):
        raise UserError(E_BAD_LOGIN, login=login)
    return text


def _user(row: OfficeUser) -> User:
    return User(row.login, row.display_name, row.role, row.password_hash is not None, row.active)


class Directory:
    """The accounts in the database; every change needs Action.MANAGE_USERS (the audit
    hook checks and records it)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self._db = db
        self._clock = clock

    def has_accounts(self) -> bool:
        with self._db.session() as session:
            return bool(session.scalar(select(func.count()).select_from(OfficeUser)))

    def list(self) -> list[User]:
        with self._db.session() as session:
            return [
                _user(r) for r in session.scalars(select(OfficeUser).order_by(OfficeUser.login))
            ]

    def get(self, login: str) -> User | None:
        with self._db.session() as session:
            row = session.scalar(select(OfficeUser).where(OfficeUser.login == login))
            return _user(row) if row is not None else None

    def check_new(self, login: str, role: str) -> tuple[str, Role]:
        """The login and role of a new account, or why it cannot be added (before a
        password is asked for)."""
        login = _valid_login(login)
        chosen = parse_role(role)
        with self._db.session() as session:
            if self.get_in(session, login):
                raise UserError(E_USER_EXISTS, login=login)
            if chosen is not Role.ADMIN and not self.has_accounts():
                raise UserError(E_FIRST_ADMIN)
        return login, chosen

    def add(self, login: str, display_name: str, role: str, password: str | None) -> User:
        login, chosen = self.check_new(login, role)
        with self._db.session() as session:
            row = OfficeUser(
                login=login,
                display_name=display_name.strip() or login,
                role=chosen.value,
                password_hash=hash_password(password) if password else None,
                active=True,
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            return _user(row)

    def set_role(self, login: str, role: str) -> User:
        chosen = parse_role(role)
        with self._db.session() as session:
            row = self._row(session, login)
            if row.role == Role.ADMIN and chosen is not Role.ADMIN:
                admins = session.scalar(
                    select(func.count())
                    .select_from(OfficeUser)
                    .where(OfficeUser.role == Role.ADMIN.value, OfficeUser.active.is_(True))
                )
                if (admins or 0) <= 1:
                    raise UserError(E_LAST_ADMIN, login=login)
            row.role = chosen.value
            session.flush()
            return _user(row)

    def set_password(self, login: str, password: str | None) -> User:
        with self._db.session() as session:
            row = self._row(session, login)
            row.password_hash = hash_password(password) if password else None
            session.flush()
            return _user(row)

    @staticmethod
    def get_in(session: Session, login: str) -> bool:
        return session.scalar(select(OfficeUser.id).where(OfficeUser.login == login)) is not None

    def _row(self, session: Session, login: str) -> OfficeUser:
        row = session.scalar(select(OfficeUser).where(OfficeUser.login == login))
        if row is None:
            raise UserError(E_UNKNOWN_USER, login=login)
        return row

    def authenticate(
        self, login: str | None = None, password: Callable[[str], str] = ask_password
    ) -> Actor:
        """Who acts in this process (see the module's docstring)."""
        me = os_user()
        with self._db.session() as session:
            if not session.scalar(select(func.count()).select_from(OfficeUser)):
                return Actor(me, me, Role.ADMIN, implicit=True)
            db_user = _database_login(session)
            named = login or os.environ.get(ENV_USER)
            if not named and db_user is not None and self.get_in(session, db_user):
                named = db_user
            wanted = (named or me).strip()
            row = session.scalar(select(OfficeUser).where(OfficeUser.login == wanted))
            if row is None or not row.active:
                raise UserError(E_UNKNOWN_USER, login=wanted)
            stored = row.password_hash
            actor = Actor(row.login, row.display_name, Role(row.role))
        if stored is None:
            if wanted not in (me, db_user):
                raise UserError(E_OS_ACCOUNT, login=wanted, os_user=me)
        elif not verify_password(password(wanted), stored):
            raise UserError(E_BAD_PASSWORD, login=wanted)
        return actor
