"""Checks a PDF against the PDF/A-2b rules dvc-desk's writer relies on (ISO 19005-2).

Not a full validator (there is no veraPDF in this machine's package sources): it checks
the clauses listed in `CLAUSES` — file structure, metadata, OutputIntent, the features
PDF/A forbids, embedded fonts, annotations — and docs/intake.md lists what it does not
check. `desktop.intake.pdfa` runs it on what it converts (to refuse what cannot be made
PDF/A without loss) and on what it writes (so no file is called PDF/A unchecked).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # the packet is screened for DTDs/entities first
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf

from desktop.errors import define, render

# Problems `pdfa.convert` repairs itself: it writes its own metadata, OutputIntent and
# ID, and qpdf decodes LZW data and stores it Flate-compressed (both lossless).
FIXABLE = frozenset({"header", "trailer_id", "xmp", "pdfaid", "info_xmp", "output_intent", "lzw"})

CLAUSES = {
    "header": "6.1.2",
    "trailer_id": "6.1.3",
    "encrypt": "6.1.3",
    "trailing_data": "6.1.3",
    "external_stream": "6.1.7.1",
    "lzw": "6.1.7.2",
    "output_intent": "6.2.3",
    "device_colour": "6.2.4.3",
    "extgstate": "6.2.5",
    "image": "6.2.8",
    "xobject": "6.2.9",
    "blend_mode": "6.2.10",
    "font": "6.2.11.4",
    "annotation": "6.3",
    "need_appearances": "6.4.1",
    "action": "6.5",
    "xmp": "6.6.2.1",
    "pdfaid": "6.6.4",
    "extension_schema": "6.6.2.3",
    "info_xmp": "6.6.3",
    "embedded_file": "6.8",
}

_MESSAGES = {
    "header": ("đầu tệp không đúng dạng PDF/A", "the file header is not the PDF/A form"),
    "trailer_id": ("thiếu mã nhận dạng tệp (ID)", "the file identifier (ID) is missing"),
    "encrypt": ("tệp được mã hoá", "the file is encrypted"),
    "trailing_data": ("có dữ liệu sau %%EOF", "there is data after %%EOF"),
    "external_stream": ("có dữ liệu nằm ở tệp ngoài", "a stream refers to an external file"),
    "lzw": ("có dữ liệu nén LZW", "some data is LZW-compressed"),
    "output_intent": ("thiếu hoặc sai hồ sơ màu (OutputIntent)", "OutputIntent missing or wrong"),
    "device_colour": (
        "có màu thiết bị ({detail}) không khớp hồ sơ màu",
        "device colour ({detail}) does not match the OutputIntent",
    ),
    "extgstate": ("có hàm chuyển đổi/bán sắc bị cấm", "a forbidden transfer/halftone entry"),
    "image": ("có ảnh với thuộc tính bị cấm ({detail})", "an image has a forbidden key ({detail})"),
    "xobject": ("có đối tượng PostScript/tham chiếu ngoài", "a PostScript or reference XObject"),
    "blend_mode": ("có chế độ hoà trộn không chuẩn", "a non-standard blend mode"),
    "font": ("phông chữ {detail} không được nhúng", "font {detail} is not embedded"),
    "annotation": ("chú thích trên trang không hợp lệ ({detail})", "an annotation ({detail})"),
    "need_appearances": ("biểu mẫu thiếu hình hiển thị", "form fields lack appearances"),
    "action": ("có hành động/mã lệnh bị cấm ({detail})", "a forbidden action ({detail})"),
    "xmp": (
        "siêu dữ liệu XMP thiếu hoặc hỏng ({detail})",
        "XMP metadata missing or bad ({detail})",
    ),
    "pdfaid": ("không ghi nhận là PDF/A-2b", "not identified as PDF/A-2b"),
    "extension_schema": (
        "thuộc tính XMP {detail} chưa được khai báo",
        "XMP property {detail} is not declared in an extension schema",
    ),
    "info_xmp": (
        "thông tin tài liệu khác siêu dữ liệu XMP ({detail})",
        "document info differs from XMP ({detail})",
    ),
    "embedded_file": ("có tệp đính kèm bên trong PDF", "the PDF holds embedded files"),
}
_CODES = {rule: define(f"intake.pdfa.{rule}", vi=vi, en=en) for rule, (vi, en) in _MESSAGES.items()}


@dataclass(frozen=True)
class Problem:
    rule: str  # a key of CLAUSES
    detail: str = ""

    @property
    def clause(self) -> str:
        return CLAUSES[self.rule]

    def message(self, language: str | None = None) -> str:
        text = render(_CODES[self.rule], {"detail": self.detail}, language)
        return f"{text} (ISO 19005-2 {self.clause})"


_FORBIDDEN_ACTIONS = {
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide",
    "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
}  # fmt: skip
_FORBIDDEN_ANNOTS = {"/3D", "/Sound", "/Screen", "/Movie", "/TrapNet", "/RichMedia"}
_BLEND_MODES = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
    "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
    "/Hue", "/Saturation", "/Color", "/Luminosity",
}  # fmt: skip
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


def check(path: Path) -> list[Problem]:
    """Every problem found in the PDF file `path` ([] when the checked rules hold)."""
    problems = _check_bytes(path)
    with pikepdf.open(path) as pdf:
        if pdf.is_encrypted:
            return [*problems, Problem("encrypt")]
        problems += check_document(pdf)
    return problems


def _check_bytes(path: Path) -> list[Problem]:
    problems = []
    with path.open("rb") as f:
        head = f.read(64)
        f.seek(max(0, path.stat().st_size - 32))
        tail = f.read()
    lines = head.split(b"\n", 2)
    binary = len(lines) > 1 and lines[1].startswith(b"%") and sum(b > 127 for b in lines[1]) >= 4
    if not re.fullmatch(rb"%PDF-1\.[0-7]\r?", lines[0]) or not binary:
        problems.append(Problem("header"))
    if not re.search(rb"%%EOF(\r\n|\r|\n)?$", tail):
        problems.append(Problem("trailing_data"))
    return problems


def check_document(pdf: pikepdf.Pdf) -> list[Problem]:
    """The problems of an open document (the byte-level rules are in `check`)."""
    problems: list[Problem] = []
    if "/ID" not in pdf.trailer:
        problems.append(Problem("trailer_id"))
    if "/Encrypt" in pdf.trailer:
        problems.append(Problem("encrypt"))
    intent = _output_intent(pdf, problems)
    for obj in _all_dicts(pdf):
        _check_object(obj, problems)
    _check_catalog(pdf, problems)
    check_colours(pdf, intent, problems)
    _check_metadata(pdf, problems)
    unique: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.rule, problem.detail), problem)
    return list(unique.values())


def _all_dicts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Every dictionary and stream of the file: each indirect object and what it holds
    directly (indirect children are visited as objects of their own)."""
    for obj in pdf.objects:
        stack: list[Any] = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, pikepdf.Stream | pikepdf.Dictionary):
                yield item
                values: Any = item.stream_dict if isinstance(item, pikepdf.Stream) else item
                stack.extend(v for v in values.values() if _direct(v))
            elif isinstance(item, pikepdf.Array):
                stack.extend(v for v in item if _direct(v))


def _direct(value: Any) -> bool:
    return isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect


def _names(value: Any) -> list[str]:
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


def _check_object(obj: pikepdf.Dictionary | pikepdf.Stream, problems: list[Problem]) -> None:
    keys = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
    if isinstance(obj, pikepdf.Stream):
        if any(k in keys for k in ("/F", "/FFilter", "/FDecodeParms")):
            problems.append(Problem("external_stream"))
        if "/LZWDecode" in _names(keys.get("/Filter")):
            problems.append(Problem("lzw"))
    kind, subtype = str(keys.get("/Type", "")), str(keys.get("/Subtype", ""))
    _check_graphics(keys, subtype, problems)
    if kind == "/Font" or (subtype in ("/Type1", "/TrueType", "/MMType1") and "/BaseFont" in keys):
        _check_font(keys, problems)
    action = str(keys.get("/S", ""))
    if action in _FORBIDDEN_ACTIONS and (kind in ("", "/Action")):
        problems.append(Problem("action", action[1:]))
    if "/AA" in keys:
        problems.append(Problem("action", "AA"))
    if kind == "/Annot" or (subtype and "/Rect" in keys and "/P" in keys):
        _check_annotation(keys, subtype, problems)


def _check_graphics(keys: Any, subtype: str, problems: list[Problem]) -> None:
    """Images, XObjects, graphics states: the keys PDF/A forbids."""
    if subtype == "/Image":
        problems += [Problem("image", key) for key in ("/Alternates", "/OPI") if key in keys]
        if bool(keys.get("/Interpolate", False)):
            problems.append(Problem("image", "/Interpolate"))
    elif subtype == "/PS" or (subtype == "/Form" and ("/Ref" in keys or "/OPI" in keys)):
        problems.append(Problem("xobject"))
    if "/TR" in keys or "/HTP" in keys or keys.get("/TR2", "/Default") != "/Default":
        problems.append(Problem("extgstate"))
    if "/BM" in keys and not set(_names(keys.get("/BM"))) <= _BLEND_MODES:
        problems.append(Problem("blend_mode"))


def _check_font(font: Any, problems: list[Problem]) -> None:
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        return
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if descendants is None or len(descendants) == 0:
            problems.append(Problem("font", str(font.get("/BaseFont", "?"))[1:]))
            return
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    embedded = descriptor is not None and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )
    if not embedded:
        problems.append(Problem("font", str(font.get("/BaseFont", "?"))[1:]))


def _check_annotation(annot: Any, subtype: str, problems: list[Problem]) -> None:
    if subtype in _FORBIDDEN_ANNOTS:
        problems.append(Problem("annotation", subtype[1:]))
        return
    if subtype == "/Popup":
        return
    flags = int(annot.get("/F", 0))
    # Print (4) set; Invisible (1), Hidden (2), ToggleNoView (256), NoView (32) clear.
    if not flags & 4 or flags & (1 | 2 | 32 | 256):
        problems.append(Problem("annotation", f"{subtype[1:]} /F {flags}"))
    rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
    zero = len(rect) == 4 and rect[0] == rect[2] and rect[1] == rect[3]
    if subtype != "/Link" and not zero:
        appearance = annot.get("/AP")
        if appearance is None or "/N" not in appearance:
            problems.append(Problem("annotation", f"{subtype[1:]} /AP"))
        elif set(appearance.keys()) - {"/N"}:
            problems.append(Problem("annotation", f"{subtype[1:]} /AP /D /R"))


def _check_catalog(pdf: pikepdf.Pdf, problems: list[Problem]) -> None:
    root = pdf.Root
    form = root.get("/AcroForm")
    if form is not None and bool(form.get("/NeedAppearances", False)):
        problems.append(Problem("need_appearances"))
    names = root.get("/Names")
    if names is not None:
        if "/JavaScript" in names:
            problems.append(Problem("action", "JavaScript"))
        if "/EmbeddedFiles" in names:
            problems.append(Problem("embedded_file"))


def _profile_components(profile: bytes) -> int | None:
    """Components of a usable output profile (ICC v2 or v4 up to 4.2, monitor/printer)."""
    if len(profile) < 128 or profile[36:40] != b"acsp":
        return None
    major, minor = profile[8], profile[9] >> 4
    if major not in (2, 4) or (major == 4 and minor > 2):
        return None
    if profile[12:16] not in (b"mntr", b"prtr"):
        return None
    return {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}.get(profile[16:20])


def _output_intent(pdf: pikepdf.Pdf, problems: list[Problem]) -> int | None:
    """The number of components of the PDF/A OutputIntent (None: missing or unusable)."""
    listed: Any = pdf.Root.get("/OutputIntents", [])
    intents = [i for i in listed if i.get("/S") == "/GTS_PDFA1"]
    profiles = {i.DestOutputProfile.objgen for i in intents if "/DestOutputProfile" in i}
    if len(intents) == 0 or len(profiles) != 1:
        problems.append(Problem("output_intent"))
        return None
    stream = intents[0].DestOutputProfile
    components = _profile_components(stream.read_bytes())
    if components is None or int(stream.get("/N", 0)) != components:
        problems.append(Problem("output_intent"))
        return None
    return components


_COLOUR_OPS = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK"}


def check_colours(pdf: pikepdf.Pdf, intent: int | None, problems: list[Problem]) -> None:
    """Device colour spaces need an OutputIntent of their kind (DeviceGray: any);
    `intent` is the OutputIntent's number of components."""
    allowed = {"DeviceGray"} if intent else set()
    allowed |= {3: {"DeviceRGB"}, 4: {"DeviceCMYK"}}.get(intent or 0, set())
    used: set[str] = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        subtype = obj.stream_dict.get("/Subtype")
        if subtype == "/Image" and not obj.stream_dict.get("/ImageMask", False):
            used.update(_device_spaces(obj.stream_dict.get("/ColorSpace")))
        if subtype == "/Form":
            used |= _content_spaces(obj)
    for page in pdf.pages:
        resources: Any = page.obj.get("/Resources", {})
        defaults: Any = resources.get("/ColorSpace", {})
        spaces = _content_spaces(page.obj)
        if "/DefaultRGB" in defaults:
            spaces.discard("DeviceRGB")
        if "/DefaultCMYK" in defaults:
            spaces.discard("DeviceCMYK")
        used |= spaces
    for space in sorted(used - allowed):
        problems.append(Problem("device_colour", space))


def _device_spaces(value: Any) -> set[str]:
    names = {str(value)[1:]} if isinstance(value, pikepdf.Name) else set()
    if isinstance(value, pikepdf.Array) and len(value) > 1 and value[0] == "/Indexed":
        names |= _device_spaces(value[1])
    return names & {"DeviceRGB", "DeviceCMYK", "DeviceGray"}


def _content_spaces(holder: Any) -> set[str]:
    spaces: set[str] = set()
    try:
        instructions = pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError:
        return spaces
    for instruction in instructions:
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, op = instruction.operands, str(instruction.operator)
        if op in _COLOUR_OPS:
            spaces.add(_COLOUR_OPS[op])
        elif op in ("g", "G"):
            spaces.add("DeviceGray")
        elif op in ("cs", "CS") and operands:
            spaces |= _device_spaces(operands[0])
    return spaces


# --- metadata --------------------------------------------------------------------------


def _check_metadata(pdf: pikepdf.Pdf, problems: list[Problem]) -> None:
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
