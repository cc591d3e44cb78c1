"""The office's commands: `user ...`, `dossier audit`, `audit export`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from desktop.office.users import ENV_PASSWORD, ENV_USER, os_user


def test_accounts_roles_and_the_audit_from_the_command_line(
    run_cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    assert "người dùng hệ điều hành là quản trị viên" in run_cli("user", "list").out
    assert run_cli("user", "add", "lan", "--role", "clerk").code == 1  # first must be admin
    assert run_cli("user", "add", os_user(), "--role", "admin", "--os-account").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("mật-khẩu\n"))
    added = run_cli(
        "user", "add", "lan", "--name", "Chị Lan", "--role", "clerk", "--password-stdin"
    )
    assert added.code == 0, added.err
    new = run_cli("dossier", "new", "--procedure", "SYT-DUOC-CCHN-XET-HO-SO", "--json")
    assert new.code == 0, new.err

    monkeypatch.setenv(ENV_USER, "lan")
    monkeypatch.setenv(ENV_PASSWORD, "mật-khẩu")
    assert run_cli("dossier", "set", "1", "notes=Chị Lan sửa").code == 0
    refused = run_cli("user", "role", "lan", "admin")
    assert refused.code == 1 and "không được quản trị văn phòng" in refused.err
    assert run_cli("user", "whoami").out.startswith("lan (clerk) Chị Lan")

    audit = run_cli("dossier", "audit", "1")
    assert audit.code == 0
    lines = audit.out.splitlines()
    assert "dossier.create" in lines[0] and f"({os_user()}, admin)" in lines[0]
    assert "Chị Lan (lan, clerk)" in lines[1] and "dossier.edit" in lines[1]

    target = tmp_path / "audit.csv"
    assert run_cli("audit", "export", "--dossier", "1", "-o", str(target)).code == 0
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("id,at,login") and len(rows) == 3
    assert run_cli("dossier", "audit", "99").code == 1  # no such dossier


def test_sign_and_pay_are_refused_before_any_pin_or_portal_call(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("user", "add", os_user(), "--role", "admin", "--os-account").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert run_cli("user", "add", "lan", "--role", "clerk", "--password-stdin").code == 0
    monkeypatch.setenv(ENV_USER, "lan")
    monkeypatch.setenv(ENV_PASSWORD, "pw")
    # No portal listens on port 9 and no key file exists: the refusal comes first.
    pay = run_cli("pay", "1", "--portal", "http://127.0.0.1:9")
    assert pay.code == 1 and "không được thanh toán" in pay.err
    sign = run_cli("dossier", "sign", "1", "--p12", "/nonexistent.p12", "--pin-stdin")
    assert sign.code == 1 and "không được ký số" in sign.err
