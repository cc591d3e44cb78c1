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
