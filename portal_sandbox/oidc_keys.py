"""The sandbox OpenID provider's signing key (RS256, the algorithm OpenID Connect
Discovery requires every provider to offer) and the JWTs it signs.

The key is made at the first start and kept in the sandbox's pki folder (readable by the
user only), so tokens issued before a restart still verify; its public half is served as
the JWKS, named by its RFC 7638 thumbprint (`kid`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ALGORITHM = "RS256"
KEY_FILE = "oidc-signing-key.pem"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class SigningKey:
    """One RSA-2048 key: signs JWTs, publishes its JWK."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._key = private_key
        numbers = private_key.public_key().public_numbers()
        self._jwk = {
            "e": _b64(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
            "kty": "RSA",
            "n": _b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        }
        # RFC 7638: SHA-256 of the required members in lexical order, no spaces.
        canonical = json.dumps(self._jwk, sort_keys=True, separators=(",", ":"))
        self.kid = _b64(hashlib.sha256(canonical.encode()).digest())

    _lock = threading.Lock()

    @classmethod
    def ensure(cls, folder: Path) -> SigningKey:
        """The key kept in `folder`, made there the first time."""
        path = folder / KEY_FILE
        with cls._lock:
            if not path.exists():
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                pem = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                folder.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(f".{path.name}.part")
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pem)
                    handle.flush()
                    os.fsync(handle.fileno())
                partial.replace(path)
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise ValueError(f"{path} is not an RSA key")
        return cls(loaded)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{**self._jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}]}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(
            claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid, "typ": "JWT"}
        )
