"""ui/models/queue_table.py over the real outbox."""

from __future__ import annotations

from pathlib import Path

from ui_dossiers import complete_dossier

from desktop.workspace import Workspace
from ui.models.queue_table import COLUMN_SENT, PROGRESS_ROLE, QueueTableModel
from ui.tasks import TaskManager


def test_rows_follow_the_outbox(
    qtbot, qtmodeltester, workspace: Workspace, tasks: TaskManager, tmp_path: Path
) -> None:
    first = complete_dossier(workspace, tmp_path)
    second = complete_dossier(workspace, tmp_path)
    workspace.outbox.submit(first)
    workspace.outbox.submit(second)
    model = QueueTableModel(workspace.outbox, tasks)
    with qtbot.waitSignal(model.sig_reloaded, timeout=5000) as reloaded:
        model.reload()
    assert reloaded.args == [2]
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(2)] == [f"#{second}", f"#{first}"]
    assert model.data(model.index(0, 1)) == "Chờ gửi"
    sent, total = model.data(model.index(0, COLUMN_SENT), PROGRESS_ROLE)
    assert sent == 0 and total > 0
    with qtbot.waitSignal(model.dataChanged):
        model.set_progress(second, total // 2, total)
    assert model.data(model.index(0, COLUMN_SENT), PROGRESS_ROLE) == (total // 2, total)


def test_the_queue_screen_and_the_cli_use_one_table_of_words() -> None:
    from desktop import errors
    from desktop.sync.items import STATE_WORDS, state_word
    from ui.models.queue_table import outbox_state_label

    for language in ("vi", "en"):
        errors.set_language(language)
        try:
            for state in STATE_WORDS:
                word = state_word(state)
                assert outbox_state_label(state) == word[:1].upper() + word[1:]
        finally:
            errors.set_language("vi")
    assert outbox_state_label("SOMETHING_NEW") == "SOMETHING_NEW"
