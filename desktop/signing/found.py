"""What a signed PDF holds besides its signatures: the DSS, document timestamps, and
which PAdES baseline level each signature reaches (B-B, B-T, B-LT, B-LTA)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

log = logging.getLogger(__name__)
PADES = "/ETSI.CAdES.detached"


@dataclass
class Found:
    reader: PdfFileReader
    roots: int
    signatures: list[EmbeddedPdfSignature]
    document_timestamps: list[EmbeddedPdfSignature]
    dss: DocumentSecurityStore | None

    @classmethod
    def read(cls, reader: PdfFileReader, roots: int) -> Found:
        return cls(
            reader=reader,
            roots=roots,
            signatures=list(reader.embedded_regular_signatures),
            document_timestamps=list(reader.embedded_timestamp_signatures),
            dss=read_dss(reader),
        )

    def level(self, signature: EmbeddedPdfSignature, timestamped: bool) -> str:
        """The PAdES baseline level `signature` reaches in this file."""
        if str(signature.sig_object.get("/SubFilter", "")) != PADES:
            return "PKCS7"
        if not timestamped:
            return "B-B"
        if self.dss is None or not (self.dss.ocsps or self.dss.crls):
            return "B-T"
        later = [
            t for t in self.document_timestamps if t.signed_revision > signature.signed_revision
        ]
        return "B-LTA" if later else "B-LT"

    def metadata_changed_after(self, signature: EmbeddedPdfSignature) -> bool:
        """The document information (/Info: title, author...) changed in a later
        revision; /ModDate and /Producer are left out, every signer updates them."""
        try:
            then = self.reader.get_historical_resolver(signature.signed_revision)
            last = self.reader.get_historical_resolver(self.reader.xrefs.total_revisions - 1)
            return _info(then) != _info(last)
        except Exception as exc:
            log.debug("metadata history unreadable: %r", exc)
            return False


def read_dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except Exception:
        return None


_SIGNER_KEYS = {"/ModDate", "/Producer"}


def _info(resolver: Any) -> dict[str, str]:
    ref = resolver.trailer_view.raw_get("/Info")
    if ref is None:
        return {}
    info = resolver.get_object(ref.reference) if hasattr(ref, "reference") else ref
    return {str(k): str(v) for k, v in info.items() if str(k) not in _SIGNER_KEYS}
