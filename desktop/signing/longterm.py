"""PAdES B-LT and B-LTA with pyHanko's own machinery (issue #11).

B-LT: after the B-T signature, the revocation data (OCSP answers or CRLs) of the whole
chain, and of the timestamp server's chain, go into the document security store (DSS),
fetched from the URLs the certificates name (pyHanko's fetchers, hard-fail: no data,
no B-LT). B-LTA: a document timestamp on top (pyHanko's PdfTimeStamper), so the DSS
itself is protected. `verify` checks such files offline (verifier.py).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from cryptography import x509
from pyhanko.sign import signers
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator import errors as pathval

from desktop.errors import UserError
from desktop.signing.certs import SIGNING_KEY_USAGES
from desktop.signing.chain import self_signed
from desktop.signing.errors import (
    E_BAD_LEVEL,
    E_CERT_REVOKED,
    E_LEVEL_NEEDS_TSA,
    E_LT_NO_ROOT,
    E_REVINFO_UNAVAILABLE,
)
from desktop.signing.keys import SigningKey, to_asn1

if TYPE_CHECKING:
    from desktop.signing.signer import SignOptions

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
LONG_TERM = ("B-LT", "B-LTA")


def check_level(options: SignOptions) -> None:
    """Refuse an unknown level, or a timestamped level without a timestamp server."""
    if options.level is not None and options.level not in LEVELS:
        raise UserError(E_BAD_LEVEL, level=options.level, levels=", ".join(LEVELS))
    if options.wanted_level != "B-B" and not options.tsa_url:
        raise UserError(E_LEVEL_NEEDS_TSA, level=options.wanted_level)


def long_term(
    meta: signers.PdfSignatureMetadata, key: SigningKey, options: SignOptions
) -> signers.PdfSignatureMetadata:
    """`meta` asking pyHanko to embed the chain's revocation data (and, for B-LTA, a
    document timestamp). The chain ends at a root from the trust store or the key's."""
    return dataclasses.replace(
        meta,
        embed_validation_info=True,
        use_pades_lta=options.wanted_level == "B-LTA",
        validation_context=validation_context(key, options.trust),
        signer_key_usage=set(SIGNING_KEY_USAGES),
    )


def validation_context(key: SigningKey, trust: tuple[x509.Certificate, ...]) -> ValidationContext:
    """Where the revocation data of `key`'s chain (and the TSA's) is fetched from, hard-fail;
    the chain ends at a root from `trust` or the key's own chain (else E_LT_NO_ROOT)."""
    roots = [*trust, *(c for c in key.chain if self_signed(c))]
    if not roots:
        raise UserError(E_LT_NO_ROOT, subject=key.info.common_name or key.info.subject)
    return ValidationContext(
        trust_roots=[to_asn1(c) for c in roots],
        other_certs=[to_asn1(c) for c in key.chain],
        allow_fetching=True,
        revocation_mode="hard-fail",
    )


def _find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def revocation_refusal(exc: BaseException, key: SigningKey, options: SignOptions) -> Any:
    """The clerk's message for a B-LT/B-LTA signing stopped by revocation checking, or
    None when `exc` is something else."""
    if options.wanted_level not in LONG_TERM:
        return None
    who = key.info.common_name or key.info.subject
    if _find(exc, pathval.RevokedError) is not None:
        return UserError(E_CERT_REVOKED, subject=who)
    found = _find(exc, pathval.ValidationError) or _find(exc, pathval.PathError)
    if found is None:
        return None
    return UserError(E_REVINFO_UNAVAILABLE, subject=who, reason=type(found).__name__)
