"""Dossiers: create, read, list, edit, attach files, validate, move through states.

Every write is one unit of work (one `Database.session()`), followed by a
`DossierChanged` event once committed. Attached files are copied into the store before
the unit of work opens, so the database is never locked while a large file is copied.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop.attachments.scan_text import MAX_CHARS, pdf_text
from desktop.attachments.store import BlobInfo, BlobStore
from desktop.catalog import editions
from desktop.catalog.model import NOT_APPLICABLE, Case, ComponentSpec, Procedure
from desktop.dossier import checklist, edition_move, fields, repository, state_door, validation
from desktop.dossier.model import ERROR, Dossier, DossierRow, HistoryEntry, Problem
from desktop.dossier.states import State, parse_state, state_after_edit
from desktop.errors import UserError, define
from desktop.events import DossierChanged, EventBus
from desktop.filecheck import damage
from desktop.filecheck.repair import rewrite
from desktop.filecheck.sniff import PDF
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.settings import MAX_FILE_SIZE, Settings
from desktop.storage import models
from desktop.storage.db import Database, expect_version

E_NOT_FOUND = define(
    "dossier.not_found",
    vi="Không có hồ sơ số {id}. Hãy xem danh sách bằng «dvc-desk dossier list».",
    en="There is no dossier {id}. See the list with 'dvc-desk dossier list'.",
)
E_UNKNOWN_COMPONENT = define(
    "dossier.unknown_component",
    vi="Thủ tục «{procedure}» không có thành phần hồ sơ «{component}». Các thành phần: {known}.",
    en="Procedure '{procedure}' has no component '{component}'. Components: {known}.",
)
E_NOT_READY = define(
    "dossier.not_ready",
    vi=(
        "Hồ sơ {id} còn {count} lỗi nên chưa thể chuyển sang «Sẵn sàng», ví dụ: {first} "
        "Xem đầy đủ bằng «dvc-desk dossier validate {id}»."
    ),
    en="Dossier {id} still has {count} error(s), e.g.: {first} See 'dossier validate {id}'.",
)
E_NO_FILES = define(
    "dossier.no_files",
    vi="Chưa chọn tệp nào để đính kèm. Hãy ghi đường dẫn của ít nhất một tệp.",
    en="No file was given to attach. Give the path of at least one file.",
)
E_NO_ATTACHMENT = define(
    "dossier.no_attachment",
    vi="Hồ sơ {id} không có tệp đính kèm số {attachment}.",
    en="Dossier {id} has no attachment {attachment}.",
)
E_BAD_PAGE = define(
    "dossier.bad_page",
    vi="Số dòng mỗi trang phải từ 1 đến {max} và vị trí bắt đầu không âm.",
    en="The page size must be 1 to {max} and the offset not negative.",
)

MAX_PAGE = 1000


_PDF = "application/pdf"


class ProcedureSource(Protocol):
    """What the dossier service needs of the catalog."""

    def get(self, key_or_code: str) -> Procedure:
        """The procedure with this catalog key or national code; UserError when unknown."""
        ...

    def edition(self, key: str, number: int | None) -> Procedure:
        """The procedure `key` as its edition `number` says (None: the current one)."""
        ...


def _drop_mark(session: Session, dossier_id: int, component_code: str) -> None:
    session.execute(
        delete(models.ComponentMark).where(
            models.ComponentMark.dossier_id == dossier_id,
            models.ComponentMark.component_code == component_code,
        )
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DossierService:
    """The one way to change dossiers; returns frozen dataclasses only."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        catalog: ProcedureSource,
        settings: Settings,
        events: EventBus,
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._db = db
        self._store = store
        self._catalog = catalog
        self._settings = settings
        self._events = events
        self._clock = clock

    # --- reading ---------------------------------------------------------------------

    def get(self, dossier_id: int) -> Dossier:
        with self._db.session() as session:
            return repository.load(session, self._row(session, dossier_id))

    def list(
        self,
        state: str | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> builtins.list[DossierRow]:
        """One page of light rows, newest change first. `search` is folded (no
        diacritics, any case, đ → d); each typed word must start a word of the
        applicant's or submitter's name, ID, tax or phone number, the receipt number or
        the procedure name, or be the dossier number (see `desktop.dossier.search`)."""
        if not (1 <= limit <= MAX_PAGE) or offset < 0:
            raise UserError(E_BAD_PAGE, max=MAX_PAGE)
        wanted = parse_state(state).value if state else None
        with self._db.session() as session:
            return repository.list_rows(
                session, state=wanted, search=search, offset=offset, limit=limit
            )

    def count(self, state: str | None = None, search: str | None = None) -> int:
        wanted = parse_state(state).value if state else None
        with self._db.session() as session:
            return repository.count_rows(session, state=wanted, search=search)

    def history(self, dossier_id: int) -> builtins.list[HistoryEntry]:
        with self._db.session() as session:
            self._row(session, dossier_id)
            return repository.history(session, dossier_id)

    def procedure_of(self, dossier: Dossier) -> Procedure:
        """The procedure as the edition the dossier was created under says: a newer
        edition never changes a dossier's checklist or moves its files."""
        return self._catalog.edition(dossier.procedure_key, dossier.procedure_edition)

    def checklist_items(self, dossier_id: int) -> builtins.list[checklist.ChecklistItem]:
        dossier = self.get(dossier_id)
        return checklist.items(dossier, self.procedure_of(dossier))

    def newer_edition(self, dossier_id: int) -> checklist.NewerEdition | None:
        """The current edition and the diff, when it is newer than the dossier's."""
        dossier = self.get(dossier_id)
        if dossier.procedure_edition is None:
            return None
        current = self._catalog.get(dossier.procedure_key)
        if current.edition is None or current.edition.number <= dossier.procedure_edition:
            return None
        old = self.procedure_of(dossier)
        return checklist.NewerEdition(current.edition.number, editions.diff(old, current))

    def plan_edition_move(
        self,
        dossier_id: int,
        mapping: Mapping[str, str] | None = None,
        case: str | None = None,
    ) -> edition_move.EditionMove:
        """What moving the dossier to the current edition of its procedure would do."""
        dossier = self.get(dossier_id)
        new = self._catalog.get(dossier.procedure_key)
        return edition_move.plan(
            dossier, self.procedure_of(dossier), new, mapping=mapping, case=case
        )

    def move_to_edition(
        self,
        dossier_id: int,
        mapping: Mapping[str, str] | None = None,
        case: str | None = None,
    ) -> Dossier:
        """Move the dossier to the current edition (desktop.dossier.edition_move): every
        attachment to the component of the same code or the one the clerk chose;
        refused, with nothing written, while a file or the case has no place."""
        dossier = self.get(dossier_id)
        new = self._catalog.get(dossier.procedure_key)
        move = edition_move.plan(
            dossier, self.procedure_of(dossier), new, mapping=mapping, case=case
        )
        edition_move.require_complete(move, new)
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            target = state_after_edit(row.id, row.state)
            files = session.scalars(
                select(models.DossierFile).where(models.DossierFile.dossier_id == row.id)
            ).all()
            if any(f.id not in move.targets for f in files):
                # A file attached since the plan: plan again rather than guess.
                raise UserError(edition_move.E_CHANGED, id=row.id)
            for file in files:
                file.component_code = move.targets[file.id]
            for code in move.dropped_marks:
                _drop_mark(session, row.id, code)
            row.procedure_edition = move.new
            row.case_code = move.case_code
            self._touch(session, row, target, edition_move.history_note(move))
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    # --- writing ---------------------------------------------------------------------

    def create(self, procedure: str, case: str | None = None) -> Dossier:
        """A new DRAFT dossier for the procedure with this key or national code, under
        its current edition; `case` is the case (trường hợp) when it has several."""
        spec = self._catalog.get(procedure)
        if case is not None:
            case = self._check_case(spec, case).code
        now = self._clock()
        with self._db.session() as session:
            row = models.Dossier(
                procedure_key=spec.key,
                procedure_edition=spec.edition.number if spec.edition else None,
                case_code=case,
                version=1,
                applicant={},
                delivery={},
                notes="",
                created_at=now,
                updated_at=now,
            )
            note = "Tạo hồ sơ" + (f" (trường hợp {case})" if case else "")
            state_door.start(session, row, State.DRAFT, note, now)
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    def set_fields(
        self,
        dossier_id: int,
        values: Mapping[str, str | bool | None],
        expected_version: int | None = None,
    ) -> Dossier:
        """Change fields by key (see `desktop.dossier.fields`); all or nothing.

        `expected_version`: the `row_version` the editor read; a dossier changed since
        (at another desk) is refused with who changed it, never overwritten."""
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            if expected_version is not None:
                expect_version(session, row.id, expected_version)
            target = state_after_edit(row.id, row.state)
            edited = fields.apply(
                fields.Editable(dict(row.applicant), row.submitter, dict(row.delivery), row.notes),
                values,
            )
            row.applicant = edited.applicant
            row.applicant_name = str(edited.applicant.get("name", ""))
            row.submitter = edited.submitter
            row.delivery = edited.delivery
            row.notes = edited.notes
            self._touch(session, row, target, "Sửa thông tin: " + ", ".join(values))
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    def attach(
        self,
        dossier_id: int,
        component_code: str,
        paths: Sequence[str | os.PathLike[str]],
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Dossier:
        """Attach files to a component; all of them or none (each file is checked
        against the component's accepted types and size limit)."""
        if not paths:
            raise UserError(E_NO_FILES)
        current = self.get(dossier_id)
        state_after_edit(current.id, current.state)
        procedure = self.procedure_of(current)
        spec = procedure.component(component_code)
        if spec is None and not procedure.components_known:
            spec = validation.free_component(component_code.strip())
        if spec is None or not spec.code:
            raise UserError(
                E_UNKNOWN_COMPONENT,
                procedure=procedure.name,
                component=component_code,
                known=", ".join(f"{c.code} ({c.name})" for c in procedure.components),
            )
        if not spec.attachable:
            raise UserError(checklist.E_COMPONENT_IS_NOTE, name=spec.name, component=spec.code)
        accepted, limit = validation.component_limits(spec, self._settings.get(MAX_FILE_SIZE))
        imported: builtins.list[tuple[Path, BlobInfo]] = []
        report = progress or no_progress
        try:
            for index, path in enumerate(paths, start=1):
                label = f"{Path(path).name} ({index}/{len(paths)})"

                def forward(p: Progress, label: str = label) -> None:
                    report(Progress(p.done, p.total, label))

                info = self._store.import_file(
                    path, max_size=limit, accepted=accepted, progress=forward, cancel=cancel
                )
                imported.append((Path(path), info))
            # The scans' text layers (OCR) are read before the write transaction.
            texts = [pdf_text(p) for p, info in imported if info.media_type == _PDF]
            dossier = self._add_files(dossier_id, component_code, imported, texts)
        except BaseException:
            self._store.discard_unrecorded([info.sha256 for _, info in imported])
            raise
        self._publish(dossier)
        return dossier

    def _add_files(
        self,
        dossier_id: int,
        component_code: str,
        imported: Sequence[tuple[Path, BlobInfo]],
        texts: Sequence[str] = (),
    ) -> Dossier:
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            target = state_after_edit(row.id, row.state)
            if any(texts):
                row.scan_text = " ".join([row.scan_text or "", *texts]).strip()[:MAX_CHARS]
            position = (
                session.scalar(
                    select(func.max(models.DossierFile.position)).where(
                        models.DossierFile.dossier_id == row.id,
                        models.DossierFile.component_code == component_code,
                    )
                )
                or 0
            )
            for offset, (path, info) in enumerate(imported, start=1):
                self._store.record(session, info)
                session.add(
                    models.DossierFile(
                        dossier_id=row.id,
                        component_code=component_code,
                        blob_sha256=info.sha256,
                        name=path.name,
                        position=position + offset,
                        added_at=self._clock(),
                    )
                )
            names = ", ".join(p.name for p, _ in imported)
            # A file answers an earlier "không áp dụng": the mark goes.
            _drop_mark(session, row.id, component_code)
            self._touch(session, row, target, f"Đính kèm vào {component_code}: {names}")
            return repository.load(session, row)

    def detach(self, dossier_id: int, attachment_id: int) -> Dossier:
        """Remove one attachment (the stored file stays: other dossiers may share it)."""
        remaining = [a for a in self.get(dossier_id).attachments if a.id != attachment_id]
        texts = [pdf_text(self._store.path(a.sha256)) for a in remaining if a.media_type == _PDF]
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            target = state_after_edit(row.id, row.state)
            item = session.get(models.DossierFile, attachment_id)
            if item is None or item.dossier_id != row.id:
                raise UserError(E_NO_ATTACHMENT, id=dossier_id, attachment=attachment_id)
            session.delete(item)
            if row.scan_text:
                row.scan_text = " ".join(t for t in texts if t)[:MAX_CHARS]
            self._touch(session, row, target, f"Gỡ tệp {item.name} khỏi {item.component_code}")
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    def repair(self, dossier_id: int, attachment_id: int) -> tuple[Dossier, tuple[str, ...]]:
        """Mend a damaged attached PDF (a qpdf rewrite, desktop.filecheck.repair).

        The mended file becomes a new blob in place of the old one (which stays in the
        store); returns the dossier and the damage codes mended. Refuses, changing
        nothing, a file with nothing to mend, a signed file, and damage that a rewrite
        cannot mend.
        """
        current = self.get(dossier_id)
        state_after_edit(current.id, current.state)
        attachment = next((a for a in current.attachments if a.id == attachment_id), None)
        if attachment is None:
            raise UserError(E_NO_ATTACHMENT, id=dossier_id, attachment=attachment_id)
        with self._store.scratch() as folder:
            mended = folder / "repaired.pdf"
            fixed = rewrite(self._store.path(attachment.sha256), mended, attachment.name)
            info = self._store.import_file(mended)
        try:
            with self._db.session() as session:
                row = self._row(session, dossier_id)
                target = state_after_edit(row.id, row.state)
                item = session.get(models.DossierFile, attachment_id)
                if item is None or item.dossier_id != row.id:
                    raise UserError(E_NO_ATTACHMENT, id=dossier_id, attachment=attachment_id)
                self._store.record(session, info)
                item.blob_sha256 = info.sha256
                note = f"Sửa tệp {item.name}: {damage.describe(fixed, 'vi')}"
                self._touch(session, row, target, note)
                dossier = repository.load(session, row)
        except BaseException:
            self._store.discard_unrecorded([info.sha256])
            raise
        self._publish(dossier)
        return dossier, fixed

    def set_case(self, dossier_id: int, case: str) -> Dossier:
        """Choose the dossier's case (trường hợp); refused while files sit in components
        outside it (files never move by themselves)."""
        current = self.get(dossier_id)
        procedure = self.procedure_of(current)
        chosen = self._check_case(procedure, case)
        listed = {c.code for c in procedure.checklist(chosen.code)}
        outside = [a.name for a in current.attachments if a.component_code not in listed]
        if outside:
            raise UserError(checklist.E_CASE_HAS_FILES, case=chosen.name, files=", ".join(outside))
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            target = state_after_edit(row.id, row.state)
            row.case_code = chosen.code
            self._touch(session, row, target, f"Chọn trường hợp {chosen.code}: {chosen.name}")
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    def mark_not_applicable(
        self, dossier_id: int, component_code: str, by: str | None = None, reason: str = ""
    ) -> Dossier:
        """Record "không áp dụng cho hồ sơ này" on a component whose need is unclear or
        optional, with who (default: the OS account) and when."""
        current = self.get(dossier_id)
        procedure = self.procedure_of(current)
        spec = self._checklist_component(current, procedure, component_code)
        params = {"name": spec.name, "component": spec.code}
        if not spec.attachable:
            raise UserError(checklist.E_COMPONENT_IS_NOTE, **params)
        if spec.required is True:
            raise UserError(checklist.E_MARK_REQUIRED, **params)
        if current.attachments_of(spec.code):
            raise UserError(checklist.E_MARK_HAS_FILES, **params)
        who = (by or "").strip() or checklist.default_clerk()
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            target = state_after_edit(row.id, row.state)
            _drop_mark(session, row.id, spec.code)
            session.add(
                models.ComponentMark(
                    dossier_id=row.id,
                    component_code=spec.code,
                    mark=NOT_APPLICABLE,
                    marked_by=who,
                    marked_at=self._clock(),
                    reason=reason.strip(),
                )
            )
            note = f"{spec.code}: không áp dụng cho hồ sơ này ({who})"
            self._touch(
                session, row, target, note + (f": {reason.strip()}" if reason.strip() else "")
            )
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    def clear_mark(self, dossier_id: int, component_code: str) -> Dossier:
        """Take back a "không áp dụng" mark."""
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            target = state_after_edit(row.id, row.state)
            _drop_mark(session, row.id, component_code)
            self._touch(session, row, target, f"{component_code}: bỏ ghi «không áp dụng»")
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    def _check_case(self, procedure: Procedure, case: str) -> Case:
        wanted = case.strip().upper()
        found = next((c for c in procedure.cases if c.code.upper() == wanted), None)
        if found is None:
            raise UserError(
                checklist.CASE_UNKNOWN,
                procedure=procedure.name,
                case=case,
                cases=checklist.case_labels(procedure) or "không có",
            )
        return found

    def _checklist_component(
        self, dossier: Dossier, procedure: Procedure, component_code: str
    ) -> ComponentSpec:
        listed = procedure.checklist(dossier.case_code)
        spec = next((c for c in listed if c.code == component_code.strip()), None)
        if spec is None:
            raise UserError(
                E_UNKNOWN_COMPONENT,
                procedure=procedure.name,
                component=component_code,
                known=", ".join(f"{c.code} ({c.name})" for c in listed if c.attachable),
            )
        return spec

    # --- checking and moving ---------------------------------------------------------

    def validate(self, dossier_id: int, today: date | None = None) -> builtins.list[Problem]:
        """Every problem of the dossier (errors and warnings) at once."""
        dossier = self.get(dossier_id)
        if any(a.media_type == PDF and "pdf" not in a.facts for a in dossier.attachments):
            # Stored before PDFs had a verdict: judge them now, once.
            for attachment in dossier.attachments:
                if attachment.media_type == PDF and "pdf" not in attachment.facts:
                    self._store.pdf_verdict(attachment.sha256)
            dossier = self.get(dossier_id)
        procedure = self.procedure_of(dossier)
        return validation.validate(
            dossier,
            procedure,
            max_file_size=self._settings.get(MAX_FILE_SIZE),
            today=today or self._clock().date(),
        )

    def mark_ready(self, dossier_id: int) -> Dossier:
        """DRAFT → READY, refused while validation finds errors."""
        errors = [p for p in self.validate(dossier_id) if p.severity == ERROR]
        if errors:
            raise UserError(
                E_NOT_READY, id=dossier_id, count=len(errors), first=errors[0].message()
            )
        return self.transition(dossier_id, State.READY, "Hồ sơ hợp lệ")

    def back_to_draft(self, dossier_id: int) -> Dossier:
        return self.transition(dossier_id, State.DRAFT, "Trở lại nháp")

    def transition(self, dossier_id: int, to_state: str, note: str = "") -> Dossier:
        """Move along the state machine (ARCHITECTURE §5); illegal moves are refused."""
        with self._db.session() as session:
            row = self._row(session, dossier_id)
            state_door.move(session, row, to_state, note, self._clock())
            session.flush()
            dossier = repository.load(session, row)
        self._publish(dossier)
        return dossier

    # --- helpers ---------------------------------------------------------------------

    def _row(self, session: Session, dossier_id: int) -> models.Dossier:
        row = session.get(models.Dossier, dossier_id)
        if row is None:
            raise UserError(E_NOT_FOUND, id=dossier_id)
        return row

    def _touch(self, session: Session, row: models.Dossier, target: State, note: str) -> None:
        # Every write is kept in the history, not only state changes.
        if row.state == target.value:
            state_door.stay(session, row, note, self._clock())
        else:
            state_door.move(session, row, target, note, self._clock())
        session.flush()

    def _publish(self, dossier: Dossier) -> None:
        self._events.publish(DossierChanged(dossier.id, dossier.state))
