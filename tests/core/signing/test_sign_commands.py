"""`dvc-desk sign`, `certs list` and `verify` (desktop/commands/sign.py, verify.py)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from signing_helpers import (
    CERT_LABEL,
    KEY_ID,
    P12_PASSWORD,
    SIGNER_NAME,
    TOKEN_LABEL,
    Pki,
    Token,
)


def stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_sign_with_p12_then_verify(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "signed.pdf"
    stdin(monkeypatch, P12_PASSWORD)
    result = run_cli(
        "sign", str(pdf), "-o", str(out), "--p12", str(pki.signer.p12), "--password-stdin",
        "--visible", "--position", "bottom-left", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["signer"] == SIGNER_NAME and data["level"] == "B-B" and data["visible"]
    checked = run_cli("verify", str(out), "--trust", str(pki.root_pem))
    assert checked.code == 0
    assert "HỢP LỆ" in checked.out and SIGNER_NAME in checked.out
    untrusted = run_cli("verify", str(out), "--json")
    assert untrusted.code == 0
    assert json.loads(untrusted.out)["signatures"][0]["trusted"] is False


def test_trust_folder_of_the_data_dir_is_used(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "signed.pdf"
    stdin(monkeypatch, P12_PASSWORD)
    assert run_cli("sign", str(pdf), "-o", str(out), "--p12", str(pki.signer.p12),
                   "--password-stdin").code == 0  # fmt: skip
    (data_dir / "trust").mkdir(parents=True, exist_ok=True)
    (data_dir / "trust" / "root.pem").write_bytes(pki.root_pem.read_bytes())
    data = json.loads(run_cli("verify", str(out), "--json").out)
    assert data["ok"] and data["signatures"][0]["trusted"] is True


def test_tampered_file_exits_4(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "signed.pdf"
    stdin(monkeypatch, P12_PASSWORD)
    run_cli("sign", str(pdf), "-o", str(out), "--p12", str(pki.signer.p12), "--password-stdin")
    out.write_bytes(out.read_bytes().replace(b"/Producer (pypdf)", b"/Producer (pypdX)"))
    result = run_cli("verify", str(out), "--trust", str(pki.root_pem))
    assert result.code == 4
    assert "KHÔNG hợp lệ" in result.err and "nội dung đã bị sửa" in result.out


def test_verify_refuses_unusable_input(run_cli, pdf: Path, tmp_path: Path) -> None:
    unsigned = run_cli("verify", str(pdf))
    assert unsigned.code == 1 and "không có chữ ký số" in unsigned.err
    junk = tmp_path / "x.pdf"
    junk.write_text("nope")
    result = run_cli("verify", str(junk))
    assert result.code == 1 and "không phải là tệp PDF" in result.err


def test_wrong_p12_password_exits_1(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "sai")
    result = run_cli("sign", str(pdf), "-o", str(tmp_path / "o.pdf"), "--p12",
                     str(pki.signer.p12), "--password-stdin")  # fmt: skip
    assert result.code == 1 and "Mật khẩu" in result.err
    assert not (tmp_path / "o.pdf").exists()


def test_sign_with_token_and_copy_mark(
    run_cli, pki: Pki, softhsm: Token, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "copy.pdf"
    stdin(monkeypatch, softhsm.pin)
    result = run_cli(
        "sign", str(pdf), "-o", str(out), "--pkcs11", softhsm.module, "--token", TOKEN_LABEL,
        "--key-id", KEY_ID.hex(), "--pin-stdin", "--copy-form", "SAO Y",
        "--copy-agency", "UBND xã Hòa Bình",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Đã ký" in result.out
    assert run_cli("verify", str(out), "--trust", str(pki.root_pem)).code == 0


def test_wrong_pin_exits_1_with_token_name(
    run_cli, softhsm: Token, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "999999")
    result = run_cli("sign", str(pdf), "-o", str(tmp_path / "o.pdf"), "--pkcs11",
                     softhsm.module, "--token", "PIN Test", "--pin-stdin")  # fmt: skip
    assert result.code == 1 and "PIN" in result.err and "PIN Test" in result.err


def test_certs_list_shows_cka_id_and_labels(
    run_cli, softhsm: Token, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_cli("certs", "list", "--pkcs11", softhsm.module, "--token", TOKEN_LABEL, "--json")
    assert result.code == 0, result.err
    [row] = json.loads(result.out)
    assert row["key_id"] == KEY_ID.hex() and row["label"] == CERT_LABEL
    assert row["not_after"].endswith("+07:00")
    stdin(monkeypatch, P12_PASSWORD)
    text = run_cli("certs", "list", "--p12", str(pki.signer.p12), "--password-stdin")
    assert text.code == 0 and SIGNER_NAME in text.out and "Hiệu lực" in text.out


def test_sign_needs_a_key_source(run_cli, pdf: Path, tmp_path: Path) -> None:
    result = run_cli("sign", str(pdf), "-o", str(tmp_path / "o.pdf"))
    assert result.code == 1 and "--p12" in result.err


def test_configured_module_is_found_without_naming_it(run_cli, softhsm: Token) -> None:
    setting = json.dumps([softhsm.module])
    assert run_cli("settings", "set", "pkcs11_modules", setting).code == 0
    result = run_cli("certs", "list", "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert {r["token"]["label"] for r in rows} >= {TOKEN_LABEL, "PIN Test"}
    assert all(r["source"] == softhsm.module for r in rows)


def test_certs_list_marks_an_expired_certificate(
    run_cli, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, P12_PASSWORD)
    result = run_cli("certs", "list", "--p12", str(pki.expired.p12), "--password-stdin")
    assert result.code == 0 and "ĐÃ HẾT HẠN" in result.out


def test_sign_of_a_loose_file_opens_no_database(pki: Pki, pdf: Path, tmp_path: Path) -> None:
    """`dvc-desk sign` reads the settings and the trust folder without the workspace: no
    SQLAlchemy, no database file (issue #19, start-up of `sign`), yet the data dir's
    settings still count (the default stamp)."""
    import subprocess

    probe = (
        "import runpy, sys\n"
        "sys.argv = ['dvc-desk', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('desktop.cli', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "names = sorted({m.split('.')[0] for m in sys.modules})\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(names))\n"
        "sys.exit(code)\n"
    )
    data_dir, out = tmp_path / "data", tmp_path / "signed.pdf"
    argv = ["--data-dir", str(data_dir), "sign", str(pdf), "-o", str(out),
            "--p12", str(pki.signer.p12), "--password-stdin", "--json"]  # fmt: skip

    def run() -> tuple[int, str, set[str]]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv],
            input=P12_PASSWORD + "\n",
            capture_output=True,
            text=True,
            check=False,
        )
        err, _, modules = done.stderr.rpartition("\nMODULES ")
        out.with_suffix(".json").write_text(done.stdout)
        return done.returncode, err, set(modules.split())

    code, err, modules = run()
    assert code == 0, err
    assert out.is_file() and "pyhanko" in modules
    assert "sqlalchemy" not in modules and "alembic" not in modules
    assert not (data_dir / "dvc-desk.sqlite3").exists()
    assert json.loads(out.with_suffix(".json").read_text())["visible"] is False
    out.unlink()
    (data_dir / "settings.json").write_text(json.dumps({"values": {"default_stamp": "visible"}}))
    code, err, _ = run()
    assert code == 0, err
    assert json.loads(out.with_suffix(".json").read_text())["visible"] is True
