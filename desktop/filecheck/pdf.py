"""One inspection of a PDF, whose verdict every command decides from.

qpdf (through pikepdf) reads the structure: encryption kind, the real page tree against
the /Count it declares, the compressions used, streams that do not decode, a rebuilt
cross-reference table. pyHanko, the library that signs, then reads the file the way
signing will: the signatures already in it (each checked for integrity) and the first
page's box. The verdict is plain data, stored with the file's facts at attach time and
recomputed from the same bytes by intake and signing, so they all agree.

Nothing a library says reaches the clerk: each finding is a damage code
(`desktop.filecheck.damage`) and the library's text goes to the log.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import pikepdf

from desktop.filecheck import damage
from desktop.filecheck.signatures import SignatureFact, read_with_signer

log = logging.getLogger(__name__)

NONE, OWNER_ONLY, PASSWORD = "none", "owner_only", "password"
# The `%%EOF` marker must sit in the last KiB (ISO 32000-1 §7.5.5 allows trailing junk).
_TAIL = 1024
# Compressions qpdf decodes, plus image codecs that are stored as they are.
_KNOWN_FILTERS = frozenset(
    {
        "/FlateDecode",
        "/LZWDecode",
        "/ASCII85Decode",
        "/ASCIIHexDecode",
        "/RunLengthDecode",
        "/DCTDecode",
        "/JPXDecode",
        "/JBIG2Decode",
        "/CCITTFaxDecode",
        "/Crypt",
        "/Fl",
        "/LZW",
        "/A85",
        "/AHx",
        "/RL",
        "/DCT",
        "/CCF",
    }
)
# Compressions decoded to check them (image codecs are stored as they are).
_FLATE = frozenset({"/FlateDecode", "/Fl"})
_DECODED = _FLATE | {"/LZWDecode", "/LZW", "/ASCII85Decode", "/A85", "/ASCIIHexDecode",
                     "/AHx", "/RunLengthDecode", "/RL"}  # fmt: skip
_SLICE = 1 << 20
_LARGEST_CHECKED = 64 << 20
_XREF_WARNINGS = ("file is damaged", "reconstruct", "xref not found", "startxref")


@dataclass(frozen=True)
class PdfVerdict:
    """What one inspection found; `damage` holds codes of `desktop.filecheck.damage`."""

    pages: int | None
    declared_pages: int | None = None
    version: str = ""
    encryption: str = NONE
    signatures: tuple[SignatureFact, ...] = ()
    filters: tuple[str, ...] = ()
    damage: tuple[str, ...] = field(default=())

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def broken_signatures(self) -> list[str]:
        return [s.field for s in self.signatures if not s.intact]

    @property
    def locked(self) -> bool:
        """Certified with "no changes allowed": not even a new signature may be added."""
        return any(s.locks_document for s in self.signatures)

    @property
    def repairable(self) -> bool:
        return bool(self.damage) and damage.repairable(self.damage)

    def as_facts(self) -> dict[str, Any]:
        """The verdict as JSON-able facts (kept in the blob row's `facts["pdf"]`)."""
        return {
            "pages": self.pages,
            "declared_pages": self.declared_pages,
            "version": self.version,
            "encryption": self.encryption,
            "signatures": [s.as_dict() for s in self.signatures],
            "filters": list(self.filters),
            "damage": list(self.damage),
        }

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> PdfVerdict:
        return cls(
            pages=facts.get("pages"),
            declared_pages=facts.get("declared_pages"),
            version=str(facts.get("version", "")),
            encryption=str(facts.get("encryption", NONE)),
            signatures=tuple(SignatureFact.from_dict(s) for s in facts.get("signatures", [])),
            filters=tuple(facts.get("filters", [])),
            damage=tuple(facts.get("damage", [])),
        )


def inspect_pdf(path: Path) -> PdfVerdict:
    """The verdict on the PDF at `path` (never raises for what is inside the file)."""
    with path.open("rb") as handle:
        return inspect_stream(handle)


def inspect_stream(handle: IO[bytes]) -> PdfVerdict:
    """The verdict on the PDF open in `handle` (readable and seekable)."""
    version = _header_version(handle)
    if not _has_eof_marker(handle):
        return PdfVerdict(pages=None, version=version, damage=("truncated",))
    handle.seek(0)
    try:
        pdf = pikepdf.open(cast("BinaryIO", handle), attempt_recovery=True)
    except pikepdf.PasswordError:
        return PdfVerdict(pages=None, version=version, encryption=PASSWORD)
    except Exception as exc:  # hostile input: qpdf or its binding may raise anything
        log.info("qpdf cannot open the PDF: %s", exc)
        return PdfVerdict(pages=None, version=version, damage=(_open_damage(exc),))
    with pdf:
        try:
            found = _structure(pdf)
        except Exception as exc:
            log.info("qpdf cannot read the PDF's structure: %s", exc)
            return PdfVerdict(pages=None, version=version, damage=("unreadable",))
    if any(not damage.kind(code).repairable for code in found.damage):
        return found
    handle.seek(0)
    signatures, signable = read_with_signer(handle, found.signatures)
    problems = list(found.damage)
    if not signable and "xref" not in problems:
        problems.append("nonstandard")
    return PdfVerdict(
        pages=found.pages,
        declared_pages=found.declared_pages,
        version=found.version,
        encryption=found.encryption,
        signatures=signatures,
        filters=found.filters,
        damage=tuple(problems),
    )


def _header_version(handle: IO[bytes]) -> str:
    handle.seek(0)
    head = handle.read(1024)
    at = head.find(b"%PDF-")
    if at < 0:
        return ""
    return head[at + 5 : at + 8].decode("ascii", "replace")


def _has_eof_marker(handle: IO[bytes]) -> bool:
    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(0, size - _TAIL))
    return b"%%EOF" in handle.read(_TAIL)


def _open_damage(exc: Exception) -> str:
    text = str(exc)
    if "Loop detected" in text:
        return "page_tree_loop"
    if "too deeply nested" in text or isinstance(exc, RecursionError):
        return "page_tree_deep"
    return "unreadable"


def _structure(pdf: pikepdf.Pdf) -> PdfVerdict:
    problems: list[str] = []
    warnings = " ".join(str(w) for w in pdf.get_warnings()).lower()
    if any(marker in warnings for marker in _XREF_WARNINGS):
        problems.append("xref")
    pages = len(pdf.pages)
    if pages == 0:
        problems.append("no_pages")
    tree: Any = pdf.Root.get("/Pages")
    declared = tree.get("/Count") if isinstance(tree, pikepdf.Dictionary) else None
    declared_pages = int(declared) if isinstance(declared, int) else None
    if declared_pages != pages:
        problems.append("page_count")
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary):
        fields = acroform.get("/Fields")
        if fields is not None and not isinstance(fields, pikepdf.Array):
            problems.append("form_fields")
    filters = _filters(pdf)
    unknown = [f for f in filters if f not in _KNOWN_FILTERS]
    if unknown:
        problems.append("unknown_compression")
    elif _undecodable(pdf):
        problems.append("undecodable_stream")
    return PdfVerdict(
        pages=pages,
        declared_pages=declared_pages,
        version=str(pdf.pdf_version),
        encryption=OWNER_ONLY if pdf.is_encrypted else NONE,
        signatures=_signature_fields(pdf),
        filters=tuple(filters),
        damage=tuple(problems),
    )


def _filter_names(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if isinstance(value, pikepdf.Name):
        return [str(value)]
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value if isinstance(v, pikepdf.Name)]
    return []


def _streams(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Stream]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            yield obj


def _filters(pdf: pikepdf.Pdf) -> list[str]:
    return sorted({name for stream in _streams(pdf) for name in _filter_names(stream)})


def _undecodable(pdf: pikepdf.Pdf) -> bool:
    """Whether a compressed stream does not decode. Image codecs and uncompressed data
    are stored as they are and never decoded here; Flate (nearly all of the rest) is
    inflated in slices and thrown away, so memory stays near the stream's raw size."""
    for stream in _streams(pdf):
        names = _filter_names(stream)
        if not names or names[0] not in _DECODED:
            continue
        length = stream.get("/Length")
        if isinstance(length, int) and length > _LARGEST_CHECKED:
            # qpdf hands raw data over whole: a larger stream would cost its size in
            # memory. Such streams are images, which signing and page work copy as-is.
            log.info("stream %s (%d bytes) not decoded to check it", stream.objgen, length)
            continue
        try:
            if names[0] in _FLATE:
                _inflate(stream.read_raw_bytes())
            else:
                stream.read_bytes()
        except Exception as exc:  # zlib.error, qpdf's DataDecodingError, ...
            log.info("stream %s does not decode: %s", stream.objgen, exc)
            return True
    return False


def _inflate(raw: bytes) -> None:
    inflater = zlib.decompressobj()
    view = memoryview(raw)
    for start in range(0, len(raw), _SLICE):
        chunk: bytes | memoryview = view[start : start + _SLICE]
        while chunk and not inflater.eof:
            inflater.decompress(chunk, _SLICE)
            chunk = inflater.unconsumed_tail
        if inflater.eof:
            return  # what follows the end of the data is ignored, as readers do


def _signature_fields(pdf: pikepdf.Pdf) -> tuple[SignatureFact, ...]:
    """Filled signature fields as qpdf sees them (integrity is judged by pyHanko later)."""
    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return ()
    fields = acroform.get("/Fields")
    if not isinstance(fields, pikepdf.Array):
        return ()
    found: list[SignatureFact] = []
    stack: list[Any] = list(fields)
    seen: set[tuple[int, int]] = set()
    while stack and len(seen) < 100_000:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        value = item.get("/V")
        if (
            item.get("/FT") == pikepdf.Name.Sig
            and isinstance(value, pikepdf.Dictionary)
            and "/ByteRange" in value
        ):
            found.append(SignatureFact(field=str(item.get("/T", "")), intact=False))
        kids = item.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
    return tuple(found)
