"""Sign every PDF of a READY dossier with one key (one PIN entry) → SIGNED.

A thin layer over `desktop.signing.batch`: the attachments are read from the blob
store, each signed PDF becomes a NEW blob (the original blob stays in the store), and
the dossier's attachments are switched to the signed blobs in one unit of work
together with the READY → SIGNED move. All or nothing: when any file fails, nothing
in the dossier changes and the report says which file failed and why.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509

from desktop.attachments.store import BlobInfo, BlobStore
from desktop.dossier import state_door
from desktop.dossier.model import Dossier
from desktop.dossier.repository import load
from desktop.dossier.states import State, check_transition
from desktop.errors import UserError, define
from desktop.events import DossierChanged, EventBus
from desktop.progress import CancelToken, ProgressCallback, no_progress
from desktop.signing.batch import BatchItem, BatchOutcome, sign_many
from desktop.signing.keys import SigningKey
from desktop.signing.signer import SignOptions
from desktop.storage import models
from desktop.storage.db import Database

log = logging.getLogger(__name__)
PDF = "application/pdf"

E_NOTHING_TO_SIGN = define(
    "dossier.nothing_to_sign",
    vi="Hồ sơ {id} không có tệp PDF nào để ký. Hãy đính kèm tệp PDF trước.",
    en="Dossier {id} has no PDF to sign. Attach PDF files first.",
)
E_SIGN_INCOMPLETE = define(
    "dossier.sign_incomplete",
    vi=(
        "Chưa ký được {failed}/{total} tệp của hồ sơ {id} (ví dụ «{name}»: {reason}). "
        "Hồ sơ chưa thay đổi; hãy xử lý tệp lỗi rồi ký lại."
    ),
    en=(
        "{failed} of {total} files of dossier {id} could not be signed (e.g. '{name}': "
        "{reason}). The dossier is unchanged; fix the file and sign again."
    ),
)


@dataclass(frozen=True)
class DossierSignReport:
    dossier: Dossier
    outcomes: list[BatchOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names of non-PDF attachments

    def as_dict(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier.id,
            "state": self.dossier.state,
            "files": [o.as_dict() for o in self.outcomes],
            "skipped": self.skipped,
        }


class DossierSigning:
    """Signs a dossier's attachments; needs the store, the database and the events."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        tmp: Path,
        events: EventBus,
        trust: Sequence[x509.Certificate] = (),
    ) -> None:
        self._db = db
        self._store = store
        self._tmp = tmp
        self._events = events
        # The data dir's trust folder: intermediates a key source lacks, the TSA check.
        self._trust = tuple(trust)

    def sign(
        self,
        dossier: Dossier,
        key: SigningKey,
        options: SignOptions | None = None,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> DossierSignReport:
        """Sign the PDFs of `dossier` (read just before) on the calling thread."""
        check_transition(dossier.id, dossier.state, State.SIGNED)
        if self._trust:
            key.complete_chain(list(self._trust))
            options = replace(options or SignOptions(), trust=self._trust)
        pdfs = [a for a in dossier.attachments if a.media_type == PDF]
        skipped = [a.name for a in dossier.attachments if a.media_type != PDF]
        if not pdfs:
            raise UserError(E_NOTHING_TO_SIGN, id=dossier.id)
        self._tmp.mkdir(parents=True, exist_ok=True)
        items = [
            BatchItem(
                self._store.path(a.sha256),
                self._tmp / f"sign-{dossier.id}-{a.id}.pdf",
                label=a.name,
            )
            for a in pdfs
        ]
        outcomes = sign_many(items, key, options, progress=progress, cancel=cancel)
        try:
            failed = [(a, o) for a, o in zip(pdfs, outcomes, strict=True) if o.status != "signed"]
            if failed:
                first, outcome = failed[0]
                # The clerk knows the file by its name, not by its place in the store.
                blob = str(self._store.path(first.sha256))
                reason = (outcome.message or outcome.status).replace(blob, first.name)
                raise UserError(
                    E_SIGN_INCOMPLETE,
                    id=dossier.id,
                    failed=len(failed),
                    total=len(pdfs),
                    name=first.name,
                    reason=reason,
                )
            imported: builtins.list[BlobInfo] = []
            try:
                for item in items:
                    imported.append(self._store.import_file(item.output))
                updated = self._switch(dossier, pdfs, imported, key.info.common_name)
            except BaseException:
                self._store.discard_unrecorded([i.sha256 for i in imported])
                raise
        finally:
            for item in items:
                item.output.unlink(missing_ok=True)
        self._events.publish(DossierChanged(updated.id, updated.state))
        return DossierSignReport(updated, outcomes, skipped)

    def adopt(
        self, dossier: Dossier, pdfs: list[Any], signed: list[BlobInfo], signer: str
    ) -> Dossier:
        """Switch `pdfs` to the `signed` blobs (made elsewhere: a remote signature) →
        SIGNED, in one unit of work, and tell the window."""
        updated = self._switch(dossier, pdfs, signed, signer)
        self._events.publish(DossierChanged(updated.id, updated.state))
        return updated

    def _switch(
        self, dossier: Dossier, pdfs: list[Any], signed: list[BlobInfo], signer: str
    ) -> Dossier:
        now = datetime.now(UTC)
        with self._db.session() as session:
            row = session.get(models.Dossier, dossier.id)
            if row is None or row.updated_at != dossier.updated_at:
                # Changed while we were signing: do not sign a version nobody checked.
                raise UserError(E_CHANGED_MEANWHILE, id=dossier.id)
            note = f"Ký số {len(pdfs)} tệp PDF bởi {signer}"
            state_door.move(session, row, State.SIGNED, note, now)
            for attachment, info in zip(pdfs, signed, strict=True):
                self._store.record(session, info)
                item = session.get(models.DossierFile, attachment.id)
                if item is None:
                    raise UserError(E_CHANGED_MEANWHILE, id=dossier.id)
                item.blob_sha256 = info.sha256
            session.flush()
            return load(session, row)


E_CHANGED_MEANWHILE = define(
    "dossier.changed_while_signing",
    vi="Hồ sơ {id} vừa bị thay đổi trong lúc ký nên chưa được cập nhật. Hãy ký lại.",
    en="Dossier {id} changed while it was being signed and was not updated. Sign again.",
)
