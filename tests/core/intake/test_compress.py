"""Fitting a size limit: quality first, then resolution, never under 200 dpi unless allowed."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from scanfakes import noisy_scan, numbered_pdf, signed_pdf, widths

from desktop.errors import UserError
from desktop.intake import compress, pdfs
from desktop.intake.placement import image_uses
from desktop.progress import E_CANCELLED, CancelToken, Progress


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return noisy_scan(tmp_path_factory.mktemp("scan"))  # about 1.3 MB, 6 pages at 300 dpi


def lowest_dpi(path: Path) -> float:
    with pikepdf.open(path) as pdf:
        return min(u.dpi for u in image_uses(pdf).values())


def page_sizes(path: Path) -> list[list[float]]:
    with pikepdf.open(path) as pdf:
        return [[float(v) for v in p.mediabox] for p in pdf.pages]


def test_quality_steps_come_before_resolution(scan: Path, tmp_path: Path) -> None:
    before = scan.read_bytes()
    out = tmp_path / "out.pdf"
    report = compress.compress(scan, out, int(len(before) * 0.6))
    assert report.changed and report.size == out.stat().st_size <= len(before) * 0.6
    assert report.dpi_reached == 300.0 == lowest_dpi(out)
    assert page_sizes(out) == page_sizes(scan)  # still 100 % scale
    assert scan.read_bytes() == before  # the original is kept


def test_resolution_goes_down_but_not_under_200_dpi(scan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    report = compress.compress(scan, out, 250_000)
    assert out.stat().st_size <= 250_000
    assert report.dpi_reached is not None and 200 <= report.dpi_reached < 300
    assert lowest_dpi(out) == pytest.approx(report.dpi_reached, abs=1)
    assert not report.below_rule and page_sizes(out) == page_sizes(scan)


def test_a_limit_that_cannot_be_met_at_200_dpi_writes_nothing(scan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    with pytest.raises(UserError) as caught:
        compress.compress(scan, out, 40_000)
    assert caught.value.code == compress.E_CANNOT_FIT
    assert "200 dpi" in str(caught.value) and "40 KB" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_going_under_200_dpi_needs_permission(scan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    with pytest.raises(UserError) as caught:
        compress.compress(scan, out, 40_000, min_dpi=100)
    assert caught.value.code == compress.E_MIN_DPI
    report = compress.compress(scan, out, 80_000, min_dpi=100, allow_below_rule=True)
    assert out.stat().st_size <= 80_000
    assert report.below_rule and report.dpi_reached is not None and 100 <= report.dpi_reached < 200


def test_a_file_already_under_the_limit_is_copied_unchanged(scan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    report = compress.compress(scan, out, 10_000_000)
    assert not report.changed and out.read_bytes() == scan.read_bytes()


def test_an_image_input_is_converted_then_compressed(scan: Path, tmp_path: Path) -> None:
    image = scan.parent / "page0.jpg"
    out = tmp_path / "out.pdf"
    report = compress.compress(image, out, image.stat().st_size // 2)
    assert report.changed and out.stat().st_size <= image.stat().st_size // 2
    assert widths(out) == [14]  # 600 px at 300 dpi = 144 pt: the real size is kept


def test_cancel_during_a_pass_writes_nothing(scan: Path, tmp_path: Path) -> None:
    token = CancelToken()
    seen: list[int] = []

    def progress(p: Progress) -> None:
        seen.append(p.done)
        if p.done == 2:
            token.cancel()

    with pytest.raises(UserError) as caught:
        compress.compress(scan, tmp_path / "out.pdf", 250_000, progress=progress, cancel=token)
    assert caught.value.code == E_CANCELLED and seen[-1] == 2
    assert list(tmp_path.iterdir()) == []


def test_signed_pdf_is_refused(tmp_path: Path) -> None:
    signed = signed_pdf(numbered_pdf(tmp_path / "p.pdf", 2), tmp_path / "s.pdf")
    with pytest.raises(UserError) as caught:
        compress.compress(signed, tmp_path / "out.pdf", 100)
    assert caught.value.code == pdfs.E_SIGNED


@pytest.mark.parametrize(
    ("spec", "size"),
    [("10MB", 10_000_000), ("2.5 mb", 2_500_000), ("500KB", 500_000), ("1MiB", 1_048_576)],
)
def test_parse_size(spec: str, size: int) -> None:
    assert compress.parse_size(spec) == size


@pytest.mark.parametrize("spec", ["", "ten MB", "5 parsecs", "0MB"])
def test_parse_size_refuses_nonsense(spec: str) -> None:
    with pytest.raises(UserError):
        compress.parse_size(spec)


def test_cli_compress(run_cli, scan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.pdf"
    done = run_cli("intake", "compress", str(scan), "-o", str(out), "--max-size", "300KB")
    assert done.code == 0 and out.stat().st_size <= 300_000
    assert "dpi" in done.out and "Tệp gốc được giữ nguyên" in done.out
    refused = run_cli("intake", "compress", str(scan), "-o", str(tmp_path / "x.pdf"),
                      "--max-size", "40KB")  # fmt: skip
    assert refused.code == 1 and "200 dpi" in refused.err and not (tmp_path / "x.pdf").exists()


def _text_only_pdf(path: Path, pages: int = 40) -> Path:
    with pikepdf.new() as pdf:
        for n in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
            text = b"BT /F1 9 Tf 40 800 Td " + b"(Dong %d van ban) Tj T* " % n * 120 + b"ET"
            pdf.pages[-1].Contents = pdf.make_stream(text)
        pdf.save(path, compress_streams=False)
    return path


def test_a_file_without_images_is_refused_as_such_not_for_its_dpi(tmp_path: Path) -> None:
    source = _text_only_pdf(tmp_path / "van-ban.pdf")
    with pytest.raises(UserError) as caught:
        compress.compress(source, tmp_path / "o.pdf", source.stat().st_size // 2)
    assert caught.value.code == compress.E_NO_IMAGES
    assert "không có ảnh để nén" in caught.value.message()
    assert "dpi" not in caught.value.message("en")
    assert not (tmp_path / "o.pdf").exists()


def test_a_limit_under_the_text_alone_says_so(scan: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        compress.compress(scan, tmp_path / "o.pdf", 300)
    assert caught.value.code == compress.E_TEXT_OVER_LIMIT
    assert "300 byte" in caught.value.message() and "0 KB" not in caught.value.message()


def test_tiny_sizes_are_never_zero_kb() -> None:
    assert compress.format_size(300) == "300 byte"
    assert compress.format_size(1500) == "1.5 KB"
    assert compress.format_size(480_000) == "480 KB"


def _add_hifi_image(pdf: pikepdf.Pdf, size: int = 300) -> None:
    """A DeviceN image with five inks (HiFi print): pikepdf cannot transcode it."""
    import os
    import zlib

    tint = pdf.make_stream(
        b"{pop pop pop pop pop 0 0 0 0}", FunctionType=4, Domain=[0, 1] * 5, Range=[0, 1] * 4
    )
    inks = pikepdf.Array(
        [pikepdf.Name(f"/{n}") for n in ("Cyan", "Magenta", "Yellow", "Black", "Orange")]
    )
    space = pikepdf.Array([pikepdf.Name.DeviceN, inks, pikepdf.Name.DeviceCMYK, tint])
    image = pdf.make_stream(
        zlib.compress(os.urandom(size * size * 5)),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=size,
        Height=size,
        ColorSpace=space,
        BitsPerComponent=8,
        Filter=pikepdf.Name.FlateDecode,
    )
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[-1]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im9=image))
    page.Contents = pdf.make_stream(b"q 200 0 0 200 0 0 cm /Im9 Do Q")


def test_a_hifi_print_image_is_kept_and_the_rest_compressed(scan: Path, tmp_path: Path) -> None:
    source = tmp_path / "hifi.pdf"
    with pikepdf.open(scan) as pdf:
        _add_hifi_image(pdf)
        pdf.save(source)
    hifi_bytes = source.stat().st_size - scan.stat().st_size
    out = tmp_path / "out.pdf"
    report = compress.compress(source, out, hifi_bytes + 300_000)
    assert report.changed and out.stat().st_size <= hifi_bytes + 300_000
    with pikepdf.open(out) as pdf:
        kept = pdf.pages[-1].Resources.XObject.Im9
        assert kept.ColorSpace[0] == pikepdf.Name.DeviceN


def test_a_file_whose_only_image_is_hifi_print_is_refused_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "hifi-only.pdf"
    with pikepdf.new() as pdf:
        _add_hifi_image(pdf)
        pdf.save(source)
    with pytest.raises(UserError) as caught:
        compress.compress(source, tmp_path / "o.pdf", source.stat().st_size // 2)
    assert caught.value.code == compress.E_NO_IMAGES


def test_xmp_that_pikepdf_cannot_parse_is_left_alone(
    scan: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "xmp.pdf"
    packet = b"<!DOCTYPE x [<!ENTITY a 'b'>]><x:xmpmeta xmlns:x='adobe:ns:meta/'>&a;</x:xmpmeta>"
    with pikepdf.open(scan) as pdf:
        pdf.Root.Metadata = pdf.make_stream(
            packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )
        pdf.save(source, fix_metadata_version=False)
    out = tmp_path / "out.pdf"
    report = compress.compress(source, out, 300_000)
    assert report.changed
    assert not [r for r in caplog.records if "XMP" in r.getMessage()]
    with pikepdf.open(out) as pdf:
        assert pdf.Root.Metadata.read_bytes() == packet  # not replaced by an empty one


def test_an_image_under_the_limit_is_said_to_be_converted(
    run_cli,
    scan: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    image = scan.parent / "page0.jpg"
    done = run_cli("intake", "compress", str(image), "-o", str(tmp_path / "o.pdf"),
                   "--max-size", "10MB")  # fmt: skip
    assert done.code == 0 and "Đã chuyển ảnh" in done.out and "nguyên vẹn" not in done.out
