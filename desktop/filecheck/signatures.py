"""The file as the signing library reads it: its signatures, and whether it can be signed.

pyHanko is the library that signs, so what it cannot read cannot be signed. Each
signature already in the file is checked for integrity (the signed bytes still match
the digest, and the signature value matches the signer's key), without judging trust:
`verify` does that. A signature that cannot even be parsed counts as broken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Any

from pyhanko.pdf_utils.reader import PdfFileReader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureFact:
    field: str
    intact: bool
    locks_document: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "intact": self.intact, "locks": self.locks_document}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureFact:
        return cls(str(data.get("field", "")), bool(data.get("intact")), bool(data.get("locks")))


def read_with_signer(
    handle: IO[bytes], seen_by_qpdf: tuple[SignatureFact, ...]
) -> tuple[tuple[SignatureFact, ...], bool]:
    """(signatures with their integrity, whether pyHanko can add a signature)."""
    try:
        reader = PdfFileReader(handle, strict=False)
        if reader.encrypted:
            reader.decrypt("")  # owner-password-only: the empty user password opens it
    except Exception as exc:  # hostile input: pyHanko may raise anything
        log.info("pyHanko cannot read the PDF: %s", exc)
        return seen_by_qpdf, False
    # Most files carry no signature: pyHanko's validation modules (some 20 MB) are only
    # loaded for those that do.
    facts = _checked(reader, seen_by_qpdf) if seen_by_qpdf else ()
    return facts, _signable(reader)


def _checked(
    reader: PdfFileReader, seen_by_qpdf: tuple[SignatureFact, ...]
) -> tuple[SignatureFact, ...]:
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        filled = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:
        log.info("pyHanko cannot list the signature fields: %s", exc)
        return seen_by_qpdf
    facts = tuple(_fact(reader, name, ref) for name, _value, ref in filled)
    named = {f.field for f in facts}
    # Filled signature fields pyHanko could not take as signatures are broken ones.
    return facts + tuple(f for f in seen_by_qpdf if f.field not in named)


def _fact(reader: PdfFileReader, name: str, ref: Any) -> SignatureFact:
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    try:
        signature = EmbeddedPdfSignature(reader, ref.get_object(), name)
    except Exception as exc:
        log.info("signature %s cannot be parsed: %s", name, exc)
        return SignatureFact(name, intact=False)
    if signature.sig_object_type != "/Sig":
        return SignatureFact(name, intact=True)  # a document timestamp: nothing to sign over
    try:
        locks = signature.docmdp_level == MDPPerm.NO_CHANGES
    except Exception:
        locks = False
    try:
        digest = signature.compute_digest()
        intact, valid = validate_sig_integrity(
            signature.signer_info, signature.signer_cert, "data", digest
        )
    except Exception as exc:
        log.info("signature %s cannot be checked: %s", name, exc)
        return SignatureFact(name, intact=False, locks_document=locks)
    return SignatureFact(name, intact=bool(intact and valid), locks_document=locks)


def _signable(reader: PdfFileReader) -> bool:
    """Whether pyHanko finds the first page and reads its box, as signing will."""
    try:
        page, _ = reader.find_page_for_modification(0)  # type: ignore[no-untyped-call]
        page_box(page.get_object())
    except Exception as exc:
        log.info("pyHanko cannot find the first page: %s", exc)
        return False
    return True


def page_box(node: Any) -> tuple[float, float, float, float]:
    """The CropBox (else MediaBox) of a pyHanko page, inherited and indirect values resolved."""
    box = None
    for _ in range(64):  # MediaBox/CropBox are inheritable (PDF 1.7 §7.7.3.4)
        box = node.get("/CropBox") or node.get("/MediaBox")
        if box is not None or "/Parent" not in node:
            break
        node = node["/Parent"].get_object()
    if box is None:
        return (0.0, 0.0, 595.0, 842.0)
    values = [v.get_object() if hasattr(v, "get_object") else v for v in box.get_object()]
    x1, y1, x2, y2 = (float(v) for v in values)
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
