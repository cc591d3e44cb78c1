"""Images → PDF: real page sizes, untouched JPEGs, every colour mode, bad inputs refused."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageOps
from scanfakes import png_rgb16, png_with_size, quadrants, render, save

from desktop.errors import UserError
from desktop.intake import files, images
from desktop.intake.convert import images_to_pdf
from desktop.progress import CancelToken


def corners(image: Image.Image) -> list[tuple[int, int, int]]:
    w, h = image.size
    points = [
        (w // 4, h // 4),
        (3 * w // 4, h // 4),
        (w // 4, 3 * h // 4),
        (3 * w // 4, 3 * h // 4),
    ]
    return [image.getpixel(p) for p in points]  # type: ignore[misc]


def close(a: list[tuple[int, int, int]], b: list[tuple[int, int, int]], tol: int = 40) -> bool:
    return all(
        abs(x - y) <= tol for pa, pb in zip(a, b, strict=True) for x, y in zip(pa, pb, strict=True)
    )


def no_leftovers(folder: Path) -> bool:
    return not any(p.name.endswith(".part") for p in folder.iterdir())


def test_jpeg_is_embedded_byte_for_byte_at_its_real_size(scans: Path) -> None:
    jpeg = save(quadrants((300, 600)), scans / "a.jpg", dpi=(300, 300), quality=90)
    out = scans / "out.pdf"
    report = images_to_pdf([jpeg], out)
    assert report.pages == 1 and report.low_resolution == []
    assert jpeg.read_bytes() in out.read_bytes()
    with pikepdf.open(out) as pdf:
        assert [float(v) for v in pdf.pages[0].mediabox] == [0, 0, 72, 144]
        assert pdf.pdf_version >= "1.4"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_honoured(scans: Path, orientation: int) -> None:
    stored = quadrants((60, 100))
    exif = Image.Exif()
    exif[0x0112] = orientation
    jpeg = save(stored, scans / "r.jpg", dpi=(72, 72), quality=95, exif=exif)
    out = scans / "r.pdf"
    images_to_pdf([jpeg], out)
    expected = ImageOps.exif_transpose(Image.open(jpeg)).convert("RGB")
    shown = render(out, dpi=72)
    assert shown.size == expected.size
    assert close(corners(shown), corners(expected))


def test_png_exif_rotation_and_lossless_pixels(scans: Path) -> None:
    stored = quadrants((40, 80))
    exif = Image.Exif()
    exif[0x0112] = 6
    png = save(stored, scans / "r.png", dpi=(72, 72), exif=exif)
    out = scans / "r.pdf"
    images_to_pdf([png], out)
    shown = render(out, dpi=72)
    assert shown.size == (80, 40)
    assert corners(shown) == corners(stored.rotate(-90, expand=True))


def test_colour_modes_all_render(scans: Path) -> None:
    grey16 = Image.new("I;16", (40, 40), 32768)
    palette = quadrants((40, 40)).convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    alpha = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    alpha.paste((0, 0, 255, 255), (0, 0, 20, 40))
    paths = [
        save(grey16, scans / "g16.png", dpi=(300, 300)),
        save(quadrants((40, 40), "CMYK"), scans / "cmyk.jpg", dpi=(300, 300), quality=95),
        save(palette, scans / "pal.png", dpi=(300, 300)),
        save(alpha, scans / "alpha.png", dpi=(300, 300)),
        save(Image.new("1", (40, 40), 0), scans / "bw.png", dpi=(300, 300)),
        png_rgb16(scans / "rgb16.png", 40, 40, (65535, 32768, 0), dpm=11811),
    ]
    out = scans / "modes.pdf"
    report = images_to_pdf(paths, out)
    assert report.pages == 6 and report.low_resolution == []
    grey = render(out, 1, 300).getpixel((20, 20))
    assert all(120 <= c <= 136 for c in grey)  # type: ignore[union-attr]  # mid grey, not clipped white
    cmyk = corners(render(out, 2, 300))
    assert cmyk[0][0] > 150 and cmyk[0][1] < 100  # red quadrant stays red (Adobe inversion)
    assert close(corners(render(out, 3, 300)), corners(quadrants((40, 40))), tol=60)
    flat = render(out, 4, 300)
    assert flat.getpixel((5, 20)) == (0, 0, 255) and flat.getpixel((35, 20)) == (255, 255, 255)
    assert render(out, 5, 300).getpixel((20, 20)) == (0, 0, 0)
    assert render(out, 6, 300).getpixel((20, 20)) == (255, 128, 0)  # 16-bit RGB, 300 dpi


def test_multi_page_tiff_gives_one_page_per_frame(scans: Path) -> None:
    frames = [Image.new("RGB", (30, 30), c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    tiff = scans / "multi.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(200, 200))
    out = scans / "multi.pdf"
    assert images_to_pdf([tiff], out).pages == 3
    assert [render(out, n, 200).getpixel((15, 15)) for n in (1, 2, 3)] == [
        (255, 0, 0),
        (0, 255, 0),
        (0, 0, 255),
    ]


def test_pages_under_200_dpi_are_reported(scans: Path) -> None:
    low = save(quadrants(), scans / "low.jpg", dpi=(150, 150))
    none = save(quadrants(), scans / "none.png")
    good = save(quadrants(), scans / "good.jpg", dpi=(300, 300))
    report = images_to_pdf([good, low, none], scans / "o.pdf")
    assert [(w.page, w.dpi, w.assumed) for w in report.low_resolution] == [
        (2, 150.0, False),
        (3, images.DEFAULT_DPI, True),
    ]
    with pikepdf.open(scans / "o.pdf") as pdf:  # 80 px at 150 dpi is 38.4 pt wide
        assert float(pdf.pages[1].mediabox[2]) == pytest.approx(38.4)


def test_truncated_jpeg_is_refused_and_nothing_written(scans: Path) -> None:
    whole = save(quadrants((200, 200)), scans / "whole.jpg", dpi=(300, 300)).read_bytes()
    cut = scans / "cut.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    out = scans / "o.pdf"
    with pytest.raises(UserError) as caught:
        images_to_pdf([scans / "whole.jpg", cut], out)
    assert caught.value.code == images.E_TRUNCATED and "cut.jpg" in str(caught.value)
    assert not out.exists() and no_leftovers(scans)


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (
            lambda d: (d / "notes.jpg").write_text("not a picture") and d / "notes.jpg",
            files.E_UNSUPPORTED,
        ),
        (lambda d: png_with_size(d / "empty.png", 0, 0), images.E_EMPTY_IMAGE),
        (lambda d: png_with_size(d / "bomb.png", 50_000, 10), images.E_TOO_LARGE),
        (lambda d: png_with_size(d / "bomb2.png", 20_000, 20_000), images.E_TOO_LARGE),
    ],
)
def test_bad_inputs_get_clear_refusals(scans: Path, make, code: str) -> None:  # type: ignore[no-untyped-def]
    bad = make(scans)
    out = scans / "o.pdf"
    with pytest.raises(UserError) as caught:
        images_to_pdf([bad], out)
    assert caught.value.code == code
    assert bad.name in str(caught.value)
    assert not out.exists() and no_leftovers(scans)


def test_cancel_leaves_no_output(scans: Path) -> None:
    paths = [save(quadrants(), scans / f"{n}.jpg", dpi=(300, 300)) for n in range(3)]
    token = CancelToken()
    seen: list[int] = []

    def progress(p):  # type: ignore[no-untyped-def]
        seen.append(p.done)
        if p.done == 1:
            token.cancel()

    with pytest.raises(UserError):
        images_to_pdf(paths, scans / "o.pdf", progress=progress, cancel=token)
    assert seen == [0, 1] and not (scans / "o.pdf").exists() and no_leftovers(scans)


def test_output_may_not_overwrite_an_input(scans: Path) -> None:
    jpeg = save(quadrants(), scans / "a.jpg")
    with pytest.raises(UserError) as caught:
        images_to_pdf([jpeg], jpeg)
    assert caught.value.code == files.E_SAME_FILE
    assert Image.open(jpeg).size == (80, 120)


def test_cli_images2pdf(run_cli, scans: Path) -> None:  # type: ignore[no-untyped-def]
    low = save(quadrants(), scans / "low.jpg", dpi=(150, 150))
    result = run_cli("intake", "images2pdf", str(low), "-o", str(scans / "o.pdf"))
    assert result.code == 0
    assert "1 trang" in result.out and "150 dpi" in result.out
    bad = run_cli("intake", "images2pdf", str(scans / "missing.jpg"), "-o", str(scans / "p.pdf"))
    assert bad.code == 1 and "missing.jpg" in bad.err
