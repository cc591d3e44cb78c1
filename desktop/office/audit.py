"""The audit trail: every state change, signature, submission, payment, deletion and
account change is written to `audit_log` (who, when, from which PC, what) in the same
transaction as the change itself, after the one permission check (`roles.require`).

It hooks the ORM's flush of the workspace's sessions, so the dossier service, signing,
the outbox, bundles and payments are covered without each calling it: they already
write a `DossierEvent` for every move, a `Payment` for every payment. The engine's
own steps (uploading what a sender queued) are written by `record_delivery`.
"""

from __future__ import annotations

import csv
import socket
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from sqlalchemy import Connection, Insert, event, insert, select
from sqlalchemy.orm import Session

from desktop.dossier.states import State
from desktop.office.roles import Action, Actor, require
from desktop.storage import models
from desktop.storage.db import EXPECTED_VERSIONS, WRITTEN_DOSSIERS, Database, refuse_stale
from desktop.storage.office_models import AuditEntry, OfficeUser
from desktop.storage.outbox_models import OutboxItem, Payment

_SENT = frozenset({State.QUEUED, State.UPLOADING, State.SUBMITTING, State.SUBMITTED})
_DELETED_KINDS: tuple[type[Any], ...] = (models.Dossier, models.Blob, OutboxItem, Payment)
CSV_COLUMNS = (
    "id",
    "at",
    "login",
    "display_name",
    "role",
    "host",
    "action",
    "dossier_id",
    "detail",
)


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    login: str
    display_name: str
    role: str
    host: str
    action: str
    dossier_id: int | None
    detail: str


_INSTALLED: weakref.WeakKeyDictionary[Database, AuditTrail] = weakref.WeakKeyDictionary()


def classify(from_state: str | None, to_state: str) -> tuple[str, Action]:
    """The audit action and the permission a dossier history entry stands for."""
    target = State(to_state)
    source = State(from_state) if from_state is not None else None
    if source is None:
        return "dossier.create", Action.PREPARE
    if target is State.SIGNED and source in (State.READY, State.DRAFT):
        return "dossier.sign", Action.SIGN
    if target is State.QUEUED:
        return "dossier.submit", Action.SUBMIT
    if State.HANDED_OVER in (source, target):
        return "dossier.hand_over", Action.SUBMIT
    if target is State.SUPERSEDED:
        return "dossier.withdraw", Action.SUBMIT if source in _SENT else Action.PREPARE
    if source in _SENT:
        return "dossier.deliver", Action.DELIVER
    if source is target:
        return "dossier.edit", Action.PREPARE
    return "dossier.state", Action.PREPARE


def _detail(item: models.DossierEvent) -> str:
    move = f"{item.from_state or '-'} → {item.to_state}"
    return f"{move}: {item.note}" if item.note else move


class AuditTrail:
    """Installs the hook on a Database and reads the trail back."""

    def __init__(
        self,
        db: Database,
        actor: Callable[[], Actor],
        *,
        host: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = db
        self._actor = actor
        self._host = host or socket.gethostname()
        self._clock = clock
        previous = _INSTALLED.get(db)
        if previous is not None:
            previous.uninstall()  # one trail per database: a second would write twice
        event.listen(db.sessions, "before_flush", self._before_flush)
        event.listen(db.engine, "after_execute", self._after_execute)
        _INSTALLED[db] = self

    def uninstall(self) -> None:
        """Stop recording through this trail (another took its place)."""
        event.remove(self._db.sessions, "before_flush", self._before_flush)
        event.remove(self._db.engine, "after_execute", self._after_execute)
        _INSTALLED.pop(self._db, None)

    # --- writing ---------------------------------------------------------------------

    def _entry(self, actor: Actor, action: str, dossier_id: int | None, detail: str) -> AuditEntry:
        return AuditEntry(
            at=self._clock(),
            login=actor.login,
            display_name=actor.display_name,
            role=actor.role.value,
            host=self._host,
            action=action,
            dossier_id=dossier_id,
            detail=detail,
        )

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        self._check_versions(session)
        found: list[tuple[str, Action, int | None, str]] = []
        for obj in list(session.new):
            if isinstance(obj, models.DossierEvent):
                action, needs = classify(obj.from_state, obj.to_state)
                found.append((action, needs, obj.dossier_id, _detail(obj)))
            elif isinstance(obj, Payment):
                found.append(("payment", Action.PAY, obj.dossier_id, f"{obj.ref}: {obj.amount}"))
            elif isinstance(obj, OfficeUser):
                detail = f"{obj.login} ({obj.role})"
                found.append(("user.add", Action.MANAGE_USERS, None, detail))
        for obj in list(session.dirty):
            if isinstance(obj, OfficeUser) and session.is_modified(obj):
                detail = f"{obj.login} ({obj.role})"
                found.append(("user.change", Action.MANAGE_USERS, None, detail))
            elif isinstance(obj, models.Dossier) and session.is_modified(obj):
                session.info.setdefault(WRITTEN_DOSSIERS, set()).add(obj.id)
        for obj in list(session.deleted):
            if isinstance(obj, _DELETED_KINDS):
                key = getattr(obj, "id", None) or getattr(obj, "sha256", None) or obj.ref
                dossier = (
                    obj.id if isinstance(obj, models.Dossier) else getattr(obj, "dossier_id", None)
                )
                found.append(("delete", Action.DELETE, dossier, f"{type(obj).__tablename__} {key}"))
        if not found:
            return
        actor = self._actor()
        for action, needs, dossier_id, detail in found:
            require(actor, needs)
            session.add(self._entry(actor, action, dossier_id, detail))

    def _check_versions(self, session: Session) -> None:
        """An edit made from a version another person changed since is refused
        (Database.on_stale names them); one's own other writes (a file attached in the
        same window) are not a conflict."""
        expected: dict[int, int] = session.info.get(EXPECTED_VERSIONS, {})
        for obj in list(session.dirty):
            if not isinstance(obj, models.Dossier) or obj.id not in expected:
                continue
            if expected[obj.id] == obj.row_version:
                continue
            last = self.last_writer(obj.id)
            if last is None or last.login != self._actor().login:
                refuse_stale(session, obj.id)

    def _after_execute(
        self, conn: Connection, statement: Any, multi: Any, single: Any, _options: Any, _result: Any
    ) -> None:
        """The sync engine moves dossiers with Core statements on a connection
        (desktop.dossier.state_door.move_core): its history insert is audited here, in the
        same transaction."""
        if not (isinstance(statement, Insert) and statement.table.name == "dossier_events"):
            return
        params = single or (multi[0] if isinstance(multi, list) and len(multi) == 1 else None)
        if not isinstance(params, dict) or "target" not in params or "dossier_id" not in params:
            return
        actor = self._actor()
        action, needs = classify(State.QUEUED.value, str(params["target"]))
        require(actor, needs)
        detail = f"→ {params['target']}: {params.get('note', '')}"
        entry = self._entry(actor, action, int(params["dossier_id"]), detail)
        columns = {
            c.name: getattr(entry, c.name) for c in AuditEntry.__table__.columns if c.name != "id"
        }
        conn.execute(insert(AuditEntry), [columns])

    def record(self, action: str, detail: str, dossier_id: int | None = None) -> None:
        """Write an entry for something that is not a row change (a move, an export)."""
        with self._db.session() as session:
            session.add(self._entry(self._actor(), action, dossier_id, detail))

    # --- reading ---------------------------------------------------------------------

    def entries(self, dossier_id: int | None = None) -> list[Entry]:
        """The trail, oldest first; of one dossier when `dossier_id` is given."""
        query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
        if dossier_id is not None:
            query = query.where(AuditEntry.dossier_id == dossier_id)
        with self._db.session() as session:
            return [
                Entry(r.id, r.at, r.login, r.display_name, r.role, r.host, r.action,
                      r.dossier_id, r.detail)
                for r in session.scalars(query)
            ]  # fmt: skip

    def last_writer(self, dossier_id: int) -> Entry | None:
        """The latest entry of the dossier (who changed it last)."""
        with self._db.session() as session:
            row = session.scalar(
                select(AuditEntry)
                .where(AuditEntry.dossier_id == dossier_id)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            )
            if row is None:
                return None
            return Entry(row.id, row.at, row.login, row.display_name, row.role, row.host,
                         row.action, row.dossier_id, row.detail)  # fmt: skip


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading =, +, -, @ (a formula) is
    quoted with an apostrophe. A note or a name typed by anyone reaches this file."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(entries: Iterable[Entry], out: TextIO) -> int:
    """The entries as CSV (UTF-8 with a BOM so spreadsheet programs read the diacritics,
    a header row, times in UTC); returns how many were written."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for e in entries:
        at = e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)
        writer.writerow(
            [e.id, at.isoformat(), _cell(e.login), _cell(e.display_name), e.role,
             _cell(e.host), e.action, "" if e.dossier_id is None else e.dossier_id,
             _cell(e.detail)]
        )  # fmt: skip
        count += 1
    return count
