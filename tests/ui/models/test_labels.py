"""ui/models/labels.py and its users: a dossier waiting for a supplement is visible in the
dossier list (state in amber with what to do) and in the tray message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from desktop.dossier.model import DossierRow
from desktop.sync.events import PortalStatusChanged
from ui.models.dossier_table import DossierTableModel
from ui.models.labels import awaits_supplement, state_label
from ui.widgets.tray_notifier import notification_for

AT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


class Rows:
    """The service's list() and count() over fixed rows (the real row type)."""

    def __init__(self, rows: list[DossierRow]) -> None:
        self.rows = rows

    def list(
        self, state: str | None = None, search: str | None = None, offset: int = 0, limit: int = 50
    ) -> Sequence[Any]:
        return self.rows[offset : offset + limit]

    def count(self, state: str | None = None, search: str | None = None) -> int:
        return len(self.rows)


def _row(dossier_id: int, state: str, portal_state: int | None, receipt: str | None) -> DossierRow:
    return DossierRow(dossier_id, "P", "Cấp CCHN dược", "Trần Văn Nam", state, AT, 4,
                      receipt, portal_state)  # fmt: skip


def test_only_a_submitted_dossier_in_state_5_awaits_a_supplement() -> None:
    assert awaits_supplement("SUBMITTED", 5)
    assert not awaits_supplement("SUBMITTED", 4)
    assert not awaits_supplement("DRAFT", 5)
    assert not awaits_supplement("SUBMITTED", None)
    assert state_label("SUBMITTED", 5) == "Yêu cầu bổ sung giấy tờ"


def test_the_list_marks_a_dossier_waiting_for_a_supplement(qtmodeltester) -> None:
    model = DossierTableModel(Rows([
        _row(2, "SUBMITTED", 5, "H48-261125-0007"),
        _row(1, "SUBMITTED", 4, "H48-261125-0006"),
    ]))  # fmt: skip
    model.reload()
    qtmodeltester.check(model)
    waiting, other = model.index(0, 3), model.index(1, 3)
    assert model.data(model.index(0, 0)) == "H48-261125-0007"
    assert model.data(waiting) == "Yêu cầu bổ sung giấy tờ"
    assert "Mở bản bổ sung" in model.data(waiting, Qt.ItemDataRole.ToolTipRole)
    assert isinstance(model.data(waiting, Qt.ItemDataRole.ForegroundRole), QBrush)
    assert model.data(other) == "Đang xử lý"
    assert model.data(other, Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(other, Qt.ItemDataRole.ToolTipRole) == "Đang xử lý"


def test_the_tray_says_what_to_do_about_a_supplement_request() -> None:
    note = notification_for(PortalStatusChanged(12, 5, "YEU_CAU_BO_SUNG"))
    assert note is not None and note.dossier_id == 12
    assert note.title == "Hồ sơ #12: cần bổ sung giấy tờ"
    assert "Mở bản bổ sung" in note.body and "Nộp bổ sung" in note.body


def test_the_window_shows_the_core_table_of_state_words(qapp) -> None:
    """One table (desktop/dossier/states.py) for the CLI and the window (issue #19)."""
    from desktop import errors
    from desktop.dossier.states import LABELS, LABELS_EN, PORTAL_STATES, PORTAL_STATES_EN
    from ui import i18n
    from ui.models.labels import local_state_label, portal_state_label

    i18n.install_translators(qapp, "en")
    try:
        assert [local_state_label(s) for s in LABELS] == list(LABELS_EN.values())
        assert [portal_state_label(c) for c in PORTAL_STATES] == list(PORTAL_STATES_EN.values())
    finally:
        i18n.install_translators(qapp, "vi")
    assert errors.language() == "vi"
    assert [local_state_label(s) for s in LABELS] == list(LABELS.values())
