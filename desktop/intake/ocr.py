"""OCR: a Vietnamese text layer on scans, by Debian's ocrmypdf and tesseract (``vie``).

They are system packages (scripts/system-deps.sh installs them for `make test`, and for
`make run` with DVC_DESK_OCR=1); without them the user gets the exact command to install
them. The scan's images are never re-encoded: ocrmypdf only grafts an invisible text
layer onto each page. With `pdfa` the result is then made PDF/A-2b (desktop.intake.pdfa).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from desktop.atomic import atomic_path
from desktop.errors import UserError, define
from desktop.intake import pdfa as archival
from desktop.intake.convert import images_to_pdf
from desktop.intake.files import Kind, check_output, sniff
from desktop.intake.metadata import RecordMetadata
from desktop.intake.pdfs import E_SIGNED, is_signed
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

INSTALL = "sudo apt-get install ocrmypdf tesseract-ocr-vie"
LANGUAGE = "vie"
_POLL_SECONDS = 0.2

E_OCR_MISSING = define(
    "intake.ocr_missing",
    vi="Chưa cài công cụ nhận dạng chữ ({missing}). Trên Debian/Ubuntu hãy chạy: {install} "
    "rồi thử lại.",
    en="The text recognition tools are not installed ({missing}). On Debian/Ubuntu run: "
    "{install} and try again.",
)
E_OCR_FAILED = define(
    "intake.ocr_failed",
    vi="Nhận dạng chữ cho {path} không thành công (mã {status}): {detail}. Tệp gốc vẫn giữ "
    "nguyên; hãy kiểm tra tệp hoặc thử lại.",
    en="Text recognition of {path} failed (status {status}): {detail}. The original is "
    "unchanged; check the file or try again.",
)


def missing_tools() -> list[str]:
    """What is missing for OCR: [] when ocrmypdf, tesseract and its Vietnamese data exist."""
    missing = []
    if shutil.which("ocrmypdf") is None:
        missing.append("ocrmypdf")
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        missing.append("tesseract-ocr")
    else:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
        if LANGUAGE not in (listed.stdout + listed.stderr).split():
            missing.append("tesseract-ocr-vie")
    return missing


@dataclass(frozen=True)
class OcrReport:
    output: str
    size: int
    pdfa: bool = False


def ocr(
    source: Path,
    output: Path,
    *,
    pdfa: bool = False,
    record: RecordMetadata | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> OcrReport:
    """Write `output`: `source` with a searchable Vietnamese text layer (pages with text
    already are left as they are). Images are made into a PDF first. With `pdfa` the
    output is PDF/A-2b with `record` in its XMP (checked before it is kept)."""
    missing = missing_tools()
    if missing:
        raise UserError(E_OCR_MISSING, missing=", ".join(missing), install=INSTALL)
    check_output(output, [source])
    kind = sniff(source)
    if kind is Kind.PDF and is_signed(source):
        raise UserError(E_SIGNED, name=str(source))
    progress(Progress(0, 1, source.name))
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".ocr-") as tmp:
        pdf = source
        if kind is not Kind.PDF:
            pdf = Path(tmp) / "source.pdf"
            images_to_pdf([source], pdf, cancel=cancel)
        if not pdfa:
            with atomic_path(output) as target:
                _run(pdf, target, source, cancel)
        else:
            layered = Path(tmp) / "ocr.pdf"
            _run(pdf, layered, source, cancel)
            with pikepdf.open(layered) as result:
                archival.apply(result, record, source)
                archival.save_checked(result, output, source)
    progress(Progress(1, 1, source.name))
    return OcrReport(str(output), output.stat().st_size, pdfa)


def _run(pdf: Path, target: Path, shown: Path, cancel: CancelToken | None) -> None:
    command = [
        "ocrmypdf",
        "-l",
        LANGUAGE,
        "--skip-text",  # keep pages that already carry text
        "--output-type",
        "pdf",  # PDF/A would need Ghostscript and rewrite every image
        "--optimize",
        "0",  # never re-encode the scan: its resolution stays what it was
        str(pdf),
        str(target),
    ]
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        while True:
            try:
                _out, err = process.communicate(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.cancelled:
                    process.terminate()
                    process.communicate()
                    cancel.check()
    if process.returncode != 0:
        detail = (err or "").strip().splitlines()[-1:] or ["?"]
        raise UserError(
            E_OCR_FAILED, path=str(shown), status=process.returncode, detail=detail[0][:300]
        )
