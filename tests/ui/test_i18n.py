"""ui/i18n.py: Vietnamese by default, English from the Linguist file, a Vietnamese font."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from ui import i18n
from ui.models.labels import local_state_label
from ui.models.procedure_table import ProcedureTableModel

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "dvc_desk_en.ts"
BIN = Path(sys.executable).parent


def header(model: ProcedureTableModel) -> str:
    return str(model.headerData(0, Qt.Orientation.Horizontal))


def test_english_ts_translates_every_string_of_the_ui(tmp_path: Path) -> None:
    copy = tmp_path / "dvc_desk_en.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
         *sources, "-ts", str(copy)],
        check=True,
        timeout=60,
    )  # fmt: skip
    messages = list(ET.parse(copy).getroot().iter("message"))
    assert len(messages) > 50
    untranslated = [
        m.findtext("source")
        for m in messages
        if m.find("translation") is not None
        and m.find("translation").get("type") in ("unfinished", "vanished")  # type: ignore[union-attr]
    ]
    assert untranslated == [], "run `make translations` and translate these"


@pytest.fixture
def english(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm",
         str(tmp_path / "dvc_desk_en.qm")],
        check=True,
        timeout=60,
    )  # fmt: skip
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    i18n.install_translators(qapp, "en")
    yield
    i18n.install_translators(qapp, "vi")


def test_vietnamese_is_the_default(qapp) -> None:
    i18n.install_translators(qapp, "vi")
    assert header(ProcedureTableModel()) == "Thủ tục"
    assert local_state_label("DRAFT") == "Nháp"


@pytest.mark.usefixtures("english")
def test_english_when_chosen() -> None:
    model = ProcedureTableModel()
    assert header(model) == "Procedure"
    assert local_state_label("DRAFT") == "Draft"


def test_the_font_has_every_vietnamese_letter(qapp) -> None:
    family = i18n.pick_font_family()
    assert family is not None, "install fonts-noto-core or fonts-dejavu-core"
    assert QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)
    metrics = QFontMetrics(QFont(family))
    for letter in "ăâđêôơưặỗữỹẠỆ":
        assert metrics.inFontUcs4(ord(letter)), letter
