"""PKCS#12 files (.p12/.pfx): a certificate, its private key and the CA chain."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop import oserrors
from desktop.errors import UserError
from desktop.signing.certs import check_key_matches
from desktop.signing.chain import merge_chain
from desktop.signing.errors import E_P12_NO_KEY, E_P12_PASSWORD, E_P12_UNREADABLE
from desktop.signing.keys import SoftwareKey


def load_p12(path: Path, password: str | None) -> SoftwareKey:
    """Load the key and certificates of a .p12/.pfx file, refusing wrong passwords clearly."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(E_P12_UNREADABLE, path=str(path), reason=oserrors.reason(exc)) from exc
    secret = password.encode("utf-8") if password else None
    try:
        loaded = _load(data, secret)
    except ValueError as exc:
        # cryptography reports a wrong password and a non-PKCS#12 file with one
        # exception type; a DER SEQUENCE start tells a real PKCS#12 blob apart.
        if data[:1] == b"\x30" and "password" in str(exc).lower():
            raise UserError(E_P12_PASSWORD, path=str(path)) from exc
        if data[:1] == b"\x30" and secret is None:
            raise UserError(E_P12_PASSWORD, path=str(path)) from exc
        raise UserError(E_P12_UNREADABLE, path=str(path), reason=str(exc)) from exc
    key = loaded.key
    if loaded.cert is None or not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise UserError(E_P12_NO_KEY, path=str(path))
    cert = loaded.cert.certificate
    check_key_matches(cert, key)
    chain = [c.certificate for c in loaded.additional_certs]
    return SoftwareKey(cert, merge_chain(cert, chain, []), key)


def _load(data: bytes, secret: bytes | None) -> pkcs12.PKCS12KeyAndCertificates:
    """Without a password, a file made with none or with the empty one (both exist:
    `openssl pkcs12 -passout pass:` writes the latter)."""
    if secret is not None:
        return pkcs12.load_pkcs12(data, secret)
    try:
        return pkcs12.load_pkcs12(data, None)
    except ValueError:
        return pkcs12.load_pkcs12(data, b"")
