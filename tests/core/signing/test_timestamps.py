"""Issue #11 (2): timestamp tokens are checked when signing and when verifying."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from foreign import LyingStamper, pyhanko_sign
from signing_helpers import P12_PASSWORD, Pki, tsa_server

from desktop.errors import UserError
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.verifier import verify_pdf

BAD = {
    "wrong_imprint": ("signing.tsa_imprint", "không khớp"),
    "wrong_nonce": ("signing.tsa_nonce", "nonce"),
    "rejection": ("signing.tsa_refused", "từ chối"),
    "not_a_tsa": ("signing.tsa_signer", "dấu thời gian"),
}


@pytest.mark.parametrize("mode", sorted(BAD))
def test_bad_timestamp_answers_are_refused(mode: str, pki: Pki, pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    with tsa_server(pki, mode) as url:
        with pytest.raises(UserError) as caught:
            sign_pdf(pdf, out, key, SignOptions(tsa_url=url))
        assert caught.value.code == BAD[mode][0]
        assert BAD[mode][1] in caught.value.message()
        assert "--allow-no-timestamp" in caught.value.message()
        assert not out.exists()
        result = sign_pdf(pdf, out, key, SignOptions(tsa_url=url, allow_no_timestamp=True))
    assert result.level == "B-B" and result.timestamp_skipped
    assert result.timestamp_problem == BAD[mode][0]
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.ok and sig.timestamp_time is None


@pytest.mark.parametrize("mode", ["wrong_nonce", "rejection"])
def test_command_says_it_in_vietnamese_with_exit_1(
    mode: str, run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    with tsa_server(pki, mode) as url:
        result = run_cli(
            "sign", str(pdf), "-o", str(tmp_path / "o.pdf"), "--p12", str(pki.signer.p12),
            "--password-stdin", "--tsa", url,
        )  # fmt: skip
    assert result.code == 1
    assert "máy chủ dấu thời gian" in result.err.lower()
    for english in ("Traceback", "Timestamp server", "nonce value", "refused our request"):
        assert english not in result.err


def test_embedded_timestamp_with_a_wrong_imprint_is_invalid(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    out = pyhanko_sign(pdf, tmp_path / "lying.pdf", pki.signer, timestamper=LyingStamper(pki))
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.timestamp_valid is False and "timestamp_invalid" in sig.problems and not sig.ok
    result = run_cli("verify", str(out), "--trust", str(pki.root_pem))
    assert result.code == 4
    assert "dấu thời gian KHÔNG hợp lệ" in result.out
    data = json.loads(run_cli("verify", str(out), "--trust", str(pki.root_pem), "--json").out)
    assert data["signatures"][0]["timestamp_valid"] is False


def test_good_timestamp_is_valid_and_level_b_t(pki: Pki, pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    with tsa_server(pki) as url:
        sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD), SignOptions(tsa_url=url))
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.ok and sig.timestamp_valid and sig.level == "B-T" and sig.problems == ()
