"""Issue #11 (3): the stamp goes in page N's own box, reads upright on a rotated page,
and a rectangle outside the page is refused with the page's size.

A 5-page PDF mixes A4 portrait, A4 landscape, A3, a /Rotate 90 page and a /Rotate 270
page with a CropBox inside a larger MediaBox; each page gets a stamp, every page is
rendered with pdftoppm and the stamp's colours are looked for where a clerk sees it.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject, RectangleObject
from signing_helpers import P12_PASSWORD, Pki
from test_stamp import blue_signature, is_blue, is_dark, is_red, red_seal

from desktop.errors import UserError
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.stamp import PAGE_MARGIN, SIGNATURE_SIZE, StampSpec
from desktop.signing.verifier import verify_pdf

# (media box, crop box or None, /Rotate); the size a viewer shows follows.
PAGES = [
    ((0, 0, 595, 842), None, 0),  # A4 portrait
    ((0, 0, 842, 595), None, 0),  # A4 landscape
    ((0, 0, 842, 1191), None, 0),  # A3 portrait
    ((0, 0, 595, 842), None, 90),  # A4 turned: shown landscape
    ((0, 0, 700, 900), (50, 40, 645, 882), 270),  # cropped, turned the other way
]


def mixed_pdf(path: Path) -> Path:
    writer = PdfWriter()
    for media, crop, rotate in PAGES:
        page = writer.add_blank_page(width=media[2], height=media[3])
        page.mediabox = RectangleObject(media)
        if crop is not None:
            page.cropbox = RectangleObject(crop)
        if rotate:
            page[NameObject("/Rotate")] = NumberObject(rotate)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def render(pdf: Path, prefix: Path, page: int) -> Image.Image:
    """The page as a viewer shows it: its CropBox, turned by its /Rotate."""
    subprocess.run(
        ["pdftoppm", "-cropbox", "-r", "100", "-f", str(page), "-l", str(page), "-png",
         "-singlefile", str(pdf), str(prefix)],
        check=True, timeout=60,
    )  # fmt: skip
    return Image.open(prefix.with_suffix(".png")).convert("RGB")


def shown_size(index: int) -> tuple[float, float]:
    media, crop, rotate = PAGES[index]
    box = crop or media
    width, height = box[2] - box[0], box[3] - box[1]
    return (height, width) if rotate in (90, 270) else (width, height)


def pixels(image: Image.Image, test) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    width = image.width
    raw = image.tobytes()
    return [
        (i // 3 % width, i // 3 // width)
        for i in range(0, len(raw), 3)
        if test((raw[i], raw[i + 1], raw[i + 2]))
    ]


def test_each_page_gets_an_upright_stamp_in_its_own_box(pki: Pki, tmp_path: Path) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    current = mixed_pdf(tmp_path / "mixed.pdf")
    signature = blue_signature(tmp_path / "sig.png")
    seal = red_seal(tmp_path / "seal.png")
    for page in range(1, 6):
        out = tmp_path / f"signed-{page}.pdf"
        spec = StampSpec(page=page, signature_image=signature, seal_image=seal)
        sign_pdf(current, out, key, SignOptions(stamp=spec))
        current = out
    report = verify_pdf(current, [pki.root])
    assert len(report.signatures) == 5 and report.ok
    scale = 100 / 72
    for index in range(5):
        image = render(current, tmp_path / f"page-{index + 1}", page=index + 1)
        width, height = shown_size(index)
        assert abs(image.width - width * scale) <= 2 and abs(image.height - height * scale) <= 2
        # Default place: bottom right of the page as shown, 28 pt from the edges.
        box = (
            (width - PAGE_MARGIN - SIGNATURE_SIZE[0]) * scale - 2,
            (height - PAGE_MARGIN - SIGNATURE_SIZE[1]) * scale - 2,
            (width - PAGE_MARGIN) * scale + 2,
            (height - PAGE_MARGIN) * scale + 2,
        )
        reds, blues, darks = (pixels(image, t) for t in (is_red, is_blue, is_dark))
        assert len(reds) > 50 and len(blues) > 50 and len(darks) > 50, f"page {index + 1}"
        for x, y in reds + blues + darks:
            assert box[0] <= x <= box[2] and box[1] <= y <= box[3], (index + 1, x, y, box)
        # Upright: the seal is left of the signature, the text lines under the images.
        assert min(x for x, _ in reds) < min(x for x, _ in blues), f"page {index + 1}"
        red_middle = sum(y for _, y in reds) / len(reds)
        assert max(y for _, y in darks) > red_middle + 20, f"page {index + 1}"


@pytest.mark.parametrize(("page", "rect"), [(2, "600,500,800,700"), (1, "400,10,700,100")])
def test_rectangle_outside_the_page_is_refused_with_the_page_size(
    page: int, rect: str, pki: Pki, tmp_path: Path
) -> None:
    from desktop.signing.stamp import parse_rect

    key = load_p12(pki.signer.p12, P12_PASSWORD)
    source = mixed_pdf(tmp_path / "mixed.pdf")
    spec = StampSpec(page=page, rect=parse_rect(rect))
    with pytest.raises(UserError) as caught:
        sign_pdf(source, tmp_path / "o.pdf", key, SignOptions(stamp=spec))
    assert caught.value.code == "signing.rect_outside"
    media = PAGES[page - 1][0]
    message = caught.value.message()
    assert f"{media[2]:g}" in message and f"{media[3]:g}" in message
    assert not (tmp_path / "o.pdf").exists()


def test_rectangle_on_a_landscape_page_inside_its_box_is_used(pki: Pki, tmp_path: Path) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    source = mixed_pdf(tmp_path / "mixed.pdf")
    spec = StampSpec(page=2, rect=(600, 400, 820, 560))
    out = tmp_path / "o.pdf"
    sign_pdf(source, out, key, SignOptions(stamp=spec))
    assert verify_pdf(out, [pki.root]).ok
