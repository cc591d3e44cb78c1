"""The PAdES signed attributes of a remote signature, built once per certificate.

pyHanko builds them afresh for every PDF (`ExternalSigner.signed_attrs`) and asn1crypto
re-encodes the signing-certificate-v2 attribute each time: about 6 ms a PDF, a fifth of
a dossier's overhead. For one certificate and SHA-256 they differ only in the message
digest, so pyHanko's own encoding is made once with a marker digest and each PDF's
attributes are that DER with the marker replaced, then parsed back and checked to carry
exactly the document's digest (any doubt: pyHanko's own path).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from asn1crypto import cms, x509
from pyhanko.sign import signers

DIGEST = "sha256"
_MARKER = bytes(range(0xA0, 0xC0))  # 32 bytes, the size of a SHA-256 digest
_TLV = b"\x04\x20"  # OCTET STRING of 32 bytes: how the message digest is encoded


def signed_attributes(
    certificate: x509.Certificate,
    document_digest: bytes,
    run: Callable[[Coroutine[Any, Any, cms.CMSAttributes]], cms.CMSAttributes],
) -> bytes:
    """DER of the signed attributes over `document_digest` for `certificate`, the same
    bytes pyHanko's `ExternalSigner.signed_attrs(..., use_pades=True)` encodes."""
    template = _template(certificate.dump(), run)
    if template is not None and len(document_digest) == len(_MARKER):
        der = template.replace(_TLV + _MARKER, _TLV + document_digest)
        attrs = cms.CMSAttributes.load(der)
        if _digest_in(attrs) == document_digest:
            return der
    fresh: bytes = _pyhanko(certificate, document_digest, run).dump()
    return fresh


def _digest_in(attrs: cms.CMSAttributes) -> bytes | None:
    found = [a for a in attrs if a["type"].native == "message_digest"]
    if len(found) != 1 or len(found[0]["values"]) != 1:
        return None
    value: bytes = found[0]["values"][0].native
    return value


@functools.lru_cache(maxsize=8)
def _template(
    certificate_der: bytes,
    run: Callable[[Coroutine[Any, Any, cms.CMSAttributes]], cms.CMSAttributes],
) -> bytes | None:
    der: bytes = _pyhanko(x509.Certificate.load(certificate_der), _MARKER, run).dump()
    # Usable only when the marker appears once, as the message digest's value.
    return der if der.count(_MARKER) == 1 and der.count(_TLV + _MARKER) == 1 else None


def _pyhanko(
    certificate: x509.Certificate,
    document_digest: bytes,
    run: Callable[[Coroutine[Any, Any, cms.CMSAttributes]], cms.CMSAttributes],
) -> cms.CMSAttributes:
    external = signers.ExternalSigner(certificate, None, signature_value=bytes(256))
    return run(external.signed_attrs(document_digest, DIGEST, use_pades=True))
