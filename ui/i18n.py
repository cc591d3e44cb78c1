"""Language and font of the UI.

Source strings are Vietnamese (the app's first language); other languages come from
Qt Linguist files in resources/translations/ (`dvc_desk_<lang>.qm`, built from the
`.ts` sources). The font is one that has every Vietnamese glyph, so that no letter with
stacked diacritics (ặ, ỗ, ữ) falls back to another font or to boxes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop import errors

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
# Installed by scripts/system-deps.sh on Linux (fonts-noto-core, fonts-dejavu-core);
# Segoe UI and Arial cover Vietnamese on Windows.
PREFERRED_FAMILIES = ("Noto Sans", "DejaVu Sans", "Segoe UI", "Liberation Sans", "Arial")

_installed: list[QTranslator] = []


def pick_font_family() -> str | None:
    """The first preferred family that supports Vietnamese, or None to keep Qt's choice."""
    vietnamese = set(QFontDatabase.families(QFontDatabase.WritingSystem.Vietnamese))
    for family in PREFERRED_FAMILIES:
        if family in vietnamese:
            return family
    log.warning("no font with Vietnamese glyphs among %s", PREFERRED_FAMILIES)
    return None


def install_translators(app: QApplication, language: str) -> None:
    """Install the translations for `language` ("vi" or "en") into `app`; the core's
    messages and state words follow the same language."""
    if language in errors.LANGUAGES:
        errors.set_language(language)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi" else language))
    if language == "vi":
        return  # the source strings are Vietnamese
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"dvc_desk_{language}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("no UI translation for %r in %s; showing Vietnamese", language, TRANSLATIONS)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
