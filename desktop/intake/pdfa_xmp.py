"""The PDF/A-2b rules on XMP metadata (ISO 19005-2 6.6): the packet, the identification,
extension schemas for custom properties, and Info ↔ XMP agreement."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # the packet is screened for DTDs/entities first
from datetime import UTC, datetime

import pikepdf

from desktop.intake.pdfa_rules import Problem

_INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
}
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "pdfaType": "http://www.aiim.org/pdfa/ns/type#",
    "pdfaField": "http://www.aiim.org/pdfa/ns/field#",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
# Schemas ISO 19005-2 (6.6.2.3.1) predefines: properties in them need no description.
_PREDEFINED = {
    *NS.values(),
    "http://ns.adobe.com/xap/1.0/rights/",
    "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xmp/Identifier/qual/1.0/",
    "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xap/1.0/bj/",
    "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/tiff/1.0/",
    "http://ns.adobe.com/exif/1.0/",
    "http://ns.adobe.com/exif/1.0/aux/",
    "http://ns.adobe.com/camera-raw-settings/1.0/",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "http://ns.adobe.com/xap/1.0/sType/Version#",
    "http://ns.adobe.com/xap/1.0/sType/Job#",
    "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "http://ns.adobe.com/xap/1.0/g/img/",
    "http://ns.adobe.com/xap/1.0/g/",
    "http://ns.adobe.com/xap/1.0/sType/Font#",
}


def check_metadata(pdf: pikepdf.Pdf, problems: list[Problem]) -> None:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        problems.append(Problem("xmp", "thiếu / missing"))
        return
    packet = stream.read_bytes()
    header = re.search(rb"<\?xpacket begin=[^>]*\?>", packet)
    if header is None or re.search(rb"\b(bytes|encoding)=", header.group(0)):
        problems.append(Problem("xmp", "xpacket"))
    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        problems.append(Problem("xmp", "DTD"))
        return
    try:
        tree = ET.fromstring(packet)  # noqa: S314 (no DTD or entity can be in it: checked above)
    except ET.ParseError as exc:
        problems.append(Problem("xmp", f"XML: {exc}"))
        return
    properties = _properties(tree)
    part = properties.get((NS["pdfaid"], "part"), "")
    conformance = properties.get((NS["pdfaid"], "conformance"), "")
    if part != "2" or conformance.upper() != "B":
        problems.append(Problem("pdfaid"))
    _check_extensions(tree, properties, problems)
    _check_info(pdf, properties, problems)


def _split(tag: str) -> tuple[str, str]:
    namespace, _, name = tag[1:].partition("}")
    return namespace, name


def _text(element: ET.Element) -> str:
    """A simple property's value; for dc:title/description the x-default (or first) item
    of its Alt; for dc:creator the items of its Seq joined."""
    items = element.findall(".//rdf:li", NS)
    if not items:
        return (element.text or "").strip()
    default = [
        i for i in items if i.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"
    ]
    if default:
        return (default[0].text or "").strip()
    return ", ".join((i.text or "").strip() for i in items)


def _properties(tree: ET.Element) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for description in tree.iter(f"{{{NS['rdf']}}}Description"):
        for attribute, value in description.attrib.items():
            if attribute.startswith("{"):
                found[_split(attribute)] = value
        for child in description:
            found.setdefault(_split(child.tag), _text(child))
    return found


def _check_extensions(
    tree: ET.Element, properties: dict[tuple[str, str], str], problems: list[Problem]
) -> None:
    """A property outside the predefined schemas needs a pdfaExtension description
    (written as elements or, as pyHanko rewrites it, as attributes)."""
    uri_key, name_key = f"{{{NS['pdfaSchema']}}}namespaceURI", f"{{{NS['pdfaProperty']}}}name"
    declared: set[tuple[str, str]] = set()
    for holder in tree.iter():
        child = holder.find("pdfaSchema:namespaceURI", NS)
        uri = holder.get(uri_key) or (child.text if child is not None else None)
        if not uri:
            continue
        for item in holder.iter():
            name = item.get(name_key) or (item.text if item.tag == name_key else None)
            if name:
                declared.add((uri.strip(), name.strip()))
    for namespace, name in sorted(properties):
        if namespace not in _PREDEFINED and (namespace, name) not in declared:
            problems.append(Problem("extension_schema", f"{namespace}{name}"))


def _check_info(
    pdf: pikepdf.Pdf, properties: dict[tuple[str, str], str], problems: list[Problem]
) -> None:
    info = pdf.trailer.get("/Info")
    if info is None:
        return
    for key, xmp_name in _INFO_TO_XMP.items():
        if key not in info:
            continue
        prefix, _, local = xmp_name.partition(":")
        in_xmp = properties.get((NS[prefix], local))
        value = str(info[key])
        if in_xmp is None:
            problems.append(Problem("info_xmp", key[1:]))
        elif key.endswith("Date"):
            if pdf_date(value) != xmp_date(in_xmp):
                problems.append(Problem("info_xmp", key[1:]))
        elif value != in_xmp:
            problems.append(Problem("info_xmp", key[1:]))


_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(\d{2})?'?)?)?"
)


def pdf_date(text: str) -> datetime | None:
    """A PDF date string ("D:20250331120000+07'00'") as a datetime (None: unreadable)."""
    match = _PDF_DATE.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    offset = "Z" if sign in (None, "Z", "z") else f"{sign}{tz_h or '00'}:{tz_m or '00'}"
    try:
        return datetime.fromisoformat(
            f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:"
            f"{second or '00'}{'+00:00' if offset == 'Z' else offset}"
        )
    except ValueError:
        return None


def xmp_date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
