"""Optional OCR: a clear message when the tools are missing; the right call when present."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from scanfakes import numbered_pdf, quadrants, save, signed_pdf

from desktop.errors import UserError
from desktop.intake import ocr, pdfs


def tool(folder: Path, name: str, body: str) -> None:
    script = folder / name
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand-ins for ocrmypdf and tesseract: the real ones are optional system packages."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool(bin_dir, "tesseract", 'echo "List of available languages (2):"; echo eng; echo vie\n')
    # Copies the input (second-to-last argument) to the output and keeps its arguments.
    tool(
        bin_dir,
        "ocrmypdf",
        'echo "$@" > "$(dirname "$0")/args.txt"\n'
        "for last; do :; done\n"
        'eval "input=\\${$(($#-1))}"\n'
        'cp "$input" "$last"\n',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return bin_dir


def test_missing_tools_are_named_with_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    source = numbered_pdf(tmp_path / "in.pdf", 1)
    with pytest.raises(UserError) as caught:
        ocr.ocr(source, tmp_path / "out.pdf")
    message = str(caught.value)
    assert caught.value.code == ocr.E_OCR_MISSING
    assert "ocrmypdf" in message and "apt-get install ocrmypdf tesseract-ocr-vie" in message
    assert not (tmp_path / "out.pdf").exists()


def test_tesseract_without_vietnamese_data_is_reported(fake_tools: Path) -> None:
    tool(fake_tools, "tesseract", 'echo "List of available languages (1):"; echo eng\n')
    assert ocr.missing_tools() == ["tesseract-ocr-vie"]


def test_ocr_runs_ocrmypdf_in_vietnamese_without_touching_images(
    fake_tools: Path, tmp_path: Path
) -> None:
    image = save(quadrants(), tmp_path / "scan.jpg", dpi=(300, 300))
    report = ocr.ocr(image, tmp_path / "out.pdf")
    args = (fake_tools / "args.txt").read_text().split()
    assert args[:2] == ["-l", "vie"] and "--skip-text" in args and args[-1] != str(image)
    assert Path(report.output).read_bytes().startswith(b"%PDF-")
    assert image.read_bytes() in Path(report.output).read_bytes()


def test_ocr_failure_and_signed_files(fake_tools: Path, tmp_path: Path) -> None:
    tool(fake_tools, "ocrmypdf", 'echo "PriorOcrFoundError: page already has text" >&2; exit 6\n')
    source = numbered_pdf(tmp_path / "in.pdf", 1)
    with pytest.raises(UserError) as failed:
        ocr.ocr(source, tmp_path / "out.pdf")
    assert failed.value.code == ocr.E_OCR_FAILED and "already has text" in str(failed.value)
    assert not (tmp_path / "out.pdf").exists()
    signed = signed_pdf(source, tmp_path / "signed.pdf")
    with pytest.raises(UserError) as refused:
        ocr.ocr(signed, tmp_path / "out.pdf")
    assert refused.value.code == pdfs.E_SIGNED


def test_cli_ocr_without_tools(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", str(tmp_path))
    source = numbered_pdf(tmp_path / "in.pdf", 1)
    result = run_cli("intake", "ocr", str(source), "-o", str(tmp_path / "out.pdf"))
    assert result.code == 1 and "tesseract-ocr-vie" in result.err
