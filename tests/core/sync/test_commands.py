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
