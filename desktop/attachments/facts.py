"""Facts about a stored file by its media type (PDF facts, image size and resolution)."""

from __future__ import annotations

from typing import Any, BinaryIO

from PIL import Image, UnidentifiedImageError

from desktop.attachments.pdf_facts import pdf_facts
from desktop.errors import UserError, define
from desktop.filecheck import sniff

E_DAMAGED_IMAGE = define(
    "attachments.damaged_image",
    vi=(
        "Ảnh «{name}» bị hỏng hoặc chưa lưu xong ({detail}). "
        "Hãy quét hoặc chụp lại rồi đính kèm lại."
    ),
    en="The image '{name}' is damaged or incomplete ({detail}). Scan it again and re-attach it.",
)


def file_facts(stream: BinaryIO, media_type: str, name: str) -> dict[str, Any]:
    """Facts for the file open in `stream`; refuses a damaged PDF or image."""
    stream.seek(0)
    if media_type == sniff.PDF:
        return pdf_facts(stream, name)
    if media_type in (sniff.JPEG, sniff.PNG, sniff.TIFF):
        return _image_facts(stream, name)
    return {}


def _image_facts(stream: BinaryIO, name: str) -> dict[str, Any]:
    # Image.open reads the header only; pixels are never decoded here.
    try:
        with Image.open(stream) as image:
            facts: dict[str, Any] = {"width": image.width, "height": image.height}
            dpi = image.info.get("dpi")
            if dpi:
                facts["dpi"] = [round(float(dpi[0])), round(float(dpi[1]))]
            return facts
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UserError(E_DAMAGED_IMAGE, name=name, detail=str(exc)[:120]) from exc
