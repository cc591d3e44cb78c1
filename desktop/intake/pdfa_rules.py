"""The PDF/A-2b rules dvc-desk checks: their clauses, messages and the `Problem` found.

Shared by the checker of the document's structure (`pdfa_check`) and of its XMP metadata
(`pdfa_xmp`).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.errors import define, render

# Problems `pdfa.convert` repairs itself: it writes its own metadata, OutputIntent and
# ID, and qpdf decodes LZW data and stores it Flate-compressed (both lossless).
FIXABLE = frozenset({"header", "trailer_id", "xmp", "pdfaid", "info_xmp", "output_intent", "lzw"})

CLAUSES = {
    "header": "6.1.2",
    "trailer_id": "6.1.3",
    "encrypt": "6.1.3",
    "trailing_data": "6.1.3",
    "external_stream": "6.1.7.1",
    "lzw": "6.1.7.2",
    "output_intent": "6.2.3",
    "device_colour": "6.2.4.3",
    "extgstate": "6.2.5",
    "image": "6.2.8",
    "xobject": "6.2.9",
    "blend_mode": "6.2.10",
    "font": "6.2.11.4",
    "annotation": "6.3",
    "need_appearances": "6.4.1",
    "action": "6.5",
    "xmp": "6.6.2.1",
    "pdfaid": "6.6.4",
    "extension_schema": "6.6.2.3",
    "info_xmp": "6.6.3",
    "embedded_file": "6.8",
}

_MESSAGES = {
    "header": ("đầu tệp không đúng dạng PDF/A", "the file header is not the PDF/A form"),
    "trailer_id": ("thiếu mã nhận dạng tệp (ID)", "the file identifier (ID) is missing"),
    "encrypt": ("tệp được mã hoá", "the file is encrypted"),
    "trailing_data": ("có dữ liệu sau %%EOF", "there is data after %%EOF"),
    "external_stream": ("có dữ liệu nằm ở tệp ngoài", "a stream refers to an external file"),
    "lzw": ("có dữ liệu nén LZW", "some data is LZW-compressed"),
    "output_intent": ("thiếu hoặc sai hồ sơ màu (OutputIntent)", "OutputIntent missing or wrong"),
    "device_colour": (
        "có màu thiết bị ({detail}) không khớp hồ sơ màu",
        "device colour ({detail}) does not match the OutputIntent",
    ),
    "extgstate": ("có hàm chuyển đổi/bán sắc bị cấm", "a forbidden transfer/halftone entry"),
    "image": ("có ảnh với thuộc tính bị cấm ({detail})", "an image has a forbidden key ({detail})"),
    "xobject": ("có đối tượng PostScript/tham chiếu ngoài", "a PostScript or reference XObject"),
    "blend_mode": ("có chế độ hoà trộn không chuẩn", "a non-standard blend mode"),
    "font": ("phông chữ {detail} không được nhúng", "font {detail} is not embedded"),
    "annotation": ("chú thích trên trang không hợp lệ ({detail})", "an annotation ({detail})"),
    "need_appearances": ("biểu mẫu thiếu hình hiển thị", "form fields lack appearances"),
    "action": ("có hành động/mã lệnh bị cấm ({detail})", "a forbidden action ({detail})"),
    "xmp": (
        "siêu dữ liệu XMP thiếu hoặc hỏng ({detail})",
        "XMP metadata missing or bad ({detail})",
    ),
    "pdfaid": ("không ghi nhận là PDF/A-2b", "not identified as PDF/A-2b"),
    "extension_schema": (
        "thuộc tính XMP {detail} chưa được khai báo",
        "XMP property {detail} is not declared in an extension schema",
    ),
    "info_xmp": (
        "thông tin tài liệu khác siêu dữ liệu XMP ({detail})",
        "document info differs from XMP ({detail})",
    ),
    "embedded_file": ("có tệp đính kèm bên trong PDF", "the PDF holds embedded files"),
}
_CODES = {rule: define(f"intake.pdfa.{rule}", vi=vi, en=en) for rule, (vi, en) in _MESSAGES.items()}


@dataclass(frozen=True)
class Problem:
    rule: str  # a key of CLAUSES
    detail: str = ""

    @property
    def clause(self) -> str:
        return CLAUSES[self.rule]

    def message(self, language: str | None = None) -> str:
        text = render(_CODES[self.rule], {"detail": self.detail}, language)
        return f"{text} (ISO 19005-2 {self.clause})"
