"""PKCS#12 files: the right password loads the key, wrong ones are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from signing_helpers import P12_PASSWORD, SIGNER_NAME, SIGNER_ORG, Pki

from desktop.errors import UserError
from desktop.signing.pkcs12 import load_p12


def test_loads_key_certificate_and_chain(pki: Pki) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    assert key.info.common_name == SIGNER_NAME
    assert key.info.organisation == SIGNER_ORG
    assert [c.subject for c in key.chain] == [pki.root.subject]
    assert "non_repudiation" in key.info.key_usage


@pytest.mark.parametrize("password", ["sai mật khẩu", None])
def test_wrong_password_says_so(pki: Pki, password: str | None) -> None:
    with pytest.raises(UserError) as caught:
        load_p12(pki.signer.p12, password)
    assert caught.value.code == "signing.p12_password"
    assert "Mật khẩu" in caught.value.message()


def test_file_that_is_not_pkcs12_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "chu-ky.p12"
    bogus.write_text("not a certificate")
    with pytest.raises(UserError) as caught:
        load_p12(bogus, "x")
    assert caught.value.code == "signing.p12_unreadable"


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        load_p12(tmp_path / "none.p12", "x")
    assert caught.value.code == "signing.p12_unreadable"
