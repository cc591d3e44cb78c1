"""Pages of known Vietnamese text, rendered like printed, scanned paper (for OCR tests and
bench/bench_ocr.py): the font is the project's own serif with full Vietnamese coverage."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path(__file__).resolve().parents[3] / "resources" / "fonts" / "DvcStampSerif-Regular.ttf"

TEXT = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
TỜ KHAI ĐĂNG KÝ KHAI SINH
Kính gửi: Ủy ban nhân dân xã Hòa Bình, tỉnh Phú Thọ.
Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hương
Nơi cư trú: thôn Đồng Tâm, xã Hòa Bình, tỉnh Phú Thọ
Giấy tờ tùy thân: Căn cước số 025186004512, cấp ngày 12/3/2022
Quan hệ với người được khai sinh: mẹ đẻ
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: Trần Minh Khôi
Ngày, tháng, năm sinh: 05/01/2025
Ghi bằng chữ: ngày năm tháng một năm hai nghìn không trăm hai mươi lăm
Giới tính: Nam. Dân tộc: Kinh. Quốc tịch: Việt Nam
Nơi sinh: Bệnh viện Đa khoa tỉnh Phú Thọ
Quê quán: xã Hưng Đạo, tỉnh Hưng Yên
Họ, chữ đệm, tên người cha: Trần Văn Đức, năm sinh 1990
Họ, chữ đệm, tên người mẹ: Nguyễn Thị Hương, năm sinh 1993
Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật,
được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.
Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.
Làm tại: xã Hòa Bình, ngày 15 tháng 01 năm 2025
Người yêu cầu ký, ghi rõ họ, chữ đệm, tên"""

A4_INCHES = (8.27, 11.69)


def page(
    dpi: int,
    *,
    noise: float = 0.0,
    skew: float = 0.0,
    seed: int = 1,
    lines: int = 0,
    ink: int = 20,
    blur: float = 0.0,
) -> Image.Image:
    """`TEXT` (its first `lines` lines, if given) on an A4 page at `dpi` (12 pt type),
    greyscale; `noise` is the standard deviation of paper grain, `skew` degrees of
    rotation (as a crooked sheet), `ink` the grey of the print (a faded copy: ~130),
    `blur` the radius of an out-of-focus scan."""
    width, height = (round(side * dpi) for side in A4_INCHES)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), round(12 * dpi / 72))
    x, y, step = round(0.9 * dpi), round(0.9 * dpi), round(20 * dpi / 72)
    for line in TEXT.splitlines()[: lines or None]:
        draw.text((x, y), line, font=font, fill=ink)
        y += step
    if noise:
        random.seed(seed)
        grain = Image.effect_noise((width, height), noise)
        image = Image.blend(image, Image.eval(grain, lambda v: 255 - abs(128 - v)), 0.25)
        image = image.filter(ImageFilter.GaussianBlur(0.6))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur * dpi / 300))
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return image


def save_page(path: Path, dpi: int, **kw: float) -> Path:
    page(dpi, **kw).save(path, "JPEG", quality=88, dpi=(dpi, dpi))  # type: ignore[arg-type]
    return path


def normalise(text: str) -> str:
    """NFC, single spaces: what character accuracy compares."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def character_accuracy(expected: str, found: str) -> float:
    """1 − (edit distance / characters expected), on normalised text (≥ 0)."""
    a, b = normalise(expected), normalise(found)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return max(0.0, 1 - previous[-1] / max(1, len(a)))
