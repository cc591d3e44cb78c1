"""The office as the workspace composes it: who acts, the permission check, the audit
trail and the edit conflicts, installed on the workspace's database."""

from __future__ import annotations

import threading
from collections.abc import Callable

from desktop.office.audit import AuditTrail
from desktop.office.conflicts import Conflicts
from desktop.office.roles import Action, Actor, can, require
from desktop.office.users import Directory, ask_password
from desktop.storage.db import Database


class Office:
    def __init__(
        self,
        db: Database,
        *,
        login: str | None = None,
        password: Callable[[str], str] = ask_password,
        host: str | None = None,
    ) -> None:
        self.directory = Directory(db)
        self._login = login
        self._password = password
        self._actor: Actor | None = None
        self._lock = threading.Lock()
        self.trail = AuditTrail(db, self.actor, host=host)
        self.conflicts = Conflicts(self.trail)
        db.on_stale = self.conflicts.on_stale

    def actor(self) -> Actor:
        """Who acts in this process, authenticated once (see desktop.office.users)."""
        with self._lock:
            if self._actor is None:
                self._actor = self.directory.authenticate(self._login, self._password)
            return self._actor

    def require(self, action: Action) -> None:
        """The one permission check (desktop.office.roles.require) for this process."""
        require(self.actor(), action)

    def can(self, action: Action) -> bool:
        return can(self.actor(), action)
