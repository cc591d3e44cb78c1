"""PDFs with one feature PDF/A forbids each, made with pikepdf, for the checker's tests."""

from __future__ import annotations

from pathlib import Path

import pikepdf


def text_pdf(path: Path, *, embedded: bool = False) -> Path:
    """One page of text in Helvetica (a standard font, not embedded unless `embedded`)."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)  # fmt: skip
    if embedded:
        font.FontDescriptor = pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontFile=pdf.make_stream(b"not a real font")
        )
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (To khai) Tj ET")
    pdf.save(path)
    return path


def with_javascript(source: Path, path: Path) -> Path:
    with pikepdf.open(source) as pdf:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = pdf.make_indirect(action)
        pdf.save(path)
    return path


def with_hidden_annotation(source: Path, path: Path) -> Path:
    with pikepdf.open(source) as pdf:
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30], F=2, Contents=pikepdf.String("ghi chú"),
        )  # fmt: skip
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))
        pdf.save(path)
    return path


def with_interpolated_image(source: Path, path: Path) -> Path:
    with pikepdf.open(source) as pdf:
        for image in pdf.pages[0].get_images().values():
            image.Interpolate = True
        pdf.save(path)
    return path


def with_lzw_stream(source: Path, path: Path) -> Path:
    with pikepdf.open(source) as pdf:
        stream = pdf.make_stream(b"")
        stream.write(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", filter=pikepdf.Name.LZWDecode)
        pdf.Root.Extra = stream
        pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return path


def with_xmp(source: Path, path: Path, old: bytes, new: bytes) -> Path:
    """`source` with `old` replaced by `new` in its XMP packet."""
    with pikepdf.open(source) as pdf:
        packet = pdf.Root.Metadata.read_bytes()
        assert old in packet
        pdf.Root.Metadata.write(packet.replace(old, new))
        pdf.save(path, fix_metadata_version=False)  # else pikepdf rewrites the packet
    return path


def image_streams(path: Path) -> list[bytes]:
    """The raw (still encoded) bytes of every image of every page, in page order."""
    with pikepdf.open(path) as pdf:
        return [
            image.read_raw_bytes() for page in pdf.pages for image in page.get_images().values()
        ]
