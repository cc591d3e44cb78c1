"""ui/sync_runner.py: the sandbox's own pages are found from either of its faces (API v1
at its address, the service-style face at /lgsp), and only for this data dir's sandbox."""

from __future__ import annotations

from desktop.commands.portal_sandbox import SANDBOX_RUN_KEY_FILE
from desktop.workspace import Workspace
from ui.sync_runner import DEFAULT_SANDBOX, SyncRunner
from ui.tasks import TaskManager


def test_the_officer_console_from_either_face_of_the_sandbox(
    workspace: Workspace, tasks: TaskManager
) -> None:
    runner = SyncRunner(workspace, tasks)
    data = workspace.paths.root / "sandbox"
    assert runner.officer_url(DEFAULT_SANDBOX) is None  # not started from this data dir
    data.mkdir(parents=True, exist_ok=True)
    (data / SANDBOX_RUN_KEY_FILE).write_text("k", encoding="ascii")
    console = f"{DEFAULT_SANDBOX}/sandbox/officer?key=k"
    assert runner.officer_url(DEFAULT_SANDBOX) == console
    assert runner.officer_url(f"{DEFAULT_SANDBOX}/lgsp") == console
    assert runner.officer_url(f"{DEFAULT_SANDBOX}/lgsp/") == console
    assert runner.officer_url("http://127.0.0.1:9/lgsp") is None  # another portal
