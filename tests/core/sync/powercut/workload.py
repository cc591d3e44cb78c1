"""The power-cut workload, run under the durable.so shim: attach, submit, snapshot.

Usage: python -m tests.core.sync.powercut.workload ROOT SHADOW SNAPSHOTS LOG MODE COUNT

MODE is "full" (the app as shipped), "normal" (SQLite synchronous=NORMAL) or "nofsync"
(Python-level fsync disabled: the attachment store's file and directory fsyncs). After
every commit the durable state recorded by the shim is snapshotted (hard links, cheap);
after each submit returns, the log gets the dossier the user has now seen as queued.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


def _baseline(root: Path) -> None:
    """Everything present at the start counts as durable."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(Path(folder) / name, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        fd = os.open(folder, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)


def main() -> None:
    root, shadow, snapshots, log, mode, count = sys.argv[1:7]
    root_path, shadow_path, snaps = Path(root), Path(shadow), Path(snapshots)
    (shadow_path / "ino").mkdir(parents=True, exist_ok=True)
    (shadow_path / "dir").mkdir(parents=True, exist_ok=True)
    _baseline(root_path)

    from desktop.storage import db as dbmod

    if mode == "normal":
        original = dbmod._set_sqlite_pragmas

        def normal(dbapi_conn: Any, record: Any) -> None:
            original(dbapi_conn, record)
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        dbmod._set_sqlite_pragmas = normal
    elif mode == "nofsync":
        os.fsync = lambda _fd: None

    taken = [0]

    def snapshot(_session: Session) -> None:
        target = snaps / str(taken[0])
        for kind in ("ino", "dir"):
            (target / kind).mkdir(parents=True)
            for item in (shadow_path / kind).iterdir():
                if not item.name.startswith("."):
                    os.link(item, target / kind / item.name)
        taken[0] += 1

    event.listen(Session, "after_commit", snapshot)

    from desktop.paths import Paths
    from desktop.workspace import Workspace
    from tests.core.sync.factory import valid_dossier

    ws = Workspace(Paths(root_path))
    sources = root_path.parent / "sources"
    with Path(log).open("a", encoding="utf-8") as seen:
        for index in range(int(count)):
            dossier = valid_dossier(ws, sources, f"p{index}")
            ws.outbox.submit(dossier.id)
            shas = ",".join(a.sha256 for a in dossier.attachments)
            seen.write(f"{taken[0] - 1}\t{dossier.id}\t{shas}\n")
            seen.flush()
    ws.close()


if __name__ == "__main__":
    main()
