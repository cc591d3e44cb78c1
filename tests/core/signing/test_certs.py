"""Checks before signing: validity window, key usage, key/certificate match."""

from __future__ import annotations

import pytest
from signing_helpers import Pki

from desktop.errors import UserError
from desktop.signing.certs import check_can_sign, check_key_matches, describe, vietnam_time


def test_good_signer_passes(pki: Pki) -> None:
    check_can_sign(pki.signer.cert)
    check_key_matches(pki.signer.cert, pki.signer.key)


def test_expired_certificate_is_refused_with_its_end_date(pki: Pki) -> None:
    with pytest.raises(UserError) as caught:
        check_can_sign(pki.expired.cert)
    assert caught.value.code == "signing.cert_expired"
    message = caught.value.message()
    assert "hết hạn" in message and "TRẦN THỊ B" in message
    assert vietnam_time(pki.expired.cert.not_valid_after_utc) in message


def test_not_yet_valid_certificate_is_refused(pki: Pki) -> None:
    with pytest.raises(UserError) as caught:
        check_can_sign(pki.not_yet_valid.cert)
    assert caught.value.code == "signing.cert_not_yet_valid"


def test_certificate_without_signing_usage_is_refused(pki: Pki) -> None:
    with pytest.raises(UserError) as caught:
        check_can_sign(pki.no_signing_usage.cert)
    assert caught.value.code == "signing.cert_usage"
    assert "digitalSignature" in caught.value.message()


def test_key_of_another_certificate_is_refused(pki: Pki) -> None:
    with pytest.raises(UserError) as caught:
        check_key_matches(pki.signer.cert, pki.expired.key)
    assert caught.value.code == "signing.key_mismatch"


def test_time_is_shown_in_vietnam_time(pki: Pki) -> None:
    info = describe(pki.signer.cert)
    assert info.as_dict()["not_after"].endswith("+07:00")
