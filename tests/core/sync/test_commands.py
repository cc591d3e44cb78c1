from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.workspace import Workspace

from .factory import valid_dossier


def test_submit_status_and_withdraw_from_the_command_line(
    workspace: Workspace, run_cli: Any, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path / "f", "cli")
    workspace.close()

    submitted = run_cli("submit", str(dossier.id))
    assert submitted.code == 0, submitted.err
    assert "hàng chờ gửi" in submitted.out

    status = run_cli("status", str(dossier.id), "--json")
    assert status.code == 0
    data = json.loads(status.out)
    assert data["state"] == "QUEUED" and data["outbox"]["state"] == "QUEUED"

    again = run_cli("submit", str(dossier.id))
    assert again.code == 1 and "không nộp được nữa" in again.err

    withdrawn = run_cli("withdraw", str(dossier.id), "--json")
    assert withdrawn.code == 0
    assert json.loads(withdrawn.out)["supersedes_id"] == dossier.id


def test_sync_once_without_a_portal_keeps_the_queue_and_says_so(
    workspace: Workspace, run_cli: Any, tmp_path: Path
) -> None:
    dossier = valid_dossier(workspace, tmp_path / "f", "off")
    workspace.close()
    assert run_cli("submit", str(dossier.id)).code == 0
    result = run_cli("sync", "--once", "--portal", "http://127.0.0.1:9")
    assert result.code == 1, "not logged in: a person must log in"
    assert "đăng nhập lại" in result.err
    assert json.loads(run_cli("status", str(dossier.id), "--json").out)["state"] == "QUEUED"


def test_submit_status_and_withdraw_speak_english_when_asked(
    workspace: Workspace, run_cli: Any, tmp_path: Path
) -> None:
    """Issue #21: with language=en, the queue's lines are English (names stay data)."""
    import re

    dossier = valid_dossier(workspace, tmp_path / "f", "en")
    workspace.close()
    assert run_cli("settings", "set", "language", "en").code == 0
    submitted = run_cli("submit", str(dossier.id))
    assert submitted.out.startswith(f"Queued dossier {dossier.id} for sending"), submitted.out
    status = run_cli("status", str(dossier.id))
    assert f"Dossier {dossier.id}: waiting to be sent" in status.out, status.out
    assert "Attempts: 0" in status.out
    withdrawn = run_cli("withdraw", str(dossier.id))
    assert withdrawn.out.startswith(f"Withdrew dossier {dossier.id}."), withdrawn.out
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
    for text in (submitted.out, status.out, withdrawn.out):
        assert not vietnamese.search(text), text
