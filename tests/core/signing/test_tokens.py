"""PKCS#11 tokens through SoftHSM2: listing, CKA_ID selection, PIN handling, threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from signing_helpers import (
    CERT_LABEL,
    KEY_ID,
    KEY_LABEL,
    MISMATCH_TOKEN,
    SIGNER_NAME,
    TOKEN_LABEL,
    Token,
)

from desktop.errors import UserError
from desktop.signing import tokens
from desktop.signing.modules import KNOWN_CANDIDATES, find_modules


def test_lists_tokens_and_certificates_with_cka_id(softhsm: Token) -> None:
    # The token is shared by the session: a wrong PIN tried by another test leaves the
    # token's "PIN count low" flag set until the next good log-in, so log in once first.
    with tokens.open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL):
        pass
    labels = [t.label for t in tokens.list_tokens(softhsm.module)]
    assert TOKEN_LABEL in labels
    found = tokens.list_certificates(softhsm.module, TOKEN_LABEL)
    assert len(found) == 1
    token, cert = found[0]
    assert token.pin_state == "ok"
    assert cert.key_id == KEY_ID.hex()
    assert cert.label == CERT_LABEL
    assert cert.common_name == SIGNER_NAME
    assert "digital_signature" in cert.key_usage


def test_key_is_found_by_cka_id_although_labels_differ(softhsm: Token) -> None:
    assert KEY_LABEL != CERT_LABEL
    with tokens.open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL) as key:
        assert key.info.key_id == KEY_ID.hex()
        signature = key.raw_sign(b"data", "sha256")
        key.certificate.public_key().verify(  # type: ignore[call-arg, union-attr]
            signature, b"data", *_rsa_sha256()
        )


def _rsa_sha256() -> tuple[Any, Any]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15(), hashes.SHA256()


def test_unknown_key_id_is_refused(softhsm: Token) -> None:
    with (
        pytest.raises(UserError) as caught,
        tokens.open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL, key_id=b"\x99"),
    ):
        pass
    assert caught.value.code == "signing.no_key_on_token"
    assert "99" in caught.value.message()


def test_several_tokens_need_a_label(softhsm: Token) -> None:
    with pytest.raises(UserError) as caught, tokens.open_token_key(softhsm.module, softhsm.pin):
        pass
    assert caught.value.code == "signing.many_tokens"
    assert TOKEN_LABEL in caught.value.message()


def test_wrong_pin_is_reported_once_and_not_retried(softhsm: Token) -> None:
    with (
        pytest.raises(UserError) as caught,
        tokens.open_token_key(softhsm.module, "000000", token_label="PIN Test"),
    ):
        pass
    assert caught.value.code in {
        "signing.pin_incorrect",
        "signing.pin_incorrect_low",
        "signing.pin_final_try",
    }
    assert "PIN" in caught.value.message() and "PIN Test" in caught.value.message()
    # The right PIN still works afterwards: we did not burn tries by retrying.
    with tokens.open_token_key(softhsm.module, softhsm.pin, token_label="PIN Test") as key:
        assert key.info.common_name == SIGNER_NAME


class _FakeToken:
    def __init__(self, flags: int) -> None:
        self.flags = flags


@pytest.mark.parametrize(
    ("flag", "code"),
    [
        (tokens.TokenFlag.USER_PIN_COUNT_LOW, "signing.pin_incorrect_low"),
        (tokens.TokenFlag.USER_PIN_FINAL_TRY, "signing.pin_final_try"),
        (tokens.TokenFlag.USER_PIN_LOCKED, "signing.pin_locked"),
    ],
)
def test_token_flags_after_a_wrong_pin_say_how_close_the_lock_is(flag: Any, code: str) -> None:
    class Slot:
        def get_token(self) -> Any:
            token = _FakeToken(int(flag))

            def refuse(user_pin: str) -> None:
                raise tokens.p11e.PinIncorrect()

            token.open = refuse  # type: ignore[attr-defined]
            return token

    info = tokens.TokenInfo("m", 0, "Token X", "", "", "", "ok")
    with pytest.raises(UserError) as caught:
        tokens._login(Slot(), info, "1")
    assert caught.value.code == code


def test_locked_token_is_not_even_tried() -> None:
    class Slot:
        def get_token(self) -> Any:
            raise AssertionError("a locked token must not be asked for a login")

    info = tokens.TokenInfo("m", 0, "Token X", "", "", "", "locked")
    with pytest.raises(UserError) as caught:
        tokens._login(Slot(), info, "1")
    assert caught.value.code == "signing.pin_locked"


def test_session_refuses_another_thread(softhsm: Token) -> None:
    errors: list[BaseException] = []
    with tokens.open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL) as key:

        def use() -> None:
            try:
                key.raw_sign(b"x", "sha256")
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=use)
        worker.start()
        worker.join(timeout=30)
    assert len(errors) == 1 and isinstance(errors[0], UserError)
    assert errors[0].code == "signing.wrong_thread"


def test_module_that_cannot_load_gets_a_clear_message(tmp_path: Any) -> None:
    bogus = tmp_path / "vnpt-ca_csp11.dll"
    bogus.write_bytes(b"not a library")
    with pytest.raises(UserError) as caught:
        tokens.list_tokens(bogus)
    assert caught.value.code == "signing.pkcs11_module"
    assert "trình điều khiển" in caught.value.message()


def test_key_id_parsing() -> None:
    assert tokens.parse_key_id("a1:b2 c3") == bytes.fromhex("a1b2c3")
    with pytest.raises(UserError):
        tokens.parse_key_id("xyz")


def test_configured_modules_come_before_known_candidates(tmp_path: Any, softhsm: Token) -> None:
    mine = tmp_path / "my-ca.so"
    mine.write_bytes(b"")
    found = find_modules([str(mine), str(tmp_path / "missing.so")], platform="linux")
    assert found[0] == mine
    assert all(p.exists() for p in found)
    assert any(c.vendor.startswith("VNPT") for c in KNOWN_CANDIDATES)


def test_key_that_does_not_match_the_certificate_is_refused(softhsm: Token) -> None:
    with (
        pytest.raises(UserError) as caught,
        tokens.open_token_key(softhsm.module, softhsm.pin, token_label=MISMATCH_TOKEN),
    ):
        pass
    assert caught.value.code == "signing.key_mismatch"
    assert SIGNER_NAME in caught.value.message()


def test_listing_waits_while_another_thread_signs_with_the_same_module(softhsm: Token) -> None:
    # Each pkcs11.lib() initialises the module; a second one alive at the same time got
    # CKR_CRYPTOKI_ALREADY_INITIALIZED (the certificates screen scanning while signing).
    listed: list[Any] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            listed.extend(tokens.list_certificates(softhsm.module, TOKEN_LABEL))
        except BaseException as exc:
            errors.append(exc)

    with tokens.open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL) as key:
        scanner = threading.Thread(target=scan)
        scanner.start()
        scanner.join(timeout=0.5)
        assert scanner.is_alive(), errors  # it waits for the module instead of failing
        assert key.raw_sign(b"x", "sha256")
    scanner.join(timeout=30)
    assert not errors
    assert [cert.key_id for _, cert in listed] == [KEY_ID.hex()]
