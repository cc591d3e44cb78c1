from __future__ import annotations

import pytest
from attachments.samples import DOCX_HEAD, EXE_HEAD, HTML_PAGE, image_bytes, pdf_bytes

from desktop.filecheck import sniff


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(1), sniff.PDF),
        (b"\r\n\r\n%PDF-1.4 junk before the header is allowed", sniff.PDF),
        (image_bytes("JPEG"), sniff.JPEG),
        (image_bytes("PNG"), sniff.PNG),
        (image_bytes("TIFF"), sniff.TIFF),
        (HTML_PAGE, "text/html"),
        (b"\xef\xbb\xbf  <html lang='vi'><body>", "text/html"),
        (DOCX_HEAD, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (b"PK\x03\x04" + b"\x00" * 40, "application/zip"),
        (EXE_HEAD, "application/x-msdownload"),
        (b"\x7fELF\x02\x01\x01", "application/x-executable"),
        (b"", "application/x-empty"),
        ("Giấy xác nhận".encode(), "text/plain"),
        (bytes(range(256)), "application/octet-stream"),
    ],
)
def test_type_comes_from_the_bytes(data: bytes, expected: str) -> None:
    assert sniff.sniff(data[: sniff.HEAD_SIZE]).media_type == expected


def test_labels_name_the_kind_in_vietnamese() -> None:
    assert sniff.sniff(HTML_PAGE).label == "trang web HTML"
    assert sniff.sniff(EXE_HEAD).label == "chương trình Windows (.exe)"
    assert "Word" in sniff.sniff(DOCX_HEAD).label
