"""What an adapter remembers about a dossier across restarts, written before it is relied on.

`PortalMemory` is the adapter's notebook: `remember()` returns only once the fact is
durable (committed), so a fact written before a side effect survives a crash right after
it. `DatabaseMemory` keeps the facts in the workspace database (table `portal_refs`);
`TransientMemory` keeps them for the life of the process (a one-off command that creates
nothing, such as `account login`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import delete, insert, select, update

from desktop.storage.db import Database
from desktop.storage.portal_ref_models import PortalRef


class PortalMemory(Protocol):
    def recall(self, uuid: str, name: str) -> str | None: ...
    def remember(self, uuid: str, name: str, value: str) -> None: ...
    def forget(self, uuid: str, name: str) -> None: ...
    def uuids(self, name: str) -> list[str]: ...


class TransientMemory:
    """Facts kept in this process only."""

    def __init__(self) -> None:
        self._facts: dict[tuple[str, str], str] = {}

    def recall(self, uuid: str, name: str) -> str | None:
        return self._facts.get((uuid, name))

    def remember(self, uuid: str, name: str, value: str) -> None:
        self._facts[(uuid, name)] = value

    def forget(self, uuid: str, name: str) -> None:
        self._facts.pop((uuid, name), None)

    def uuids(self, name: str) -> list[str]:
        return sorted(u for (u, n) in self._facts if n == name)


class DatabaseMemory:
    """Facts of one portal (`portal`: its base URL) in the workspace database."""

    def __init__(self, db: Database, portal: str) -> None:
        self.db = db
        self.portal = portal.rstrip("/")

    def recall(self, uuid: str, name: str) -> str | None:
        with self.db.engine.connect() as conn:
            return conn.scalar(
                select(PortalRef.value).where(
                    PortalRef.portal == self.portal, PortalRef.uuid == uuid, PortalRef.name == name
                )
            )

    def remember(self, uuid: str, name: str, value: str) -> None:
        now = datetime.now(UTC)
        key = (PortalRef.portal == self.portal, PortalRef.uuid == uuid, PortalRef.name == name)
        with self.db.engine.begin() as conn:
            # Plain UPDATE-then-INSERT: the same SQL on every database the app runs on.
            changed = conn.execute(
                update(PortalRef).where(*key).values(value=value, updated_at=now)
            )
            if not changed.rowcount:
                conn.execute(
                    insert(PortalRef).values(
                        portal=self.portal, uuid=uuid, name=name, value=value, updated_at=now
                    )
                )

    def forget(self, uuid: str, name: str) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(
                delete(PortalRef).where(
                    PortalRef.portal == self.portal, PortalRef.uuid == uuid, PortalRef.name == name
                )
            )

    def uuids(self, name: str) -> list[str]:
        with self.db.engine.connect() as conn:
            return list(
                conn.scalars(
                    select(PortalRef.uuid)
                    .where(PortalRef.portal == self.portal, PortalRef.name == name)
                    .order_by(PortalRef.uuid)
                )
            )
