"""PAdES B-LT / B-LTA for a remote signature (issue #15): once the service's signature is
embedded into the prepared copy, the chain's validation data (certificates, OCSP answers
or CRLs fetched from the URLs the certificates name, for the signer and the signature's
timestamp) goes into the document security store in an incremental update, and for B-LTA
a document timestamp follows: the same pyHanko machinery, and the same validation context
(`longterm.validation_context`), as local signing at those levels.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import IO, Any

from cryptography import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import dss
from pyhanko_certvalidator import CertificateValidator

from desktop.errors import UserError
from desktop.signing.errors import E_SIGN_FAILED_LIBRARY
from desktop.signing.keys import SigningKey, to_asn1
from desktop.signing.longterm import revocation_refusal, validation_context

Runner = Callable[[Coroutine[Any, Any, Any]], Any]


def add_long_term(  # noqa: PLR0917 (the prepared file, its key, its level, how to run)
    handle: IO[bytes],
    key: SigningKey,
    level: str,
    trust: tuple[x509.Certificate, ...],
    timestamper: TimeStamper | None,
    run: Runner,
    source: str,
) -> None:
    """Append the DSS (and at B-LTA a document timestamp) after the last signature of the
    file open in `handle`. Revocation checking is hard-fail: a revoked certificate or an
    unreachable responder stops here with the clerk's sentence, as local signing does."""
    from desktop.signing.signer import SignOptions

    context = validation_context(key, trust)
    try:
        handle.seek(0)
        reader = PdfFileReader(handle)
        embedded = reader.embedded_regular_signatures[-1]
        run(dss.async_add_validation_info(embedded, context, in_place=True))
        if level == "B-LTA":
            if timestamper is None:  # prepare_pdf refuses B-LTA without a TSA
                raise ValueError("B-LTA without a timestamp server")
            handle.seek(0)
            writer = IncrementalPdfFileWriter(handle)
            stamper = signers.PdfTimeStamper(timestamper)
            run(stamper.async_timestamp_pdf(writer, "sha256", context, in_place=True))
    except UserError:
        raise
    except Exception as exc:
        refusal = revocation_refusal(exc, key, SignOptions(level=level, tsa_url="-"))
        if refusal is not None:
            raise refusal from exc
        raise UserError(E_SIGN_FAILED_LIBRARY, path=source) from exc


def check_chain_now(
    key: SigningKey, level: str, trust: tuple[x509.Certificate, ...], run: Runner
) -> None:
    """Before the push for a B-LT/B-LTA job: the certificate's chain validates with its
    revocation data now (a revoked certificate, or a responder that does not answer, is
    refused before the signer is asked to approve anything)."""
    from desktop.signing.signer import SignOptions

    context = validation_context(key, trust)
    validator = CertificateValidator(
        to_asn1(key.certificate), [to_asn1(c) for c in key.chain], validation_context=context
    )
    try:
        run(validator.async_validate_usage(set()))  # type: ignore[no-untyped-call]
    except Exception as exc:
        refusal = revocation_refusal(exc, key, SignOptions(level=level, tsa_url="-"))
        if refusal is not None:
            raise refusal from exc
        raise
