"""Export: dossiers handed over in a bundle (HANDED_OVER here), and taking one back.

The dossiers are marked and their UUIDs minted in one unit of work *before* the file is
written, so a dossier can never travel without being marked here; if writing fails the
marks are undone (recorded), and a process killed meanwhile leaves them handed over,
which the clerk sees and can take back.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.attachments.store import BlobStore
from desktop.bundles import manifest as mf
from desktop.bundles import records
from desktop.bundles.carried import attachment_shas, dossier_payload
from desktop.bundles.container import PART_LIMIT
from desktop.bundles.errors import (
    E_BAD_ID_LIST,
    E_BAD_OUTPUT,
    E_BAD_PART_SIZE,
    E_NOT_EXPORTABLE,
    E_NOT_HANDED_OVER,
    E_NOTHING_SELECTED,
)
from desktop.bundles.names import dossier_entry, windows_problem
from desktop.bundles.writing import BundleSpec, write_bundle
from desktop.dossier import state_door
from desktop.dossier.service import E_NOT_FOUND
from desktop.dossier.states import HANDED_OVER_FROM, LABELS, State, parse_state
from desktop.errors import UserError
from desktop.events import DossierChanged, EventBus
from desktop.progress import CancelToken, ProgressCallback
from desktop.storage import models
from desktop.storage.bundle_models import BundleExport
from desktop.storage.db import Database

if TYPE_CHECKING:
    from desktop.signing.keys import SigningKey

WRITING, WRITTEN, FAILED = "writing", "written", "failed"


@dataclass(frozen=True)
class ExportResult:
    parts: tuple[Path, ...]
    sequence: int
    workspace: str
    dossier_ids: tuple[int, ...]
    uuids: tuple[str, ...]
    size: int
    manifest_sha256: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["parts"] = [str(p) for p in self.parts]
        return data


def parse_ids(text: str) -> list[int]:
    """'12,15' → [12, 15]; UserError for anything else."""
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise UserError(E_BAD_ID_LIST, text=text) from exc
    if not ids or any(i <= 0 for i in ids):
        raise UserError(E_BAD_ID_LIST, text=text)
    return list(dict.fromkeys(ids))


_SIZE = re.compile(r"^\s*(\d+)\s*([KMG]?)B?\s*$", re.IGNORECASE)


def parse_part_size(text: str) -> int:
    """'4G', '700M' → bytes; at most the FAT32 limit, at least 1 MiB."""
    match = _SIZE.match(text)
    if match is None:
        raise UserError(E_BAD_PART_SIZE, text=text)
    size = (
        int(match.group(1))
        * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[match.group(2).upper()]
    )
    if size < (1 << 20):
        raise UserError(E_BAD_PART_SIZE, text=text)
    return min(size, PART_LIMIT)


def check_output(target: Path) -> None:
    """Refuse a bundle name that Windows or a FAT32 stick cannot store."""
    problem = windows_problem(target.name)
    if problem is not None:
        raise UserError(E_BAD_OUTPUT, name=target.name, reason=problem)
    if not target.parent.is_dir():
        raise UserError(E_BAD_OUTPUT, name=str(target), reason="thư mục chứa không tồn tại")


class DossierExporter:
    """Hand dossiers over in a bundle, and take them back."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        events: EventBus,
        *,
        clock: Callable[[], datetime] = mf.now_utc,
    ) -> None:
        self._db = db
        self._store = store
        self._events = events
        self._clock = clock

    def select(self, ids: Sequence[int] | None = None, state: str | None = None) -> list[int]:
        """The dossiers named, or every dossier in `state`; refused when none."""
        if ids:
            return list(ids)
        if state:
            wanted = parse_state(state).value
            with self._db.session() as session:
                found = list(
                    session.scalars(
                        select(models.Dossier.id)
                        .where(models.Dossier.state == wanted)
                        .order_by(models.Dossier.id)
                    )
                )
            if found:
                return found
        raise UserError(E_NOTHING_SELECTED)

    def export(
        self,
        dossier_ids: Sequence[int],
        target: Path,
        key: SigningKey,
        *,
        part_size: int = PART_LIMIT,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> ExportResult:
        """Write the dossiers to `target` (parts `.002`... beyond `part_size`), signed by
        `key` (a SigningKey from any source); they become HANDED_OVER here."""
        if not dossier_ids:
            raise UserError(E_NOTHING_SELECTED)
        check_output(target)
        key.check()
        now = self._clock()
        with self._db.session() as session:
            workspace = records.workspace_id(session, now)
            sequence = records.next_sequence(session)
            payloads = self._hand_over(session, dossier_ids, sequence, target, now)
            session.add(
                BundleExport(
                    sequence=sequence, kind=mf.DOSSIERS, target_workspace=None,
                    path=str(target), state=WRITING, manifest_sha256=None,
                    dossier_uuids=[p["uuid"] for p in payloads], created_at=now,
                )
            )  # fmt: skip
        self._publish(dossier_ids)
        try:
            parts, manifest_sha = self._write(
                payloads, target, key, workspace=workspace, sequence=sequence, now=now,
                part_size=part_size, progress=progress, cancel=cancel,
            )  # fmt: skip
        except BaseException:
            self._give_back(dossier_ids, sequence)
            raise
        with self._db.session() as session:
            row = session.scalars(select(BundleExport).where(BundleExport.sequence == sequence))
            export = row.one()
            export.state, export.manifest_sha256 = WRITTEN, manifest_sha
        return ExportResult(
            parts=tuple(parts),
            sequence=sequence,
            workspace=workspace,
            dossier_ids=tuple(dossier_ids),
            uuids=tuple(p["uuid"] for p in payloads),
            size=sum(p.stat().st_size for p in parts),
            manifest_sha256=manifest_sha,
        )

    def _hand_over(
        self, session: Session, ids: Sequence[int], sequence: int, target: Path, now: datetime
    ) -> list[dict[str, Any]]:
        payloads: list[dict[str, Any]] = []
        for dossier_id in ids:
            row = session.get(models.Dossier, dossier_id)
            if row is None:
                raise UserError(E_NOT_FOUND, id=dossier_id)
            state = State(row.state)
            if state not in HANDED_OVER_FROM:
                raise UserError(E_NOT_EXPORTABLE, id=row.id, state=state.value, label=LABELS[state])
            if row.uuid is None:
                # Minted here, not at submission: the office submits under this UUID, so
                # the portal knows one dossier whichever PC sends it.
                row.uuid = str(uuidlib.uuid4())
            payloads.append(dossier_payload(session, row, state.value))
            note = f"Chuyển đi bằng USB: gói số {sequence} ({target.name})"
            state_door.move(session, row, State.HANDED_OVER, note, now)
        session.flush()
        return payloads

    def _write(
        self,
        payloads: list[dict[str, Any]],
        target: Path,
        key: SigningKey,
        *,
        workspace: str,
        sequence: int,
        now: datetime,
        part_size: int,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> tuple[list[Path], str]:
        documents = [
            (dossier_entry(p["uuid"]), json.dumps(p, ensure_ascii=False, sort_keys=True).encode())
            for p in payloads
        ]
        sizes = {a["sha256"]: a["size"] for p in payloads for a in p["attachments"]}
        spec = BundleSpec(
            kind=mf.DOSSIERS, created_at=now, workspace=workspace, sequence=sequence,
            dossiers=[p["uuid"] for p in payloads], documents=documents,
            files={sha: sizes[sha] for sha in set().union(*map(attachment_shas, payloads))},
            part_size=part_size,
        )  # fmt: skip
        return write_bundle(
            target, spec, store=self._store, key=key, progress=progress, cancel=cancel
        )

    def _give_back(self, ids: Sequence[int], sequence: int) -> None:
        """Undo the marks of a bundle that was not written (each recorded)."""
        now = self._clock()
        with self._db.session() as session:
            for dossier_id in ids:
                row = session.get(models.Dossier, dossier_id)
                if row is None or row.state != State.HANDED_OVER.value:
                    continue
                before = _state_before_handover(session, row.id)
                state_door.move(
                    session, row, before, f"Gói số {sequence} không ghi được: hồ sơ ở lại máy này",
                    now,
                )  # fmt: skip
            export = session.scalars(
                select(BundleExport).where(BundleExport.sequence == sequence)
            ).one()
            export.state = FAILED
        self._publish(ids)

    def take_back(self, dossier_id: int, reason: str = "") -> None:
        """A HANDED_OVER dossier back to the state it left (recorded in its history)."""
        now = self._clock()
        with self._db.session() as session:
            row = session.get(models.Dossier, dossier_id)
            if row is None:
                raise UserError(E_NOT_FOUND, id=dossier_id)
            if row.state != State.HANDED_OVER.value:
                state = parse_state(row.state)
                raise UserError(
                    E_NOT_HANDED_OVER, id=row.id, state=state.value, label=LABELS[state]
                )
            before = _state_before_handover(session, row.id)
            note = "Lấy lại hồ sơ đã chuyển đi bằng USB" + (f": {reason}" if reason else "")
            state_door.move(session, row, before, note, now)
        self._publish([dossier_id])

    def _publish(self, ids: Sequence[int]) -> None:
        with self._db.session() as session:
            rows = session.execute(
                select(models.Dossier.id, models.Dossier.state).where(models.Dossier.id.in_(ids))
            ).all()
        for dossier_id, state in rows:
            self._events.publish(DossierChanged(dossier_id, state))


def _state_before_handover(session: Session, dossier_id: int) -> str:
    before = session.scalars(
        select(models.DossierEvent.from_state)
        .where(
            models.DossierEvent.dossier_id == dossier_id,
            models.DossierEvent.to_state == State.HANDED_OVER.value,
        )
        .order_by(models.DossierEvent.id.desc())
        .limit(1)
    ).first()
    return before or State.READY.value
