"""What every sandbox handler shares: config, store, fault switches, in-flight work."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fastapi import Request
from sqlalchemy import Connection, update

from portal_sandbox import store as tables
from portal_sandbox.config import SandboxConfig
from portal_sandbox.faults import Faults
from portal_sandbox.problems import ProblemError
from portal_sandbox.store import Store, next_value

if TYPE_CHECKING:
    from portal_sandbox.pki import AgencyIdentity


class Sandbox:
    """One running sandbox: its store, fault switches and the test agency identity."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config.ensure()
        self.store = Store(config.database)
        self.faults = Faults()
        self._busy: set[str] = set()
        # Running SHA-256 of each upload, so completion needs no second pass over the file.
        self.hashers: dict[str, tuple[int, Any]] = {}
        self._busy_lock = threading.Lock()

    @cached_property
    def identity(self) -> AgencyIdentity:
        from portal_sandbox.pki import AgencyIdentity

        return AgencyIdentity.ensure(self.config.pki)

    @contextmanager
    def exclusive(
        self, key: str, code: str, headers: dict[str, str] | None = None
    ) -> Iterator[None]:
        """Hold `key` for one request; a concurrent request for it gets 409 `code`
        (with `headers`, e.g. the upload's offset)."""
        with self._busy_lock:
            if key in self._busy:
                raise ProblemError(
                    409, code, "Another request is working on this already", headers=headers
                )
            self._busy.add(key)
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy.discard(key)

    def is_busy(self, key: str) -> bool:
        with self._busy_lock:
            return key in self._busy

    def touch(self, conn: Connection, uuid: str) -> None:
        """Mark a dossier changed: a new cursor value for batched polling."""
        conn.execute(
            update(tables.dossiers)
            .where(tables.dossiers.c.uuid == uuid)
            .values(seq=next_value(conn, "seq"), updated_at=self.config.now())
        )

    def record_state(self, conn: Connection, uuid: str, state: int, note: str | None) -> None:
        """Move a dossier to `state` and write it into its history."""
        conn.execute(
            update(tables.dossiers).where(tables.dossiers.c.uuid == uuid).values(state=state)
        )
        conn.execute(
            tables.history.insert().values(
                dossier_uuid=uuid, state=state, note=note, at=self.config.now()
            )
        )
        self.touch(conn, uuid)

    def close(self) -> None:
        self.store.dispose()


def get_sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def base_url(request: Request) -> str:
    """The URL the client used to reach us, without a trailing slash."""
    return str(request.base_url).rstrip("/")


def content_hash(data: Any) -> str:
    """SHA-256 of the canonical JSON of `data` (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
