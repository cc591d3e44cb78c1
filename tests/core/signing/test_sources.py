"""desktop/signing/sources.py: one way to open a key and judge a certificate, for the CLI
and the window alike (issue #19 item 2)."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from signing_helpers import KEY_ID, P12_PASSWORD, TOKEN_LABEL, Pki, Token

from desktop.errors import DvcError
from desktop.signing.certs import check_can_sign, describe, signing_problem
from desktop.signing.errors import (
    E_CERT_EXPIRED,
    E_CERT_NOT_YET_VALID,
    E_CERT_USAGE,
    E_NOT_SIGNING_CERT,
)
from desktop.signing.sources import (
    P12,
    TOKEN,
    KeySource,
    open_key,
    p12_certificate,
    scan_token_modules,
)


def _window_error(source: KeySource, secret: str) -> DvcError:
    """What the signing dialog gets when it opens `source` (it calls `sign_with_key`,
    which opens the key with `open_key`)."""
    with pytest.raises(DvcError) as caught, open_key(source, secret):
        pass
    return caught.value


def _cli_error(run_cli, monkeypatch: pytest.MonkeyPatch, secret: str, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    result = run_cli(*args, "--json")
    assert result.code != 0
    return str(json.loads(result.out)["error"]["code"])


def test_a_wrong_p12_password_gives_the_same_code_in_cli_and_window(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window_error(KeySource(P12, str(pki.signer.p12)), "not-the-password")
    cli = _cli_error(
        run_cli, monkeypatch, "not-the-password",
        "sign", str(pdf), "-o", str(tmp_path / "out.pdf"), "--p12", str(pki.signer.p12),
        "--password-stdin",
    )  # fmt: skip
    assert cli == window.code
    assert not (tmp_path / "out.pdf").exists()


def test_an_expired_certificate_gives_the_same_code_in_cli_and_window(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = p12_certificate(str(pki.expired.p12), P12_PASSWORD)  # the window's list
    assert not choice.usable
    cli = _cli_error(
        run_cli, monkeypatch, P12_PASSWORD,
        "sign", str(pdf), "-o", str(tmp_path / "out.pdf"), "--p12", str(pki.expired.p12),
        "--password-stdin",
    )  # fmt: skip
    problem = signing_problem(choice.info)
    assert problem is not None
    assert cli == problem.code == E_CERT_EXPIRED
    assert choice.problem == problem.message()
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    listed = run_cli("certs", "list", "--p12", str(pki.expired.p12), "--password-stdin", "--json")
    assert json.loads(listed.out)[0]["problem"] == E_CERT_EXPIRED


def test_a_wrong_token_pin_gives_the_same_code_in_cli_and_window(
    run_cli, softhsm: Token, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = KeySource(TOKEN, softhsm.module, TOKEN_LABEL, KEY_ID.hex())
    window = _window_error(source, "000000")
    cli = _cli_error(
        run_cli, monkeypatch, "000000",
        "sign", str(pdf), "-o", str(tmp_path / "out.pdf"), "--pkcs11", softhsm.module,
        "--token", TOKEN_LABEL, "--key-id", KEY_ID.hex(), "--pin-stdin",
    )  # fmt: skip
    assert cli == window.code


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("expired", E_CERT_EXPIRED),
        ("not_yet_valid", E_CERT_NOT_YET_VALID),
        ("no_signing_usage", E_CERT_USAGE),
    ],
)
def test_the_window_list_and_the_signer_judge_alike(pki: Pki, who: str, code: str) -> None:
    """`why_unusable` (the lists) and `check_can_sign` (the signer) are one rule."""
    identity = getattr(pki, who)
    choice = p12_certificate(str(identity.p12), P12_PASSWORD)
    with pytest.raises(DvcError) as refused:
        check_can_sign(identity.cert)
    assert refused.value.code == code
    assert choice.problem == refused.value.message()


def test_a_ca_certificate_is_refused_by_the_signer_as_in_the_lists(pki: Pki) -> None:
    # The window never offered a CA certificate; the signer accepted one before.
    info = describe(pki.root)
    problem = signing_problem(info, datetime.now(UTC))
    assert problem is not None and problem.code in {E_NOT_SIGNING_CERT, E_CERT_USAGE}
    with pytest.raises(DvcError) as refused:
        check_can_sign(pki.root)
    assert refused.value.code == problem.code


def test_scanned_token_certificates_carry_the_same_judgement(softhsm: Token) -> None:
    (module,) = scan_token_modules([softhsm.module])
    assert not module.error
    for choice in module.certificates:
        problem = signing_problem(choice.info)
        assert choice.problem == (problem.message() if problem is not None else "")
