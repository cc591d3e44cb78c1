"""The CA chain a signature carries, built from whatever certificates are at hand.

Every Vietnamese CA signs from an intermediate: a recipient who trusts only the root
(the national root CA) can build the path only if the signature embeds the
intermediates. The candidates are the key source's own certificates (the .p12's, the
token's CKO_CERTIFICATE objects), then the trust store and the data dir's `trust/`
folder. An issuer is taken only when its key verifies the child's signature.
"""

from __future__ import annotations

from collections.abc import Iterable

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes

MAX_DEPTH = 8


def issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    """`issuer`'s name and key signed `child`."""
    if child.issuer != issuer.subject:
        return False
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def self_signed(cert: x509.Certificate) -> bool:
    return issued_by(cert, cert)


def build_chain(
    leaf: x509.Certificate, candidates: Iterable[x509.Certificate]
) -> list[x509.Certificate]:
    """The issuers of `leaf` among `candidates`, nearest first, up to a self-signed root."""
    pool = _unique(candidates)
    chain: list[x509.Certificate] = []
    current = leaf
    while not self_signed(current) and len(chain) < MAX_DEPTH:
        issuer = next(
            (c for c in pool if c not in chain and c != current and issued_by(current, c)), None
        )
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return chain


def merge_chain(
    leaf: x509.Certificate, own: list[x509.Certificate], extra: Iterable[x509.Certificate]
) -> list[x509.Certificate]:
    """`own` (the key source's certificates, kept in full) completed from `extra`: the
    path of `leaf` is built from both, and what `own` holds besides it stays."""
    path = build_chain(leaf, [*own, *extra])
    rest = [c for c in own if c not in path and c != leaf]
    return [*path, *rest]


def _unique(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    seen: set[bytes] = set()
    found = []
    for cert in certs:
        print_ = cert.fingerprint(hashes.SHA256())
        if print_ not in seen:
            seen.add(print_)
            found.append(cert)
    return found
