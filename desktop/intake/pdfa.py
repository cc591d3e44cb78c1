"""PDF/A-2b output (ISO 19005-2, TCVN 14159-2:2024): what makes a scan PDF fit for the archive.

A PDF/A-2b file here is the usual lossless scan PDF plus: an sRGB OutputIntent with the
ICC profile embedded (`resources/icc/sRGB.icc`), an XMP packet identifying PDF/A-2b and
repeating the document information (and the record metadata of
`desktop.intake.metadata`, described by a PDF/A extension schema), and a file ID. Images
written by `desktop.intake.pdfwriter` get these parts as they stream; an existing PDF is
converted with pikepdf only when that is lossless: the parts are added, nothing drawn is
changed. What the parts cannot cure (fonts not embedded, JavaScript, CMYK without a CMYK
profile, embedded files, ...) is refused with the reasons. Every file written is checked
by `desktop.intake.pdfa_check` before it replaces anything.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf

from desktop.atomic import atomic_path
from desktop.errors import UserError, define
from desktop.intake.files import Kind, check_output, sniff
from desktop.intake.metadata import FIELDS, RecordMetadata
from desktop.intake.pdfa_check import check, check_colours, check_document
from desktop.intake.pdfa_rules import FIXABLE, Problem
from desktop.intake.pdfa_xmp import NS, pdf_date
from desktop.intake.pdfwriter import PdfStreamWriter
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

PRODUCER = "dvc-desk"
ICC_PATH = Path(__file__).resolve().parents[2] / "resources" / "icc" / "sRGB.icc"
RECORD_NS = "urn:dvc-desk:record:1.0#"
RECORD_PREFIX = "hstl"
_XMP_TYPES = {"date": "Date", "count": "Integer"}

E_NOT_LOSSLESS = define(
    "intake.pdfa_not_lossless",
    vi="Không thể chuyển {path} sang PDF/A-2b mà không làm thay đổi nội dung: {reasons}. "
    "Tệp không được ghi. Hãy quét lại thành ảnh rồi tạo PDF bằng dvc-desk (intake "
    "images2pdf --pdfa), hoặc xin bản PDF/A từ nơi cấp tệp.",
    en="{path} cannot be made PDF/A-2b without changing its content: {reasons}. Nothing "
    "was written. Scan it again and make the PDF with dvc-desk (intake images2pdf --pdfa), "
    "or ask whoever issued the file for a PDF/A version.",
)
E_CMYK = define(
    "intake.pdfa_cmyk",
    vi="Ảnh {path} là ảnh CMYK; PDF/A với hồ sơ màu sRGB không giữ được ảnh này nếu không "
    "đổi màu. Hãy quét lại ở chế độ màu (RGB) hoặc xám.",
    en="{path} is a CMYK image; PDF/A with an sRGB profile cannot keep it without changing "
    "its colours. Scan it again in colour (RGB) or grey.",
)
E_CHECK_FAILED = define(
    "intake.pdfa_check_failed",
    vi="Tệp PDF/A vừa tạo từ {path} không đạt kiểm tra: {reasons}. Tệp không được ghi; "
    "hãy gửi tệp gốc cho bộ phận hỗ trợ.",
    en="The PDF/A made from {path} failed its check: {reasons}. Nothing was written; send "
    "the original to support.",
)


@functools.cache
def icc_profile() -> bytes:
    """The sRGB profile embedded as the OutputIntent (ICC v2, from icc-profiles-free)."""
    return ICC_PATH.read_bytes()


@dataclass(frozen=True)
class DocInfo:
    """The document information a PDF/A file states twice (Info dictionary and XMP)."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = ""
    producer: str = PRODUCER
    created: datetime | None = None
    modified: datetime | None = None


def _xmp_date(moment: datetime) -> str:
    return moment.isoformat()


def _pdf_date(moment: datetime) -> str:
    offset = moment.strftime("%z") or "+0000"
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


def _alt(tag: str, value: str) -> str:
    return (
        f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt></{tag}>'
    )


def xmp_packet(doc: DocInfo, record: RecordMetadata | None = None) -> bytes:
    """The XMP packet: PDF/A-2b identification, `doc` and the record metadata."""
    main = ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    main.append(f"<pdf:Producer>{escape(doc.producer)}</pdf:Producer>")
    if doc.title:
        main.append(_alt("dc:title", doc.title))
    if doc.author:
        main.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(doc.author)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if doc.subject:
        main.append(_alt("dc:description", doc.subject))
    if doc.keywords:
        main.append(f"<pdf:Keywords>{escape(doc.keywords)}</pdf:Keywords>")
    if doc.creator:
        main.append(f"<xmp:CreatorTool>{escape(doc.creator)}</xmp:CreatorTool>")
    if doc.created:
        main.append(f"<xmp:CreateDate>{_xmp_date(doc.created)}</xmp:CreateDate>")
    if doc.modified:
        main.append(f"<xmp:ModifyDate>{_xmp_date(doc.modified)}</xmp:ModifyDate>")
        main.append(f"<xmp:MetadataDate>{_xmp_date(doc.modified)}</xmp:MetadataDate>")
    descriptions = [_description({k: NS[k] for k in ("pdfaid", "pdf", "dc", "xmp")}, main)]
    values = record.as_dict() if record is not None else {}
    record_props = [
        f"<{RECORD_PREFIX}:{f.xmp}>{escape(values[f.key])}</{RECORD_PREFIX}:{f.xmp}>"
        for f in FIELDS
        if values.get(f.key)
    ]
    if record_props:
        descriptions.append(_description({RECORD_PREFIX: RECORD_NS}, record_props))
        descriptions.append(_extension_schema())
    body = "\n".join(descriptions)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/">\n<rdf:RDF xmlns:rdf="{NS["rdf"]}">\n'
        f"{body}\n</rdf:RDF>\n</x:xmpmeta>\n" + (" " * 99 + "\n") * 20 + '<?xpacket end="w"?>'
        # Room to edit the packet in place later, as XMP writers expect.
    )
    return packet.encode("utf-8")


def _description(namespaces: dict[str, str], properties: Sequence[str]) -> str:
    declared = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items())
    inner = "\n  ".join(properties)
    return f'<rdf:Description rdf:about="" {declared}>\n  {inner}\n</rdf:Description>'


def _extension_schema() -> str:
    """The PDF/A extension schema describing the record properties (ISO 19005-2 6.6.2.3)."""
    properties = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{f.xmp}</pdfaProperty:name>"
        f"<pdfaProperty:valueType>{_XMP_TYPES.get(f.kind, 'Text')}</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{escape(f.vi)} / {escape(f.en)}</pdfaProperty:description>"
        "</rdf:li>"
        for f in FIELDS
    )
    schema = (
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Siêu dữ liệu hồ sơ số hoá (Thông tư 05/2025/TT-BNV)</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{RECORD_NS}</pdfaSchema:namespaceURI>"
        f"<pdfaSchema:prefix>{RECORD_PREFIX}</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas>"
    )
    namespaces = {k: NS[k] for k in ("pdfaExtension", "pdfaSchema", "pdfaProperty")}
    return _description(namespaces, [schema])


def doc_info_for(record: RecordMetadata | None, base: DocInfo | None = None) -> DocInfo:
    """`base` (the existing document information) with the record's title over it."""
    base = base or DocInfo()
    title = record.get("title") if record is not None else ""
    return DocInfo(
        title=title or base.title,
        author=base.author,
        subject=base.subject,
        keywords=base.keywords,
        creator=base.creator,
        producer=PRODUCER,
        created=base.created,
        modified=base.modified,
    )


def _pdf_text(value: str) -> str:
    """A PDF text string: ASCII as a literal, anything else as UTF-16BE hex with a BOM."""
    if value.isascii():
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def _info_entries(doc: DocInfo) -> dict[str, str]:
    """Info dictionary entries equal to what the XMP says (ISO 19005-2 6.6.3)."""
    entries = {"/Producer": doc.producer}
    for key, value in (
        ("/Title", doc.title),
        ("/Author", doc.author),
        ("/Subject", doc.subject),
        ("/Keywords", doc.keywords),
        ("/Creator", doc.creator),
    ):
        if value:
            entries[key] = value
    return entries


# --- images streamed by PdfStreamWriter ---------------------------------------------------


def refuse_cmyk(colorspace: str, path: Path) -> None:
    """Refuse a CMYK image for PDF/A: the sRGB OutputIntent cannot describe it."""
    if colorspace == "/DeviceCMYK":
        raise UserError(E_CMYK, path=str(path))


def finish_stream(writer: PdfStreamWriter, record: RecordMetadata | None) -> None:
    """Close `writer` (made with file_id=True) as PDF/A-2b: profile, XMP, matching Info."""
    profile = icc_profile()
    icc_id = writer.add_stream(" /N 3", profile)
    intent_id = writer.add_object(
        f"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"
        f" /Info (sRGB IEC61966-2.1) /DestOutputProfile {icc_id} 0 R >>"
    )
    doc = doc_info_for(record)
    metadata_id = writer.add_stream(" /Type /Metadata /Subtype /XML", xmp_packet(doc, record))
    info = " ".join(f"{key} {_pdf_text(value)}" for key, value in _info_entries(doc).items())
    writer.close(
        catalog_extra=f" /Metadata {metadata_id} 0 R /OutputIntents [{intent_id} 0 R]", info=info
    )


# --- existing PDFs through pikepdf ---------------------------------------------------------


def _existing_info(pdf: pikepdf.Pdf) -> DocInfo:
    info = pdf.trailer.get("/Info")
    if info is None:
        return DocInfo()

    def text(key: str) -> str:
        value = info.get(key)
        return str(value) if isinstance(value, pikepdf.String) else ""

    return DocInfo(
        title=text("/Title"),
        author=text("/Author"),
        subject=text("/Subject"),
        keywords=text("/Keywords"),
        creator=text("/Creator"),
        created=pdf_date(text("/CreationDate")) if text("/CreationDate") else None,
        modified=pdf_date(text("/ModDate")) if text("/ModDate") else None,
    )


def blocking_problems(pdf: pikepdf.Pdf) -> list[Problem]:
    """What stops a lossless conversion of `pdf` (what `apply` does not repair); device
    colours are judged against the sRGB OutputIntent `apply` puts in."""
    found = [p for p in check_document(pdf) if p.rule not in FIXABLE | {"device_colour"}]
    colours: list[Problem] = []
    check_colours(pdf, 3, colours)
    return found + colours


def apply(pdf: pikepdf.Pdf, record: RecordMetadata | None, shown: Path) -> None:
    """Make the open document PDF/A-2b in place: OutputIntent, XMP, Info; refuses (with
    the reasons) when that would not be enough without changing what is drawn."""
    blocking = blocking_problems(pdf)
    if blocking:
        reasons = "; ".join(p.message() for p in blocking)
        raise UserError(E_NOT_LOSSLESS, path=str(shown), reasons=reasons)
    doc = doc_info_for(record, _existing_info(pdf))
    profile = pdf.make_stream(icc_profile())
    profile.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    metadata = pdf.make_stream(xmp_packet(doc, record))
    metadata.Type = pikepdf.Name.Metadata
    metadata.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = metadata
    info = pikepdf.Dictionary({k: pikepdf.String(v) for k, v in _info_entries(doc).items()})
    if doc.created:
        info["/CreationDate"] = pikepdf.String(_pdf_date(doc.created))
    if doc.modified:
        info["/ModDate"] = pikepdf.String(_pdf_date(doc.modified))
    pdf.trailer.Info = pdf.make_indirect(info)


def save_checked(pdf: pikepdf.Pdf, output: Path, shown: Path) -> None:
    """Save `pdf` to `output` atomically, only if the written file passes the checker."""
    with atomic_path(output) as tmp:
        pdf.save(
            tmp,
            min_version="1.4",
            deterministic_id=True,
            fix_metadata_version=False,
            compress_streams=True,
        )
        verify(tmp, shown)


def verify(path: Path, shown: Path) -> None:
    """Raise when the PDF/A written at `path` fails the checker (it is then not used)."""
    problems = check(path)
    if problems:
        reasons = "; ".join(p.message() for p in problems)
        raise UserError(E_CHECK_FAILED, path=str(shown), reasons=reasons)


@dataclass(frozen=True)
class PdfaReport:
    output: str
    pages: int
    size: int


def convert(
    source: Path,
    output: Path,
    record: RecordMetadata | None = None,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PdfaReport:
    """Write `output`: `source` (a PDF, or an image) as PDF/A-2b, losslessly, or refuse."""
    from desktop.intake.convert import images_to_pdf  # convert imports this module
    from desktop.intake.pdfs import open_pdf

    check_output(output, [source])
    progress(Progress(0, 1, source.name))
    if sniff(source) is not Kind.PDF:
        report = images_to_pdf([source], output, pdfa=True, record=record, cancel=cancel)
        return PdfaReport(str(output), report.pages, report.size)
    with open_pdf(source) as pdf:
        if cancel is not None:
            cancel.check()
        apply(pdf, record, source)
        save_checked(pdf, output, source)
        pages = len(pdf.pages)
    progress(Progress(1, 1, source.name))
    return PdfaReport(str(output), pages, output.stat().st_size)
