"""The outbox: "submit" as one transaction, "withdraw and edit", and what the queue holds.

Submitting freezes the dossier (QUEUED: read-only), records every file's SHA-256, mints
the dossier UUID and the submission key and inserts the outbox row, all in one unit of
work. The request body is stored as it will be sent, so every retry sends the same bytes
and the portal's idempotency holds. Withdrawing makes a new DRAFT version that supersedes
the frozen one; it is refused once the submission itself may have reached the portal.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid as uuidlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.attachments.store import BlobStore
from desktop.catalog.model import Procedure
from desktop.dossier import state_door
from desktop.dossier.model import ERROR, Dossier
from desktop.dossier.service import DossierService
from desktop.dossier.states import E_HANDED_OVER, EDITABLE, LABELS, State
from desktop.errors import IntegrityError, UserError, define
from desktop.events import DossierChanged, EventBus
from desktop.storage import models
from desktop.storage.db import Database
from desktop.storage.outbox_models import OutboxFile, OutboxItem, SupplementRequestRow
from desktop.sync.items import (
    ACTIVE,
    FINISH,
    QUEUED,
    UNWITHDRAWABLE_INTENTS,
    WITHDRAWABLE,
    WITHDRAWN,
    OutboxEntry,
    changed_rows,
    entry_of,
    new_submission_key,
    publish_entry,
)
from desktop.sync.versions import supersede

E_INVALID = define(
    "sync.invalid_dossier",
    vi=(
        "Chưa thể nộp hồ sơ {id}: còn {count} lỗi cần sửa:\n{problems}\n"
        "Hãy sửa các lỗi trên rồi nộp lại."
    ),
    en="Dossier {id} cannot be submitted yet; fix these {count} problem(s):\n{problems}",
)
E_NOT_SUBMITTABLE = define(
    "sync.not_submittable",
    vi=(
        "Hồ sơ {id} đang ở trạng thái «{label}» nên không nộp được nữa "
        "(chỉ nộp được hồ sơ nháp, sẵn sàng hoặc đã ký). Xem trạng thái bằng "
        "«dvc-desk status {id}»."
    ),
    en="Dossier {id} is {state}; only a draft, ready or signed dossier can be submitted.",
)
E_CHANGED = define(
    "sync.changed_meanwhile",
    vi="Hồ sơ {id} vừa được sửa trong lúc nộp. Hãy kiểm tra lại rồi nộp lần nữa.",
    en="Dossier {id} changed while it was being submitted. Check it and submit again.",
)
E_FILE_DAMAGED = define(
    "sync.file_damaged",
    vi=(
        "Tệp «{name}» của hồ sơ {id} trong kho đã bị thay đổi hoặc hỏng (mã băm không khớp). "
        "Hãy đính kèm lại tệp gốc rồi nộp lại; chạy «dvc-desk doctor» để kiểm tra kho."
    ),
    en="The stored file '{name}' of dossier {id} is damaged. Re-attach it; run 'dvc-desk doctor'.",
)
E_SUPPLEMENT_EMPTY = define(
    "sync.supplement_empty",
    vi=(
        "Hồ sơ bổ sung {id} chưa có tài liệu nào. Hãy đính kèm các giấy tờ cán bộ yêu cầu "
        "(«dvc-desk dossier attach {id} <thành phần> <tệp>») rồi nộp lại."
    ),
    en="Supplement {id} has no document yet. Attach what the officer asked for, then submit.",
)
E_SUPPLEMENT_ANSWERED = define(
    "sync.supplement_answered",
    vi=(
        "Cổng đã nhận hồ sơ bổ sung «{answered_by}» cho yêu cầu này của hồ sơ {parent}, nên "
        "không gửi bổ sung {id} nữa. Xem trạng thái bằng «dvc-desk status {parent}»; nếu cán "
        "bộ cần thêm giấy tờ, cổng sẽ gửi một yêu cầu bổ sung mới."
    ),
    en=(
        "The portal already received supplement {answered_by} for this request of dossier "
        "{parent}; supplement {id} is not sent. Check 'dvc-desk status {parent}'."
    ),
)
E_NOT_QUEUED = define(
    "sync.not_queued",
    vi="Hồ sơ {id} chưa được đưa vào hàng chờ gửi. Hãy nộp bằng «dvc-desk submit {id}».",
    en="Dossier {id} is not in the outbox. Submit it with 'dvc-desk submit {id}'.",
)
E_TOO_LATE = define(
    "sync.too_late_to_withdraw",
    vi=(
        "Không rút được hồ sơ {id}: hồ sơ đang được nộp hoặc đã nộp lên cổng "
        "(trạng thái «{state}»). Sau khi nộp, việc rút hồ sơ phải làm trên cổng dịch vụ công."
    ),
    en="Dossier {id} is being or has been submitted ({state}); withdraw it on the portal.",
)
E_SUPPLEMENT_FINISHING = define(
    "sync.supplement_finishing",
    vi=(
        "Chưa rút được hồ sơ bổ sung {id}: phần cuối của hồ sơ đang được gửi lên cổng. "
        "Hãy đợi một lát rồi thử rút lại. Nếu cổng đã nhận, hồ sơ chuyển sang «Đã nộp» "
        "và không rút được nữa; khi đó xem trạng thái bằng «dvc-desk status {id}»."
    ),
    en=(
        "Supplement {id} cannot be withdrawn right now: its last part is being sent to the "
        "portal. Wait a moment and try again; once the portal has it, it is submitted."
    ),
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def form_of(dossier: Dossier) -> dict[str, Any]:
    """The form data sent to the portal: the parties, delivery options and notes."""
    data = dossier.as_dict()
    return {
        "applicant": data["applicant"],
        "submitter": data["submitter"],
        "delivery": data["delivery"],
        "notes": data["notes"],
        "version": dossier.version,
    }


def submission_files(dossier: Dossier) -> list[dict[str, Any]]:
    """The file manifest sent to the portal: every attachment with its SHA-256."""
    return [
        {
            "file_id": f"f{index}",
            "name": attachment.name,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "media_type": attachment.media_type,
            "component_code": attachment.component_code,
        }
        for index, attachment in enumerate(dossier.attachments, start=1)
    ]


def dossier_body(
    dossier: Dossier, procedure: Procedure, files: list[dict[str, Any]]
) -> dict[str, Any]:
    """The frozen request body of a dossier's creation on the portal."""
    return {
        "procedure_code": procedure.code or procedure.key,
        "procedure_name": procedure.name,
        "agency_code": procedure.agency.code,
        "form": form_of(dossier),
        "files": files,
    }


def enqueue(
    session: Session,
    row: models.Dossier,
    dossier: Dossier,
    *,
    portal_uuid: str,
    supplement_id: str | None,
    body: dict[str, Any],
    account: str,
    now: datetime,
) -> OutboxEntry:
    """Freeze `row` (QUEUED) and insert its outbox item, in the caller's unit of work.

    `dossier` is the frozen view of `row` whose attachments become the item's files;
    `body["files"]` lists them in the same order. The caller publishes after commit.
    """
    if supplement_id is None:
        row.uuid = portal_uuid  # a supplement draft keeps none: it is its parent's
    row.submission_key = new_submission_key()
    if row.state == State.DRAFT.value:
        state_door.move(session, row, State.READY, "Hồ sơ hợp lệ", now)
    state_door.move(session, row, State.QUEUED, "Nộp: đưa vào hàng chờ gửi", now)
    files = body["files"]
    item = OutboxItem(
        dossier_id=row.id,
        kind="dossier" if supplement_id is None else "supplement",
        uuid=portal_uuid,
        supplement_id=supplement_id,
        submission_key=row.submission_key,
        account=account,
        state=QUEUED,
        body=body,
        attempts=0,
        next_attempt_at=now,
        bytes_sent=0,
        bytes_total=sum(f["size"] for f in files),
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    for attachment, spec in zip(dossier.attachments, files, strict=True):
        session.add(
            OutboxFile(
                item_id=item.id,
                file_id=spec["file_id"],
                blob_sha256=attachment.sha256,
                sha256=attachment.sha256,
                name=attachment.name,
                size=attachment.size,
                media_type=attachment.media_type,
                component_code=attachment.component_code,
                offset=0,
                complete=False,
                resent_bytes=0,
            )
        )
    session.flush()
    return entry_of(item)


class Outbox:
    """Queue dossiers for the portal and withdraw them; publishes every change."""

    def __init__(
        self,
        db: Database,
        dossiers: DossierService,
        store: BlobStore,
        events: EventBus,
        *,
        clock: Callable[[], datetime] = _utcnow,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self._db = db
        self._dossiers = dossiers
        self._store = store
        self._events = events
        self._clock = clock
        self._wake = wake

    def set_wake(self, wake: Callable[[], None] | None) -> None:
        """The engine's "a new item is queued" hook."""
        self._wake = wake

    # --- submit ----------------------------------------------------------------------

    def submit(self, dossier_id: int, account: str = "") -> OutboxEntry:
        """Validate, freeze and queue a dossier in one transaction; UserError lists problems."""
        dossier = self._dossiers.get(dossier_id)
        if dossier.state == State.HANDED_OVER.value:
            raise UserError(E_HANDED_OVER, id=dossier_id)
        if dossier.state not in {s.value for s in EDITABLE}:
            state = State(dossier.state)
            raise UserError(
                E_NOT_SUBMITTABLE, id=dossier_id, state=state.value, label=LABELS[state]
            )
        supplement = self._supplement_request(dossier_id)
        for attachment in dossier.attachments:
            self._check_blob(dossier_id, attachment.sha256, attachment.name)
        files = submission_files(dossier)
        body: dict[str, Any]
        if supplement is not None:
            # Only the new documents go to the portal, as a supplement of the same dossier.
            if not files:
                raise UserError(E_SUPPLEMENT_EMPTY, id=dossier_id)
            portal_uuid, request_id, answered_by = supplement
            body = {"request_id": request_id, "note": dossier.notes[:2000] or None, "files": files}
            supplement_id: str | None = self._supplement_id(dossier_id, portal_uuid, body)
            if answered_by is not None and answered_by != supplement_id:
                raise UserError(
                    E_SUPPLEMENT_ANSWERED,
                    id=dossier_id,
                    parent=self._parent_of(dossier_id),
                    answered_by=answered_by,
                )
        else:
            self._check_valid(dossier_id)
            procedure = self._dossiers.procedure_of(dossier)
            # A dossier carried in a transfer bundle keeps the UUID minted at export, so
            # the portal knows it as one dossier whichever office sends it.
            portal_uuid, supplement_id = dossier.uuid or str(uuidlib.uuid4()), None
            body = dossier_body(dossier, procedure, files)
        now = self._clock()
        with self._db.session() as session:
            row = session.get(models.Dossier, dossier_id)
            if row is None or row.updated_at != dossier.updated_at or row.state != dossier.state:
                raise UserError(E_CHANGED, id=dossier_id)
            entry = enqueue(
                session,
                row,
                dossier,
                portal_uuid=portal_uuid,
                supplement_id=supplement_id,
                body=body,
                account=account,
                now=now,
            )
        self.announce([entry])
        return entry

    def announce(self, entries: Sequence[OutboxEntry]) -> None:
        """Tell subscribers about newly queued items (after their commit) and wake the engine."""
        for entry in entries:
            self._events.publish(DossierChanged(entry.dossier_id, State.QUEUED.value))
            self.publish(entry)
        if entries and self._wake is not None:
            self._wake()

    def _check_valid(self, dossier_id: int) -> None:
        problems = [p for p in self._dossiers.validate(dossier_id) if p.severity == ERROR]
        if problems:
            raise UserError(
                E_INVALID,
                id=dossier_id,
                count=len(problems),
                problems="\n".join(f"  - {p.message()}" for p in problems),
            )

    def _supplement_request(self, dossier_id: int) -> tuple[str, str, str | None] | None:
        """(portal uuid, request id, answered by) when this draft answers a request.

        `supersede` moves the request's `draft_dossier_id` to every new version, so the
        newest version of a supplement draft is found here directly.
        """
        with self._db.session() as session:
            request = session.scalars(
                select(SupplementRequestRow).where(
                    SupplementRequestRow.draft_dossier_id == dossier_id
                )
            ).first()
            if request is None:
                return None
            parent = session.get(models.Dossier, request.dossier_id)
            assert parent is not None and parent.uuid is not None
            return parent.uuid, request.request_id, request.answered_by

    def _parent_of(self, dossier_id: int) -> int:
        with self._db.session() as session:
            parent = session.scalar(
                select(SupplementRequestRow.dossier_id).where(
                    SupplementRequestRow.draft_dossier_id == dossier_id
                )
            )
            assert parent is not None
            return parent

    def _supplement_id(self, dossier_id: int, portal_uuid: str, body: dict[str, Any]) -> str:
        """The portal id of this supplement: a withdrawn one's when it is the same, else new.

        API v1 has no call to withdraw a supplement: one that reached the portal stays
        there, half uploaded, and the portal refuses its id with other content (409). So an
        identical answer (a version withdrawn and submitted again unchanged) takes the
        withdrawn item's id and the upload resumes from the portal's offsets; an answer that
        changed gets a new random id and replaces the abandoned one, which never
        completes, so the request is answered once, by the new version.
        """
        with self._db.session() as session:
            withdrawn = session.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.uuid == portal_uuid,
                    OutboxItem.kind == "supplement",
                    OutboxItem.state == WITHDRAWN,
                )
                .order_by(OutboxItem.id.desc())
            ).all()
            for item in withdrawn:
                reached = session.scalar(
                    select(OutboxFile.id)
                    .where(OutboxFile.item_id == item.id, OutboxFile.upload_url.is_not(None))
                    .limit(1)
                )
                if item.body == body and item.supplement_id is not None and reached is not None:
                    return item.supplement_id
        # Random, not `s<local id>`: two offices' local numbers collide on a portal that
        # scopes supplement ids more widely than one dossier.
        return f"s{secrets.token_hex(8)}"

    def _check_blob(self, dossier_id: int, sha256: str, name: str) -> None:
        digest = hashlib.sha256()
        with self._store.open(sha256) as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            raise IntegrityError(E_FILE_DAMAGED, id=dossier_id, name=name)

    # --- withdraw --------------------------------------------------------------------

    def withdraw(self, dossier_id: int, reason: str = "Rút hồ sơ để sửa") -> Dossier:
        """A new DRAFT version superseding the queued one; refused once submission began.

        Refused too (`sync.supplement_finishing`) while the engine sends the last piece of a
        supplement (its FINISH intent is committed): the portal may be taking it. An upload
        running meanwhile notices the withdrawal before its next piece and stops.
        """
        with self._db.session() as session:
            item = self._item_of(session, dossier_id)
            done = changed_rows(
                session,
                update(OutboxItem)
                .where(OutboxItem.id == item.id, OutboxItem.state.in_(WITHDRAWABLE))
                .where(
                    (OutboxItem.in_flight.is_(None))
                    | (OutboxItem.in_flight.not_in(UNWITHDRAWABLE_INTENTS))
                )
                .values(state=WITHDRAWN, stop_reason="withdrawn", updated_at=self._clock()),
            )
            if not done:
                session.refresh(item)
                if item.in_flight == FINISH and item.state in ACTIVE:
                    # The engine is sending the piece that completes the supplement: in a
                    # moment it is either on the portal (DONE) or known not to be.
                    raise UserError(E_SUPPLEMENT_FINISHING, id=dossier_id)
                raise UserError(E_TOO_LATE, id=dossier_id, state=item.state)
            new_id = supersede(session, dossier_id, reason, self._clock())
            session.refresh(item)
            entry = entry_of(item)
        self._events.publish(DossierChanged(dossier_id, State.SUPERSEDED.value))
        self._events.publish(DossierChanged(new_id, State.DRAFT.value))
        self.publish(entry)
        return self._dossiers.get(new_id)

    # --- reading ---------------------------------------------------------------------

    def entry(self, dossier_id: int) -> OutboxEntry:
        """The latest outbox item of a dossier; UserError when it was never submitted."""
        with self._db.session() as session:
            return entry_of(self._item_of(session, dossier_id))

    def entries(self, states: Sequence[str] | None = None) -> list[OutboxEntry]:
        with self._db.session() as session:
            query = select(OutboxItem).order_by(OutboxItem.id)
            if states:
                query = query.where(OutboxItem.state.in_(states))
            return [entry_of(row) for row in session.scalars(query)]

    def _item_of(self, session: Session, dossier_id: int) -> OutboxItem:
        item = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.dossier_id == dossier_id)
            .order_by(OutboxItem.id.desc())
            .limit(1)
        ).first()
        if item is None:
            raise UserError(E_NOT_QUEUED, id=dossier_id)
        return item

    def publish(self, entry: OutboxEntry) -> None:
        publish_entry(self._events, entry)
