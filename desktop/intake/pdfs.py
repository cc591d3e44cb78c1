"""Opening PDFs for page work, and refusing signed ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf

from desktop.errors import UserError, define

E_SIGNED = define(
    "intake.signed_pdf",
    vi="Tệp {path} đã được ký số. Ghép, xoay, xoá hay nén trang sẽ làm mất hiệu lực chữ ký, "
    "nên dvc-desk không thay đổi tệp này. Hãy dùng nguyên tệp đã ký, hoặc sửa bản chưa ký "
    "rồi ký lại.",
    en="File {path} is digitally signed. Merging, rotating, deleting or compressing pages "
    "would break the signature, so dvc-desk does not change it. Use the signed file as it "
    "is, or edit the unsigned version and sign it again.",
)
E_ENCRYPTED = define(
    "intake.encrypted_pdf",
    vi="Tệp {path} được đặt mật khẩu nên không thể xử lý. Hãy mở tệp bằng mật khẩu, lưu "
    "một bản không mật khẩu rồi thử lại.",
    en="File {path} is password-protected and cannot be processed. Open it with its "
    "password, save a copy without one and try again.",
)
E_BAD_PDF = define(
    "intake.bad_pdf",
    vi="Tệp PDF {path} bị hỏng hoặc không đầy đủ ({detail}). Hãy lấy lại tệp gốc hoặc quét lại.",
    en="PDF file {path} is damaged or incomplete ({detail}). Get the original again or "
    "scan it again.",
)

_SCAN_CHUNK = 1 << 20


def _has_byte_range(path: Path) -> bool:
    # A signature dictionary carries /ByteRange in clear text (it is patched in place after
    # signing, so it never sits in a compressed object stream). Stream the file once.
    needle = b"/ByteRange"
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(_SCAN_CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def _signature_fields(pdf: pikepdf.Pdf) -> bool:
    acroform: Any = pdf.Root.get("/AcroForm")
    if acroform is None:
        return False
    stack: list[Any] = list(acroform.get("/Fields", []))
    seen = 0
    while stack and seen < 100_000:
        seen += 1
        field = stack.pop()
        if not isinstance(field, pikepdf.Dictionary):
            continue
        if field.get("/FT") == pikepdf.Name.Sig and field.get("/V") is not None:
            return True
        stack.extend(field.get("/Kids", []))
    return False


def is_signed(path: Path) -> bool:
    """Whether `path` carries a digital signature (a filled signature field or /ByteRange)."""
    if _has_byte_range(path):
        return True
    with open_pdf(path, check_signed=False) as pdf:
        return _signature_fields(pdf)


def open_pdf(path: Path, *, check_signed: bool = True) -> pikepdf.Pdf:
    """Open `path` for page work; refuses encrypted, damaged and (by default) signed files."""
    if check_signed and _has_byte_range(path):
        raise UserError(E_SIGNED, path=str(path))
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise UserError(E_ENCRYPTED, path=str(path)) from None
    except (pikepdf.PdfError, OSError) as exc:
        raise UserError(E_BAD_PDF, path=str(path), detail=str(exc)[:200]) from None
    if pdf.is_encrypted:
        # Opened with an empty user password but still restricted: changing pages could
        # break the author's restrictions; treat it like any protected file.
        pdf.close()
        raise UserError(E_ENCRYPTED, path=str(path))
    if check_signed and _signature_fields(pdf):
        pdf.close()
        raise UserError(E_SIGNED, path=str(path))
    return pdf
