"""The stamp font: Liberation Serif (metric twin of Times New Roman) at 1000 units per em.

pyHanko computes glyph advances as if every TrueType font had 1000 units per em, so a
2048-upem font (Liberation, Times New Roman) gets mis-sized stamp text. We ship the font
rescaled once with fontTools (`rescale_to_1000_upem`), under its OFL licence. The OFL
reserves the name "Liberation" for unmodified fonts, so the rescaled one is renamed.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

from desktop.errors import UserError
from desktop.signing.errors import E_NO_FONT

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
FAMILY = "DVC Stamp Serif"
STAMP_FONT = FONTS_DIR / "DvcStampSerif-Regular.ttf"
SYSTEM_SOURCES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
)


def rescale_to_1000_upem(source: Path, target: Path) -> Path:
    """Write `source` rescaled to 1000 units per em (outlines, metrics, kerning, hinting)."""
    font = TTFont(str(source))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    # FontForge's private timestamp table: fontTools' subsetter cannot subset it and
    # says so on stderr at every signature.
    if "FFTM" in font:
        del font["FFTM"]
    # OFL §3: a modified font must not keep the Reserved Font Name.
    names = {1: FAMILY, 3: f"{FAMILY} Regular; rescaled to 1000 upem", 4: f"{FAMILY} Regular"}
    names |= {6: FAMILY.replace(" ", "") + "-Regular", 16: FAMILY, 17: "Regular"}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(names[record.nameID], record.nameID, record.platformID,
                          record.platEncID, record.langID)  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


def stamp_font_path() -> Path:
    """The shipped 1000-upem stamp font."""
    if not STAMP_FONT.is_file():
        raise UserError(E_NO_FONT, path=str(STAMP_FONT))
    return STAMP_FONT


if __name__ == "__main__":  # regenerate the shipped font: python -m desktop.signing.fonts
    source = next((p for p in SYSTEM_SOURCES if p.is_file()), None)
    if source is None:
        raise SystemExit("install fonts-liberation2 first (scripts/system-deps.sh)")
    print(rescale_to_1000_upem(source, STAMP_FONT))  # noqa: T201
