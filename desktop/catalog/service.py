"""The catalog as the rest of the app sees it: import, search, look up, list."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.catalog import finding, repository, search
from desktop.catalog.formats import DVCQG, NATIVE
from desktop.catalog.model import (
    Agency,
    EditionInfo,
    Field,
    Procedure,
    ProcedureSummary,
)
from desktop.catalog.resources import BUNDLED_CATALOG
from desktop.errors import IntegrityError, UserError, define
from desktop.events import EventBus
from desktop.storage.db import Database

if TYPE_CHECKING:
    from desktop.catalog.loader import ImportReport

log = logging.getLogger(__name__)

E_UNKNOWN_PROCEDURE = define(
    "catalog.unknown_procedure",
    vi=(
        "Không có thủ tục «{query}» trong danh mục. Hãy tìm khoá hoặc mã thủ tục bằng "
        "«dvc-desk catalog search <từ khoá>» (gõ không dấu cũng được, ví dụ: cchn duoc)."
    ),
    en=(
        "No procedure «{query}» in the catalog. Find its key or code with "
        "«dvc-desk catalog search <words>» (diacritics optional, e.g. cchn duoc)."
    ),
)
# Seconds between two counts of the office's dossiers per procedure.
USAGE_TTL = 300.0
E_BUNDLED_MISSING = define(
    "catalog.bundled_missing",
    vi=(
        "Thiếu danh mục thủ tục đi kèm ứng dụng ({path}). Hãy cài lại dvc-desk, "
        "hoặc nhập một danh mục bằng «dvc-desk catalog import TỆP»."
    ),
    en="The bundled catalog ({path}) is missing. Reinstall dvc-desk or import a catalog.",
)


class CatalogService:
    """Agencies, fields and procedures: import from files, search offline, look up."""

    def __init__(self, db: Database, events: EventBus) -> None:
        self._db = db
        self._events = events
        self._usage: dict[str, int] = {}
        self._usage_at = -USAGE_TTL

    def refresh_usage(self) -> None:
        """Count again how many dossiers the office filed per procedure (search lifts
        the procedures it files most); done by itself at most every USAGE_TTL s."""
        with self._db.session() as session:
            self._usage = finding.usage_counts(search.runner(session))
        self._usage_at = time.monotonic()

    def _current_usage(self) -> dict[str, int]:
        if time.monotonic() - self._usage_at >= USAGE_TTL:
            self.refresh_usage()
        return self._usage

    def ensure_bundled(self) -> ImportReport | None:
        """Import the bundled catalog when the catalog is empty (first start)."""
        if self.count() > 0:
            return None
        if not BUNDLED_CATALOG.is_file():
            raise IntegrityError(E_BUNDLED_MISSING, path=str(BUNDLED_CATALOG))
        log.info("catalog empty: importing the bundled catalog %s", BUNDLED_CATALOG)
        return self.import_file(BUNDLED_CATALOG)

    def import_file(
        self, path: Path, format: str = NATIVE, *, fetched_at: datetime | None = None
    ) -> ImportReport:
        """Validate and import a catalog file (all or nothing); see docs/catalog-format.md.
        `format` "dvcqg": the portal's own records (a file or a folder of them)."""
        # Imported here: a search or a look-up never needs the validation and converters.
        from desktop.catalog.loader import import_catalog, import_dvcqg

        if format == DVCQG:
            report = import_dvcqg(self._db, Path(path), fetched_at=fetched_at)
        else:
            report = import_catalog(self._db, Path(path), fetched_at=fetched_at)
        return self._imported(report)

    def _imported(self, report: ImportReport) -> ImportReport:
        log.info(
            "catalog imported from %s: %d procedures (%d new, %d updated)",
            report.source,
            report.procedures,
            report.added,
            report.updated,
        )
        self._events.publish(report.event())
        return report

    def search(
        self,
        text: str,
        agency: str | None = None,
        field: str | None = None,
        limit: int = 50,
        level: str | None = None,
    ) -> list[ProcedureSummary]:
        """Procedures matching `text` (diacritics, case and `đ` ignored; prefixes,
        initialisms, abbreviations and kí/ký spellings match), best first, the office's
        most filed first among equals; every procedure by name when `text` is empty.
        `level`: "bo", "tinh" or "xa".

        `agency` also finds the procedures of the agency's successors and predecessors
        (an old Kon Tum code finds today's Quảng Ngãi procedures and back)."""
        with self._db.session() as session:
            return finding.find(
                search.runner(session),
                text,
                agency=agency,
                field=field,
                level=level,
                limit=limit,
                usage=self._current_usage,
                candidates=search.candidates(session),
            )

    def get(self, key_or_code: str) -> Procedure:
        """The procedure with this catalog key (any case) or national code."""
        with self._db.session() as session:
            procedure = repository.find_procedure(session, key_or_code)
        if procedure is None:
            raise UserError(E_UNKNOWN_PROCEDURE, query=key_or_code)
        return procedure

    def edition(self, key: str, number: int | None) -> Procedure:
        """The procedure `key` as its edition `number` says (None: the current one).
        A dossier reads its procedure this way, so a newer edition never changes it."""
        with self._db.session() as session:
            procedure = repository.procedure_edition(session, key, number)
        if procedure is None:
            raise UserError(E_UNKNOWN_PROCEDURE, query=key)
        return procedure

    def editions(self, key: str) -> list[EditionInfo]:
        """Every edition of a procedure with its provenance, oldest first."""
        with self._db.session() as session:
            return repository.editions(session, key)

    def agencies(self, on: date | None = None) -> list[Agency]:
        """Every agency, or those that exist on the day `on`."""
        with self._db.session() as session:
            found = repository.agencies(session)
        return [a for a in found if on is None or a.valid_on(on)]

    def fields(self) -> list[Field]:
        with self._db.session() as session:
            return repository.fields(session)

    def count(self) -> int:
        """Number of procedures in the catalog."""
        with self._db.session() as session:
            return repository.count(session)
