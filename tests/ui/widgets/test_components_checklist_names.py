"""ui/widgets/components_checklist.py: file names from outside are shown escaped."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidgetItem

from desktop.dossier.model import Attachment
from ui.widgets.components_checklist import ComponentsChecklist


def test_a_file_name_with_a_bidi_override_is_shown_escaped(qtbot) -> None:
    tree = ComponentsChecklist()
    qtbot.addWidget(tree)
    parent = QTreeWidgetItem(tree)
    hostile = Attachment(
        id=1,
        component_code="1",
        sha256="ab" * 32,
        name="don\u202efdp.exe\x1b[2J",
        size=10,
        media_type="application/pdf",
    )
    tree._add_file(parent, hostile)
    shown = parent.child(0).text(0)
    assert shown == "don\\u202efdp.exe\\x1b[2J"
