"""Issue #11 (7): `--pkcs11 auto` scans every module for the chosen certificate."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from signing_helpers import SUB_TOKEN, TOKEN_LABEL, Pki, Token

from desktop.signing.verifier import verify_pdf

OPENSC = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"


def test_auto_finds_the_token_behind_another_module(
    run_cli, pki: Pki, softhsm: Token, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Path(OPENSC).exists(), "opensc is needed (scripts/system-deps.sh)"
    broken = tmp_path / "vendor-p11.so"
    broken.write_bytes(b"not a library")
    # OpenSC first (no token behind it here), a broken vendor driver, then SoftHSM.
    setting = json.dumps([OPENSC, str(broken), softhsm.module])
    assert run_cli("settings", "set", "pkcs11_modules", setting).code == 0
    out = tmp_path / "o.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO(softhsm.pin + "\n"))
    result = run_cli(
        "sign", str(pdf), "-o", str(out), "--pkcs11", "auto", "--token", SUB_TOKEN,
        "--pin-stdin", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.ok and sig.trusted


def test_auto_with_an_absent_token_names_it(
    run_cli, softhsm: Token, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting = json.dumps([OPENSC, softhsm.module])
    assert run_cli("settings", "set", "pkcs11_modules", setting).code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(softhsm.pin + "\n"))
    result = run_cli(
        "sign", str(pdf), "-o", str(tmp_path / "o.pdf"), "--pkcs11", "auto", "--token",
        "Không có", "--pin-stdin",
    )  # fmt: skip
    assert result.code == 1 and "Không có" in result.err


def test_auto_without_a_label_asks_to_choose_among_tokens(
    run_cli, softhsm: Token, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting = json.dumps([OPENSC, softhsm.module])
    assert run_cli("settings", "set", "pkcs11_modules", setting).code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(softhsm.pin + "\n"))
    result = run_cli(
        "sign", str(pdf), "-o", str(tmp_path / "o.pdf"), "--pkcs11", "auto", "--pin-stdin"
    )
    assert result.code == 1 and TOKEN_LABEL in result.err and "--token" in result.err
