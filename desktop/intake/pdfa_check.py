"""Checks a PDF against the PDF/A-2b rules dvc-desk's writer relies on (ISO 19005-2).

Not a full validator (there is no veraPDF in this machine's package sources): it checks
the clauses listed in `pdfa_rules.CLAUSES` — file structure, metadata, OutputIntent, the features
PDF/A forbids, embedded fonts, annotations — and docs/intake.md lists what it does not
check. `desktop.intake.pdfa` runs it on what it converts (to refuse what cannot be made
PDF/A without loss) and on what it writes (so no file is called PDF/A unchecked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf

from desktop.intake.pdfa_rules import Problem
from desktop.intake.pdfa_xmp import check_metadata

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
    check_metadata(pdf, problems)
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
