"""One sync engine process of the shared-office proof (tests/e2e/test_multi_engine.py).

`python -m tests.e2e.multi_engine_worker DATA STORE DATABASE PORTAL USER LEASE`: a clerk's
PC with its own data dir, the office's shared attachment folder and PostgreSQL database,
running the app's engine against the portal until it is killed. A failure of the database
(the server restarting) or of the link ends the pass; the next pass starts over.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from desktop.paths import Paths
from desktop.sync.engine import Engine
from desktop.sync.retry import RetryPolicy
from desktop.workspace import Workspace
from tests.core.sync.portal import login_client

log = logging.getLogger("multi_engine_worker")


def main(argv: list[str]) -> int:
    data, store, database, portal, user, lease = argv
    paths = Paths(Path(data), shared_store=Path(store))
    while True:
        try:
            ws = Workspace(paths, database=database)
            break
        except Exception:  # the database server is restarting: a clerk's app waits too
            time.sleep(0.5)
    client = login_client(portal, user, timeout=5.0)
    engine = Engine(
        ws.db, ws.store, ws.events, client,
        policy=RetryPolicy(base=0.2, cap=1.0), lease_seconds=float(lease),
    )  # fmt: skip
    while True:
        try:
            wait = engine.run_once()
        except Exception:
            log.exception("pass failed")
            engine.delivery.lease = None
            wait = 0.3
        time.sleep(min(wait if wait is not None else 0.5, 0.5))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
