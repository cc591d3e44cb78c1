"""PDFs made here, each broken in one way a clerk's file can be (issue #21's corpus).

Every file is written byte by byte (objects, then a correct cross-reference table) so
that each one carries exactly the defect its name says, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf

_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>"
_TEXT = b"BT /F1 12 Tf 72 720 Td (To khai) Tj ET"


def raw_pdf(
    objects: dict[int, bytes], *, root: int = 1, trailer: bytes = b"", with_id: bool = True
) -> bytes:
    """A PDF 1.7 file with `objects` (number -> body) and a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    ident = b" /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root)
    out += (ident if with_id else b"") + trailer + b" >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _one_page(**changes: bytes) -> dict[int, bytes]:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: _PAGE,
        4: _stream(_TEXT),
    }
    for key, body in changes.items():
        objects[int(key.removeprefix("o"))] = body
    return objects


def good() -> bytes:
    return raw_pdf(_one_page())


def fields_not_array() -> bytes:
    return raw_pdf(
        _one_page(
            o1=b"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
            o5=b"<< /Fields 7 /DA (/Helv 0 Tf 0 g) >>",
        )
    )


def missing_id() -> bytes:
    return raw_pdf(_one_page(), with_id=False)


def indirect_mediabox() -> bytes:
    """Valid: the MediaBox numbers are indirect objects (allowed, clean under qpdf)."""
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 5 0 R 6 0 R] /Resources << >>"
        b" /Contents 4 0 R >>"
    )
    return raw_pdf(_one_page(o3=page, o5=b"595", o6=b"842"))


def deep_page_tree(depth: int = 3000) -> bytes:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    first = 2
    for level in range(depth):
        number = first + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent)
    page = first + depth
    objects[page] = (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << >>"
        b" /Contents %d 0 R >>" % (page - 1, page + 1)
    )
    objects[page + 1] = _stream(_TEXT)
    return raw_pdf(objects)


def looping_page_tree() -> bytes:
    return raw_pdf(
        _one_page(
            o2=b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
            o5=b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        )
    )


def huge_count() -> bytes:
    return raw_pdf(_one_page(o2=b"<< /Type /Pages /Kids [3 0 R] /Count 9999999999 >>"))


def brotli_stream() -> bytes:
    return raw_pdf(
        _one_page(o4=_stream(b"\x1b\x26\x00\xf8\x25\x00\x12", b" /Filter /BrotliDecode"))
    )


def undecodable_stream() -> bytes:
    return raw_pdf(_one_page(o4=_stream(b"this is not deflate data" * 4, b" /Filter /FlateDecode")))


def stray_byterange() -> bytes:
    """A /ByteRange outside any signature field: no signature for pdfsig or pyHanko."""
    text = b"BT /F1 12 Tf 72 720 Td (/ByteRange [0 1 2 3]) Tj ET"
    return raw_pdf(
        _one_page(
            o4=_stream(text),
            o1=b"<< /Type /Catalog /Pages 2 0 R /Info_ 5 0 R >>",
            o5=b"<< /ByteRange [0 10 20 30] >>",
        )
    )


def broken_signature() -> bytes:
    """A filled signature field whose /Contents is not a CMS signature at all."""
    length = 64
    sig = (
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
        b"/ByteRange [0 10 20 30] /Contents <" + b"00" * length + b"> >>"
    )
    field = b"<< /FT /Sig /T (Signature1) /V 6 0 R /Rect [0 0 0 0] /P 3 0 R /Subtype /Widget >>"
    return raw_pdf(
        _one_page(
            o1=b"<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>",
            o5=field,
            o6=sig,
            o7=b"<< /Fields [5 0 R] /SigFlags 3 >>",
        )
    )


def owner_only_encryption(folder: Path) -> bytes:
    """Opens without a password; only the owner's restrictions are set."""
    plain = folder / "plain-for-owner.pdf"
    plain.write_bytes(good())
    target = folder / "owner-only.pdf"
    with pikepdf.open(plain) as pdf:
        permissions = pikepdf.Permissions(modify_other=False, extract=False)
        pdf.save(target, encryption=pikepdf.Encryption(owner="chu", user="", allow=permissions))
    data = target.read_bytes()
    plain.unlink()
    target.unlink()
    return data


def user_password(folder: Path) -> bytes:
    plain = folder / "plain-for-user.pdf"
    plain.write_bytes(good())
    target = folder / "user-password.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="chu", user="mo"))
    data = target.read_bytes()
    plain.unlink()
    target.unlink()
    return data


def broken_xref() -> bytes:
    """Readable but with a wrong cross-reference table: qpdf rebuilds it (repairable)."""
    data = bytearray(good())
    at = data.rindex(b"startxref\n") + len(b"startxref\n")
    end = data.index(b"\n", at)
    data[at:end] = b"%d" % (int(data[at:end]) + 7)
    return bytes(data)


def not_a_pdf() -> bytes:
    return b"PK\x03\x04 this is a zip with a /ByteRange inside, not a PDF " * 4


SIMPLE: dict[str, Callable[[], bytes]] = {
    "fields-not-array": fields_not_array,
    "missing-id": missing_id,
    "indirect-mediabox": indirect_mediabox,
    "deep-page-tree": deep_page_tree,
    "looping-page-tree": looping_page_tree,
    "huge-count": huge_count,
    "brotli-stream": brotli_stream,
    "undecodable-stream": undecodable_stream,
    "stray-byterange": stray_byterange,
    "broken-signature": broken_signature,
    "broken-xref": broken_xref,
}


def write_corpus(folder: Path) -> dict[str, Path]:
    """Every corpus file in `folder`, by name."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {name: make() for name, make in SIMPLE.items()}
    made["owner-only"] = owner_only_encryption(folder)
    made["user-password"] = user_password(folder)
    made["good"] = good()
    paths = {}
    for name, data in made.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        paths[name] = path
    return paths
