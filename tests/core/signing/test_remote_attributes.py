"""The signed attributes built once per certificate are pyHanko's own, byte for byte."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import cms
from signing_helpers import Pki

from desktop.signing.keys import to_asn1
from desktop.signing.remote import attributes
from desktop.signing.remote.deferred import run_pyhanko


@pytest.mark.parametrize("who", ["signer", "ec_signer"])
def test_same_bytes_as_pyhanko_for_every_digest(pki: Pki, who: str) -> None:
    certificate = to_asn1(getattr(pki, who).cert)
    attributes._template.cache_clear()
    for n in range(5):
        digest = hashlib.sha256(f"document {n}".encode()).digest()
        fast = attributes.signed_attributes(certificate, digest, run_pyhanko)
        slow = attributes._pyhanko(certificate, digest, run_pyhanko).dump()
        assert fast == slow
        parsed = cms.CMSAttributes.load(fast)
        assert attributes._digest_in(parsed) == digest
    assert attributes._template.cache_info().misses == 1  # pyHanko asked once per certificate


def test_a_digest_that_looks_like_the_marker_or_has_another_size(pki: Pki) -> None:
    certificate = to_asn1(pki.signer.cert)
    for digest in (attributes._MARKER, hashlib.sha512(b"x").digest()):
        fast = attributes.signed_attributes(certificate, digest, run_pyhanko)
        assert fast == attributes._pyhanko(certificate, digest, run_pyhanko).dump()
        assert attributes._digest_in(cms.CMSAttributes.load(fast)) == digest
