"""The ND30 stamp: placement, images, Vietnamese text; rendered with pdftoppm and inspected."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw
from signing_helpers import P12_PASSWORD, SIGNER_NAME, Pki

from desktop.errors import UserError
from desktop.signing.fonts import stamp_font_path
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.stamp import COPY_SIZE, StampSpec, compose_images, parse_rect, place
from desktop.signing.verifier import verify_pdf

A4 = (0.0, 0.0, 595.0, 842.0)
VIETNAMESE = "NGUYỄN VĂN A Hòa Bình SAO LỤC TRÍCH SAO Thời gian ký bởi đ Ư ơ ữ ỹ"


def blue_signature(path: Path) -> Path:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line(
        [(10, 90), (80, 20), (140, 100), (200, 30), (290, 80)], fill=(20, 40, 200, 255), width=8
    )
    image.save(path)
    return path


def red_seal(path: Path) -> Path:
    image = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 156, 156), outline=(220, 20, 20, 255), width=10)
    draw.ellipse((40, 40, 120, 120), fill=(220, 20, 20, 255))
    image.save(path)
    return path


def render(pdf: Path, out_prefix: Path, page: int = 1) -> Image.Image:
    assert shutil.which("pdftoppm"), "poppler-utils is needed (scripts/system-deps.sh)"
    subprocess.run(
        ["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), "-png", "-singlefile",
         str(pdf), str(out_prefix)],
        check=True, timeout=60,
    )  # fmt: skip
    return Image.open(out_prefix.with_suffix(".png")).convert("RGB")


def count(image: Image.Image, box: tuple[int, int, int, int], test) -> int:  # type: ignore[no-untyped-def]
    raw = image.crop(box).tobytes()
    return sum(1 for i in range(0, len(raw), 3) if test((raw[i], raw[i + 1], raw[i + 2])))


def is_blue(p: tuple[int, int, int]) -> bool:
    return p[2] > 150 and p[0] < 100 and p[1] < 120


def is_red(p: tuple[int, int, int]) -> bool:
    return p[0] > 150 and p[1] < 90 and p[2] < 90


def is_dark(p: tuple[int, int, int]) -> bool:
    return max(p) < 90


def test_shipped_font_has_1000_units_per_em_and_vietnamese_glyphs() -> None:
    font = TTFont(str(stamp_font_path()))
    assert font["head"].unitsPerEm == 1000
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in VIETNAMESE if not ch.isspace())
    assert "Liberation" not in font["name"].getDebugName(1)  # OFL reserved name


def test_named_positions_and_rectangles() -> None:
    page, rect = place(StampSpec(kind="copy", page=3), A4, 5)
    assert page == 0  # the copy mark goes on page 1
    assert rect[2] <= 595 and rect[3] <= 842 and rect[0] > 595 / 2 and rect[1] > 842 / 2
    assert rect[2] - rect[0] == COPY_SIZE[0]
    page, rect = place(StampSpec(page=2, position="bottom-left"), A4, 2)
    assert page == 1 and rect[0] < 100 and rect[1] < 100
    assert place(StampSpec(rect=(1, 2, 3, 4), page=2), A4, 2) == (1, (1, 2, 3, 4))
    with pytest.raises(UserError) as caught:
        place(StampSpec(page=9), A4, 2)
    assert caught.value.code == "signing.bad_page"
    assert parse_rect("10,20,110,80") == (10, 20, 110, 80)
    for bad in ("1,2,3", "5,5,1,1", "a,b,c,d"):
        with pytest.raises(UserError):
            parse_rect(bad)


def test_the_signing_dialog_imports_stamp_and_signer_without_fonttools() -> None:
    # The dialog imports these on the GUI thread at the "Ký số" click; fontTools alone
    # froze the window for 80-300 ms (docs/ui.md, Responsiveness).
    code = (
        "import sys; import desktop.signing.stamp, desktop.signing.signer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'fontTools'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_seal_overlaps_the_left_third_of_the_signature(tmp_path: Path) -> None:
    sig = blue_signature(tmp_path / "sig.png")
    seal = red_seal(tmp_path / "seal.png")
    image = compose_images(sig, seal)
    assert image is not None
    # Both are brought to the taller height (160): the signature becomes 400 wide.
    assert image.height == 160
    assert image.width == 160 + 400 - 400 // 3


def test_signature_stamp_renders_images_and_vietnamese_text(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    spec = StampSpec(
        rect=(300, 60, 560, 200),
        signature_image=blue_signature(tmp_path / "sig.png"),
        seal_image=red_seal(tmp_path / "seal.png"),
    )
    out = tmp_path / "stamped.pdf"
    sign_pdf(pdf, out, key, SignOptions(stamp=spec))
    assert verify_pdf(out, [pki.root]).ok
    image = render(out, tmp_path / "stamp")
    keep = Path("/tmp/dvc-desk-stamp-signature.png")
    image.save(keep)
    scale = 100 / 72
    height = image.height

    def box(x1: float, y1: float, x2: float, y2: float) -> tuple[int, int, int, int]:
        return (
            int(x1 * scale),
            int(height - y2 * scale),
            int(x2 * scale),
            int(height - y1 * scale),
        )

    stamp = box(300, 60, 560, 200)
    assert count(image, stamp, is_blue) > 50
    assert count(image, stamp, is_red) > 50
    assert count(image, box(300, 60, 560, 100), is_dark) > 200  # the three text lines
    assert count(image, box(0, 0, 295, 842), is_dark) == 0  # nothing outside the stamp
    # The seal sits to the left of the signature.
    reds = [
        x
        for x in range(stamp[0], stamp[2])
        if is_red(image.getpixel((x, (stamp[1] + stamp[3]) // 2 - 15)))
    ]
    blues = [
        x
        for x in range(stamp[0], stamp[2])
        if any(is_blue(image.getpixel((x, y))) for y in range(stamp[1], stamp[3]))
    ]
    assert reds and blues and min(reds) < min(blues) < max(reds) < max(blues)


def test_copy_mark_is_black_serif_text_top_right_of_page_one(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    spec = StampSpec(kind="copy", copy_form="SAO LỤC", copy_agency="UBND xã Hòa Bình")
    out = tmp_path / "copy.pdf"
    sign_pdf(pdf, out, key, SignOptions(stamp=spec))
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SAO LỤC" in text and "UBND xã Hòa Bình" in text and "+07:00" in text
    image = render(out, tmp_path / "copy")
    image.save("/tmp/dvc-desk-stamp-copy.png")
    w, h = image.size
    top_right = (w // 2, 0, w, h // 4)
    assert count(image, top_right, is_dark) > 100
    assert count(image, (0, h // 4, w, h), is_dark) == 0
    assert count(image, top_right, lambda p: is_blue(p) or is_red(p)) == 0  # black only


def test_stamp_text_names_the_signer(pki: Pki, pdf: Path, tmp_path: Path) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    out = tmp_path / "named.pdf"
    sign_pdf(pdf, out, key, SignOptions(stamp=StampSpec(page=2, position="bottom-left")))
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert SIGNER_NAME in text and "Ký bởi" in text and "Thời gian" in text


def test_unreadable_image_is_refused(pki: Pki, pdf: Path, tmp_path: Path) -> None:
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    bogus = tmp_path / "sig.png"
    bogus.write_text("not an image")
    with pytest.raises(UserError) as caught:
        sign_pdf(pdf, tmp_path / "o.pdf", key, SignOptions(stamp=StampSpec(signature_image=bogus)))
    assert caught.value.code == "signing.bad_image"
    assert not (tmp_path / "o.pdf").exists()


def test_seal_with_a_recorded_dpi_is_drawn_at_real_size(
    pki: Pki, pdf: Path, tmp_path: Path
) -> None:
    # A 36 mm seal scanned at 300 dpi: 425 px high.
    seal = Image.new("RGBA", (425, 425), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((5, 5, 420, 420), outline=(220, 20, 20, 255), width=20)
    seal_path = tmp_path / "seal-300dpi.png"
    seal.save(seal_path, dpi=(300, 300))
    spec = StampSpec(signature_image=blue_signature(tmp_path / "sig.png"), seal_image=seal_path)
    _, rect = place(spec, A4, 2)
    seal_points = 425 / 300 * 72
    assert rect[3] - rect[1] > seal_points
    out = tmp_path / "real.pdf"
    sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD), SignOptions(stamp=spec))
    image = render(out, tmp_path / "real")
    image.save("/tmp/dvc-desk-stamp-real-size.png")
    rows = [
        y
        for y in range(image.height)
        if any(is_red(image.getpixel((x, y))) for x in range(image.width // 2, image.width))
    ]
    drawn_mm = (max(rows) - min(rows) + 1) / 100 * 25.4
    assert abs(drawn_mm - 36) < 1.5  # the seal measures 36 mm on paper
