"""A key that can sign, whatever holds it: the signer only sees `SigningKey`."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.errors import UserError
from desktop.signing.certs import CertificateInfo, check_can_sign, describe
from desktop.signing.chain import merge_chain
from desktop.signing.errors import E_WRONG_THREAD


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def signature_size(cert: x509.Certificate) -> int:
    """Bytes of a raw signature by the certificate's key (for pyHanko's size estimate)."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return (key.key_size + 7) // 8
    if isinstance(key, ec.EllipticCurvePublicKey):
        # DER SEQUENCE of two INTEGERs, each possibly one byte longer for the sign bit.
        return 2 * ((key.key_size + 7) // 8 + 3) + 3
    return 512


class SigningKey(ABC):
    """A certificate with the means to make signatures by its private key."""

    def __init__(self, certificate: x509.Certificate, chain: list[x509.Certificate]) -> None:
        self.certificate = certificate
        self.chain = chain
        self.info: CertificateInfo = describe(certificate)

    def check(self) -> None:
        """Refuse before signing: validity and key usage (the key match is checked at load)."""
        check_can_sign(self.certificate)

    def complete_chain(self, extra: list[x509.Certificate]) -> None:
        """Add the issuers found in `extra` (the trust store, the `trust/` folder) that the
        key source did not bring, so a recipient trusting only the root builds the path."""
        self.chain = merge_chain(self.certificate, self.chain, extra)

    @abstractmethod
    def raw_sign(self, data: bytes, digest_algorithm: str) -> bytes:
        """The raw signature of `data` (hashed with `digest_algorithm` by the key holder)."""

    def pyhanko_signer(self) -> Signer:
        """A pyHanko Signer that signs on the calling thread through `raw_sign`."""
        return _KeySigner(self)


class _KeySigner(Signer):
    """pyHanko's PKCS11Signer signs in an executor thread; a token session must not move,
    so our signer calls the key synchronously on the thread running the signing."""

    def __init__(self, key: SigningKey) -> None:
        registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
        registry.register_multiple([to_asn1(c) for c in key.chain])
        super().__init__(signing_cert=to_asn1(key.certificate), cert_registry=registry)
        self._key = key

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return b"\x00" * signature_size(self._key.certificate)
        return self._key.raw_sign(data, digest_algorithm)


_HASHES: dict[str, Any] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class SoftwareKey(SigningKey):
    """A private key held in memory (loaded from a PKCS#12 file)."""

    def __init__(
        self,
        certificate: x509.Certificate,
        chain: list[x509.Certificate],
        private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    ) -> None:
        super().__init__(certificate, chain)
        self._private_key = private_key

    def raw_sign(self, data: bytes, digest_algorithm: str) -> bytes:
        algorithm = _HASHES[digest_algorithm]()
        if isinstance(self._private_key, rsa.RSAPrivateKey):
            return self._private_key.sign(data, padding.PKCS1v15(), algorithm)
        return self._private_key.sign(data, ec.ECDSA(algorithm))


class ThreadBound:
    """Remembers the thread that opened a resource and refuses use from any other."""

    def __init__(self) -> None:
        self._owner = threading.get_ident()

    def check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise UserError(E_WRONG_THREAD)
