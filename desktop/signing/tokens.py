"""PKCS#11 tokens: list them and their certificates, log in once, sign by CKA_ID.

A session lives on the thread that opened it (ARCHITECTURE §3): `TokenKey` refuses
use from another thread, and our pyHanko signer calls it synchronously. A wrong PIN
is reported with what the token says about the tries left, and never retried here.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pkcs11 import Attribute, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11e

from desktop.errors import UserError
from desktop.signing.certs import CertificateInfo, describe
from desktop.signing.chain import build_chain
from desktop.signing.errors import (
    E_BAD_KEY_ID,
    E_KEY_MISMATCH,
    E_MANY_KEYS,
    E_MANY_TOKENS,
    E_MODULE_LOAD,
    E_NO_KEY_ON_TOKEN,
    E_NO_TOKEN,
    E_PIN_FINAL_TRY,
    E_PIN_INCORRECT,
    E_PIN_INCORRECT_LOW,
    E_PIN_LOCKED,
    E_TOKEN_ERROR,
)
from desktop.signing.keys import SigningKey, ThreadBound

log = logging.getLogger(__name__)

# DER DigestInfo prefixes (RFC 8017 §9.2 note 1): tokens reliably support raw
# CKM_RSA_PKCS, less reliably the combined hash-and-sign mechanisms.
_DIGEST_INFO = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


@dataclass(frozen=True)
class TokenInfo:
    module: str
    slot: int
    label: str
    manufacturer: str
    model: str
    serial: str
    pin_state: str  # "ok", "count_low", "final_try", "locked"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def parse_key_id(value: str | None) -> bytes | None:
    """The CKA_ID given on the command line as hex (colons and spaces allowed)."""
    if value is None:
        return None
    cleaned = value.replace(":", "").replace(" ", "")
    try:
        return bytes.fromhex(cleaned)
    except ValueError as exc:
        raise UserError(E_BAD_KEY_ID, value=value) from exc


_MODULE_LOCKS: dict[str, threading.RLock] = {}
_MODULE_LOCKS_GUARD = threading.Lock()


@contextmanager
def module_in_use(module: Path | str) -> Iterator[None]:
    """Hold `module` for this thread while it is loaded and used.

    python-pkcs11 calls C_Initialize for every `pkcs11.lib(...)` and C_Finalize when
    that object goes away; a second thread loading the same module meanwhile gets
    CKR_CRYPTOKI_ALREADY_INITIALIZED (seen when the certificates screen and the signing
    dialog list the same token at once). The module was initialised without OS locking,
    so it must not be called from two threads at once anyway: one user at a time.
    """
    key = str(module)
    with _MODULE_LOCKS_GUARD:
        lock = _MODULE_LOCKS.setdefault(key, threading.RLock())
    with lock:
        yield


def load_module(module: Path | str) -> Any:
    try:
        return pkcs11.lib(str(module))
    except (RuntimeError, OSError, p11e.PKCS11Error) as exc:
        raise UserError(
            E_MODULE_LOAD, module=str(module), reason=str(exc) or type(exc).__name__
        ) from exc


def _pin_state(token: Any) -> str:
    flags = token.flags
    if flags & TokenFlag.USER_PIN_LOCKED:
        return "locked"
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return "final_try"
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return "count_low"
    return "ok"


def _token_info(module: str, slot: Any, token: Any) -> TokenInfo:
    return TokenInfo(
        module=module,
        slot=int(slot.slot_id),
        label=str(token.label).strip(),
        manufacturer=str(token.manufacturer_id).strip(),
        model=str(token.model).strip(),
        serial=(token.serial or b"").decode("ascii", "replace").strip()
        if isinstance(token.serial, bytes)
        else str(token.serial).strip(),
        pin_state=_pin_state(token),
    )


def list_tokens(module: Path | str) -> list[TokenInfo]:
    """The tokens present in the slots of `module`."""
    with module_in_use(module):
        return _list_tokens(module)


def _list_tokens(module: Path | str) -> list[TokenInfo]:
    lib = load_module(module)
    result = []
    for slot in lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
            # An uninitialised token (SoftHSM's spare slot, a blank card) holds nothing.
            if not token.flags & TokenFlag.TOKEN_INITIALIZED:
                continue
            result.append(_token_info(str(module), slot, token))
        except p11e.PKCS11Error as exc:
            log.warning("slot %s of %s unreadable: %s", slot, module, exc)
    return result


def _choose_token(module: Path | str, label: str | None) -> tuple[Any, TokenInfo]:
    lib = load_module(module)
    found = []
    for slot in lib.get_slots(token_present=True):
        token = slot.get_token()
        if not token.flags & TokenFlag.TOKEN_INITIALIZED:
            continue
        info = _token_info(str(module), slot, token)
        if label is None or info.label == label:
            found.append((slot, info))
    if not found:
        raise UserError(E_NO_TOKEN, label_part=f" «{label}»" if label else "")
    if len(found) > 1:
        raise UserError(E_MANY_TOKENS, labels=", ".join(i.label for _, i in found))
    return found[0]


def _certificates(session: Any) -> list[tuple[bytes, str, x509.Certificate]]:
    certs = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = bytes(obj[Attribute.VALUE])
            key_id = bytes(obj[Attribute.ID])
            label = str(obj[Attribute.LABEL])
        except p11e.PKCS11Error:
            continue
        try:
            certs.append((key_id, label, x509.load_der_x509_certificate(der)))
        except ValueError:
            log.warning("token certificate %s is not valid DER; skipped", key_id.hex())
    return certs


def _key_ids(session: Any) -> set[bytes]:
    """CKA_IDs of the key objects visible in `session` (public keys without a login)."""
    found = set()
    for kind in (ObjectClass.PUBLIC_KEY, ObjectClass.PRIVATE_KEY):
        for obj in session.get_objects({Attribute.CLASS: kind}):
            try:
                found.add(bytes(obj[Attribute.ID]))
            except p11e.PKCS11Error:
                continue
    return found


def list_certificates(
    module: Path | str, token_label: str | None = None
) -> list[tuple[TokenInfo, CertificateInfo]]:
    """Certificates on each token (public objects: no PIN needed)."""
    with module_in_use(module):
        return _list_certificates(module, token_label)


def _list_certificates(
    module: Path | str, token_label: str | None
) -> list[tuple[TokenInfo, CertificateInfo]]:
    result = []
    for info in list_tokens(module):
        if token_label is not None and info.label != token_label:
            continue
        slot, _ = _choose_token(module, info.label)
        try:
            with slot.get_token().open() as session:
                keys = _key_ids(session)
                for key_id, label, cert in _certificates(session):
                    # Without a PIN only public keys show; none at all: cannot tell.
                    has_key = key_id in keys if keys else True
                    result.append(
                        (info, describe(cert, key_id=key_id, label=label, has_key=has_key))
                    )
        except p11e.PKCS11Error as exc:
            if token_label is not None:
                raise UserError(E_TOKEN_ERROR, token=info.label, reason=type(exc).__name__) from exc
            log.warning("token %r of %s unreadable: %s", info.label, module, exc)
    return result


def find_token_module(
    modules: list[Path], token_label: str | None = None, key_id: bytes | None = None
) -> Path:
    """The module whose token holds the chosen signing certificate (`--pkcs11 auto`).

    Every module is scanned, as `certs list` does: a clerk's PC may have OpenSC and the
    CA's own driver, and the token answers to only one of them. A module that cannot be
    loaded is skipped; several matching tokens are refused as for one module."""
    found: list[tuple[Path, str]] = []
    for module in modules:
        try:
            listed = list_certificates(module, None)
        except UserError as exc:
            log.info("module %s skipped: %s", module, exc.code)
            continue
        labels = {
            token.label
            for token, cert in listed
            if (token_label is None or token.label == token_label)
            and cert.can_sign
            and (key_id is None or cert.key_id == key_id.hex())
        }
        found += [(module, label) for label in sorted(labels)]
    if not found:
        raise UserError(E_NO_TOKEN, label_part=f" «{token_label}»" if token_label else "")
    if len(found) > 1:
        raise UserError(E_MANY_TOKENS, labels=", ".join(label for _, label in found))
    return found[0][0]


def _login(slot: Any, info: TokenInfo, pin: str) -> Any:
    if info.pin_state == "locked":
        raise UserError(E_PIN_LOCKED, token=info.label)
    try:
        return slot.get_token().open(user_pin=pin)
    except p11e.PinLocked as exc:
        raise UserError(E_PIN_LOCKED, token=info.label) from exc
    except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange) as exc:
        # Read the flags again: they changed with this failed login.
        state = _pin_state(slot.get_token())
        code = {
            "locked": E_PIN_LOCKED,
            "final_try": E_PIN_FINAL_TRY,
            "count_low": E_PIN_INCORRECT_LOW,
        }.get(state, E_PIN_INCORRECT)
        raise UserError(code, token=info.label) from exc
    except p11e.PKCS11Error as exc:
        raise UserError(E_TOKEN_ERROR, token=info.label, reason=type(exc).__name__) from exc


def _rsa_matches(key: Any, cert: x509.Certificate) -> bool:
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        return False
    try:
        modulus = int.from_bytes(bytes(key[Attribute.MODULUS]), "big")
    except p11e.PKCS11Error:
        return True  # the token hides it; the signature check after signing still guards
    return modulus == public.public_numbers().n


class TokenKey(SigningKey, ThreadBound):
    """A private key on a logged-in token, found by CKA_ID."""

    def __init__(
        self,
        session: Any,
        key: Any,
        cert: x509.Certificate,
        *,
        key_id: bytes,
        label: str,
        token: str,
        chain: list[x509.Certificate] | None = None,
    ) -> None:
        SigningKey.__init__(self, cert, chain or [])
        ThreadBound.__init__(self)
        self.info = describe(cert, key_id=key_id, label=label)
        self.token_label = token
        self._session = session
        self._key = key

    def raw_sign(self, data: bytes, digest_algorithm: str) -> bytes:
        self.check_thread()
        digest = hashlib.new(digest_algorithm, data).digest()
        try:
            if isinstance(self.certificate.public_key(), ec.EllipticCurvePublicKey):
                raw = bytes(self._key.sign(digest, mechanism=Mechanism.ECDSA))
                half = len(raw) // 2
                return encode_dss_signature(
                    int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
                )
            return bytes(
                self._key.sign(
                    _DIGEST_INFO[digest_algorithm] + digest, mechanism=Mechanism.RSA_PKCS
                )
            )
        except p11e.PKCS11Error as exc:
            raise UserError(
                E_TOKEN_ERROR, token=self.token_label, reason=type(exc).__name__
            ) from exc


def _select_key(session: Any, info: TokenInfo, key_id: bytes | None) -> TokenKey:
    found = _certificates(session)
    certs = {cid: (label, cert) for cid, label, cert in found}
    keys = []
    for key in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}):
        try:
            kid = bytes(key[Attribute.ID])
        except p11e.PKCS11Error:
            continue
        # Pair key and certificate by CKA_ID only: labels differ between them on real tokens.
        if kid in certs and (key_id is None or kid == key_id):
            keys.append((kid, key))
    id_part = f" (CKA_ID {key_id.hex()})" if key_id else ""
    if not keys:
        raise UserError(E_NO_KEY_ON_TOKEN, token=info.label, id_part=id_part)
    if len(keys) > 1:
        raise UserError(E_MANY_KEYS, token=info.label, ids=", ".join(k.hex() for k, _ in keys))
    kid, key = keys[0]
    label, cert = certs[kid]
    if isinstance(cert.public_key(), rsa.RSAPublicKey) and not _rsa_matches(key, cert):
        raise UserError(E_KEY_MISMATCH, subject=describe(cert).common_name)
    # The CA certificates the token carries (CKO_CERTIFICATE objects without a key).
    chain = build_chain(cert, [c for _, _, c in found])
    return TokenKey(session, key, cert, key_id=kid, label=label, token=info.label, chain=chain)


@contextmanager
def open_token_key(
    module: Path | str, pin: str, *, token_label: str | None = None, key_id: bytes | None = None
) -> Iterator[TokenKey]:
    """Log in once with `pin` and yield the signing key; the session closes on exit."""
    with module_in_use(module):
        slot, info = _choose_token(module, token_label)
        session = _login(slot, info, pin)
        try:
            yield _select_key(session, info, key_id)
        finally:
            try:
                session.close()
            except p11e.PKCS11Error as exc:
                log.warning("closing token session failed: %s", exc)
