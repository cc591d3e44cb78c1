"""Small fakes of CatalogService and DossierService for widget tests (tests only)."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.catalog.model import (
    Agency,
    Channel,
    ComponentSpec,
    Fee,
    Field,
    LegalBasis,
    Procedure,
    ProcedureSummary,
)
from desktop.events import DossierChanged, EventBus

AGENCY = Agency("SYT-QNG", "Sở Y tế tỉnh Quảng Ngãi", province="Quảng Ngãi")
FIELD_DUOC = Field("DUOC", "Dược phẩm")
FIELD_KCB = Field("KCB", "Khám bệnh, chữa bệnh")


def _procedure(key: str, name: str, field: Field, fee: int | None, days: int) -> Procedure:
    fees = (Fee("phi", fee),) if fee is not None else ()
    return Procedure(
        key=key,
        code=None,
        name=name,
        agency=AGENCY,
        field=field,
        online_level="Toàn trình",
        channels=(
            Channel("truc_tiep", days, "working", fees=fees),
            Channel("truc_tuyen", days, "working", fees=fees),
        ),
        components=(
            ComponentSpec("01", "Đơn đề nghị cấp chứng chỉ", True, originals=1, template="Mẫu 02"),
            ComponentSpec("02", "Bản sao văn bằng chuyên môn", True, copies=1),
            ComponentSpec("03", "Giấy xác nhận thời gian thực hành", False, originals=1),
        ),
        results=("Chứng chỉ hành nghề",),
        legal_basis=(LegalBasis("54/2017/NĐ-CP", "Nghị định quy định chi tiết Luật Dược"),),
    )


PROCEDURES = (
    _procedure(
        "cchn-duoc",
        "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
        FIELD_DUOC,
        500_000,
        10,
    ),
    _procedure(
        "gcn-gpp",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
        FIELD_DUOC,
        1_000_000,
        20,
    ),
    _procedure(
        "cchn-kcb",
        "Cấp giấy phép hành nghề khám bệnh, chữa bệnh",
        FIELD_KCB,
        None,
        30,
    ),
)


def fold(text: str) -> str:
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class FakeCatalog:
    """Prefix-matching over words and initials, like the real one, on three procedures."""

    def __init__(self) -> None:
        self.search_calls: list[str] = []
        self.bundled = threading.Event()

    def ensure_bundled(self) -> int:
        self.bundled.set()
        return len(PROCEDURES)

    def agencies(self) -> list[Agency]:
        return [AGENCY]

    def fields(self) -> list[Field]:
        return [FIELD_DUOC, FIELD_KCB]

    def get(self, key: str) -> Procedure:
        return next(p for p in PROCEDURES if p.key == key)

    def search(
        self, text: str, agency: str | None = None, field: str | None = None, limit: int = 50
    ) -> list[ProcedureSummary]:
        self.search_calls.append(text)
        found = []
        for p in PROCEDURES:
            words = fold(p.name).replace(",", " ").split()
            initials = "".join(w[0] for w in words)
            ok = all(
                any(w.startswith(t) for w in words) or t in initials for t in fold(text).split()
            )
            if ok and agency in (None, p.agency.code) and field in (None, p.field.code):
                found.append(summary_of(p))
        return found[:limit]


def summary_of(p: Procedure) -> ProcedureSummary:
    fee = p.channels[0].fees[0].amount if p.channels[0].fees else None
    return ProcedureSummary(
        key=p.key,
        code=p.code,
        name=p.name,
        agency_code=p.agency.code,
        agency_name=p.agency.name,
        field_code=p.field.code,
        field_name=p.field.name,
        fee_summary=f"{fee:,} đ".replace(",", ".") if fee else "Không rõ",
        processing_summary=f"{p.channels[0].processing_days} ngày làm việc",
    )


@dataclass(frozen=True)
class FakeRow:
    id: int
    procedure_key: str
    procedure_name: str
    applicant_name: str
    state: str
    updated_at: datetime
    file_count: int = 0


class FakeDossiers:
    """An in-memory dossier list with the service's paging and filter arguments."""

    def __init__(self, bus: EventBus | None = None, rows: int = 0) -> None:
        self._bus = bus
        self._lock = threading.Lock()
        start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        names = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "")
        states = ("DRAFT", "READY", "SIGNED", "SUBMITTED")
        self.rows = [
            FakeRow(
                i + 1,
                "cchn-duoc",
                PROCEDURES[0].name,
                names[i % 4],
                states[i % 4],
                start + timedelta(minutes=i),
            )
            for i in range(rows)
        ]

    def _matching(self, state: str | None, search: str | None) -> list[FakeRow]:
        with self._lock:
            rows = sorted(self.rows, key=lambda r: r.updated_at, reverse=True)
        needle = fold(search or "")
        return [
            r
            for r in rows
            if (state is None or r.state == state)
            and (not needle or needle in fold(f"{r.applicant_name} {r.procedure_name} {r.id}"))
        ]

    def list(
        self, state: str | None = None, search: str | None = None, offset: int = 0, limit: int = 50
    ) -> list[FakeRow]:
        return self._matching(state, search)[offset : offset + limit]

    def count(self, state: str | None = None, search: str | None = None) -> int:
        return len(self._matching(state, search))

    def create(self, procedure: str) -> FakeRow:
        p = next(p for p in PROCEDURES if p.key == procedure)
        with self._lock:
            row = FakeRow(len(self.rows) + 1, p.key, p.name, "", "DRAFT", datetime.now(UTC))
            self.rows.append(row)
        if self._bus is not None:
            self._bus.publish(DossierChanged(row.id, row.state))
        return row

    def touch(self, dossier_id: int, state: str) -> None:
        with self._lock:
            i = next(i for i, r in enumerate(self.rows) if r.id == dossier_id)
            self.rows[i] = replace(self.rows[i], state=state, updated_at=datetime.now(UTC))
        if self._bus is not None:
            self._bus.publish(DossierChanged(dossier_id, state))


class FakeOutbox:
    """An empty outbox: nothing queued, nothing to submit or withdraw."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def entries(self, states: Any = None) -> list[Any]:
        return []

    def submit(self, dossier_id: int, account: str = "") -> None:
        self.submitted.append(dossier_id)

    def withdraw(self, dossier_id: int, reason: str = "") -> None:
        raise AssertionError("nothing to withdraw")


class FakeWorkspace:
    """What MainWindow needs of a workspace (ui/views/window_workspace.py), over fakes:
    the window composes nothing, so this is all it gets."""

    def __init__(self, root: Path, bus: EventBus) -> None:
        from ui_fees import FakeFees, FakePortal

        from desktop.paths import Paths
        from desktop.settings import Settings

        self.paths = Paths(root).ensure()
        self.settings = Settings(self.paths.settings_file)
        self.catalog = FakeCatalog()
        self.dossiers = FakeDossiers(bus)
        self.outbox = FakeOutbox()
        self.scan_quality = None
        self.fees = FakeFees([])
        self.dossier_portal = FakePortal(self.fees, root / "blobs")
        self.office = None  # no accounts: every action allowed, no audit tab
        self.synced = 0
        self.housekept = 0

    def sync_now(self) -> None:
        self.synced += 1

    def housekeep(self) -> Any:
        from desktop.attachments.housekeeping import HousekeepingReport

        self.housekept += 1
        return HousekeepingReport(dry_run=False, grace_seconds=0.0, referenced=0)
