"""File kinds decided from the bytes, names of output files, and output checks (files are
written through `desktop.atomic`)."""

from __future__ import annotations

import os
import unicodedata
from enum import Enum
from pathlib import Path

from desktop.errors import UserError, define
from desktop.filecheck import sniff as filetypes

E_NOT_FOUND = define(
    "intake.not_found",
    vi="Không tìm thấy tệp {path}. Hãy kiểm tra lại đường dẫn.",
    en="File {path} was not found. Check the path.",
)
E_UNSUPPORTED = define(
    "intake.unsupported_type",
    vi="Tệp {path} không phải ảnh JPEG, PNG, TIFF hay tệp PDF. "
    "Hãy quét lại hoặc lưu tệp dưới một trong các định dạng đó.",
    en="File {path} is not a JPEG, PNG or TIFF image nor a PDF. "
    "Scan it again or save it in one of those formats.",
)
E_OUTPUT_DIR = define(
    "intake.output_dir_missing",
    vi="Thư mục {path} để ghi tệp kết quả không tồn tại. Hãy tạo thư mục hoặc chọn nơi khác.",
    en="The folder {path} for the output does not exist. Create it or choose another place.",
)
E_SAME_FILE = define(
    "intake.output_is_input",
    vi="Tệp kết quả {path} trùng với tệp đầu vào; bản gốc phải được giữ nguyên. "
    "Hãy chọn một tên khác cho tệp kết quả.",
    en="The output {path} is one of the inputs; the original must be kept. "
    "Choose another output name.",
)


class Kind(Enum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    TIFF = "image/tiff"
    PDF = "application/pdf"

    @property
    def is_image(self) -> bool:
        return self is not Kind.PDF


def sniff(path: Path) -> Kind:
    """The kind of `path` from its first bytes; refuses anything else with a clear message."""
    try:
        with path.open("rb") as f:
            head = f.read(filetypes.HEAD_SIZE)
    except FileNotFoundError:
        raise UserError(E_NOT_FOUND, path=str(path)) from None
    except IsADirectoryError:
        raise UserError(E_UNSUPPORTED, path=str(path)) from None
    try:
        return Kind(filetypes.sniff(head).media_type)
    except ValueError:
        raise UserError(E_UNSUPPORTED, path=str(path)) from None


def check_output(output: Path, inputs: list[Path]) -> None:
    """Refuse an output that would overwrite an input or land in a missing folder."""
    if not output.parent.exists():
        raise UserError(E_OUTPUT_DIR, path=str(output.parent))
    resolved = output.resolve()
    for path in inputs:
        if path.exists() and path.resolve() == resolved:
            raise UserError(E_SAME_FILE, path=str(output))


# Longest file name most file systems take (ext4, NTFS, APFS: 255 bytes or UTF-16 units).
NAME_MAX = 255


def display_name(name: str) -> str:
    """`name` as text that can be shown and stored: bytes that were not UTF-8 become
    U+FFFD, and NFD (macOS, some scanners) becomes NFC."""
    text = os.fsencode(name).decode("utf-8", "replace")
    return unicodedata.normalize("NFC", text)


def document_name(source: Path, suffix: str = ".pdf") -> str:
    """The name of the PDF made from `source`: its shown name with `suffix`, cut (at a
    character boundary) to fit NAME_MAX bytes."""
    stem = display_name(source.stem if source.suffix else source.name)
    room = NAME_MAX - len(suffix.encode())
    encoded = stem.encode()[:room]
    return encoded.decode("utf-8", "ignore") + suffix
