"""Dossier state changes through one door (issue #19 item 1): `desktop.dossier.state_door`.

A static scan of the sources fails on any write of the dossier state column elsewhere;
the behavioural tests check that the door (ORM and Core forms) and the writers that go
through it leave a history line and refuse an illegal move.
"""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.dossier import state_door
from desktop.dossier.states import State
from desktop.errors import UserError
from desktop.storage import models
from desktop.sync.outbox import enqueue
from desktop.workspace import Workspace

ROOT = Path(__file__).resolve().parents[3]
# bench/ seeds 100,000 synthetic rows with raw SQL to time the list; it is no code path.
SKIPPED = {"bench", "build", "dist", "migrations", "tests"}
DOOR = Path("desktop/dossier/state_door.py")

# Writes of a `.state` attribute that belong to other tables or widgets (outbox items,
# sign jobs, bundle exports, portal statuses, payments, the sandbox's trust transactions,
# the sync status bar): (file, the object written). A new dossier writer fails the scan.
OTHER_TABLES = {
    ("desktop/bundles/export.py", "export"),
    ("desktop/bundles/returns.py", "export"),
    ("desktop/signing/remote/jobs.py", "row"),
    ("desktop/sync/delivery.py", "item"),
    ("desktop/sync/engine.py", "item"),
    ("desktop/sync/outbox.py", "item"),
    ("desktop/sync/payments.py", "row"),
    ("desktop/sync/status.py", "current"),
    ("portal_sandbox/trust_service.py", "tx"),
    ("ui/views/queue_view.py", "bar"),
    ("ui/widgets/sync_status.py", "self"),
}

_RAW_SQL = re.compile(r"(?is)\b(update\s+dossiers\b.*\bstate\b|insert\s+into\s+dossiers\b)")
_DOSSIER_TABLE = re.compile(r"\b(update|insert)\((models\.)?Dossier\)")
_STATE_VALUE = re.compile(r"\bstate\s*=|['\"]state['\"]")


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        out: list[ast.expr] = []
        for target in node.targets:
            out += target.elts if isinstance(target, ast.Tuple) else [target]
        return out
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []


def _orm_dossier(tree: ast.Module) -> set[str]:
    """How the ORM class Dossier is called in this module (not the dossier view)."""
    names = {"models.Dossier"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desktop.storage"):
            names |= {a.asname or a.name for a in node.names if a.name == "Dossier"}
    return names


def state_writes(source: str, path: str) -> list[str]:
    """Each write of the dossier state column in `source`, as "path:line: text"."""
    found: list[str] = []
    tree = ast.parse(source)
    orm_dossier = _orm_dossier(tree)
    for node in ast.walk(tree):
        where = f"{path}:{getattr(node, 'lineno', 0)}"
        for target in _targets(node) if isinstance(node, ast.stmt) else []:
            written = ast.unparse(target.value) if isinstance(target, ast.Attribute) else ""
            if written and target.attr == "state" and (path, written) not in OTHER_TABLES:
                found.append(f"{where}: {ast.unparse(target)} = …")
        if isinstance(node, ast.Assign | ast.Expr | ast.Return | ast.AnnAssign):
            text = ast.unparse(node)
            if _DOSSIER_TABLE.search(text) and _STATE_VALUE.search(text):
                found.append(f"{where}: Core write of dossiers with state")
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) in orm_dossier
            and any(k.arg == "state" for k in node.keywords)
        ):
            found.append(f"{where}: Dossier(state=…)")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _RAW_SQL.search(node.value)
        ):
            found.append(f"{where}: raw SQL writing dossiers")
    return found


def test_no_state_write_outside_the_door() -> None:
    found: list[str] = []
    tops = [d for d in ROOT.iterdir() if d.is_dir() and not d.name.startswith(".")]
    files = [f for top in tops if top.name not in SKIPPED for f in top.rglob("*.py")]
    for file in sorted(files):
        relative = file.relative_to(ROOT)
        if relative == DOOR or SKIPPED & set(relative.parts):
            continue
        found += state_writes(file.read_text(encoding="utf-8"), relative.as_posix())
    assert found == [], "dossier state written outside desktop/dossier/state_door.py"


def test_the_scan_reads_the_sources() -> None:
    assert state_writes((ROOT / "desktop/sync/status.py").read_text(), "x.py")  # PortalStatus


@pytest.mark.parametrize(
    "snippet",
    [
        "row.state = 'QUEUED'",
        "dossier.state, dossier.updated_at = target, now",
        "models.Dossier(procedure_key='x', state='DRAFT')",
        "from desktop.storage.models import Dossier\nDossier(state='DRAFT')",
        "conn.execute(update(models.Dossier).where(x).values(state='QUEUED'))",
        "q = update(Dossier).values(state=bindparam('t'))",
        "conn.exec_driver_sql(\"UPDATE dossiers SET state = 'QUEUED' WHERE id = 1\")",
    ],
)
def test_the_scan_finds_writes(snippet: str) -> None:
    assert state_writes(snippet, "desktop/somewhere.py")


def test_the_scan_leaves_other_tables_and_reads() -> None:
    source = (
        "item.state = DONE\nif row.state == 'DRAFT':\n    pass\nx = select(Dossier.state)\n"
        "Dossier(state=row.state)\n"  # the view of desktop.dossier.model
        "update(models.Dossier).values(portal_state=1)\n"
    )
    assert state_writes(source, "desktop/sync/outbox.py") == []


# --- behaviour ----------------------------------------------------------------------------

NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def _new(workspace: Workspace, state: State = State.DRAFT) -> int:
    with workspace.db.session() as session:
        row = models.Dossier(
            procedure_key="TEST-CCHN", version=1, applicant={}, delivery={}, notes="",
            created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        state_door.start(session, row, State.DRAFT, "Tạo hồ sơ", NOW)
        path = {
            State.DRAFT: [],
            State.READY: [State.READY],
            State.SIGNED: [State.READY, State.SIGNED],
            State.QUEUED: [State.READY, State.QUEUED],
            State.SUBMITTED: [State.READY, State.QUEUED, State.UPLOADING, State.SUBMITTING,
                              State.SUBMITTED],
            State.HANDED_OVER: [State.READY, State.HANDED_OVER],
        }[state]  # fmt: skip
        for step in path:
            state_door.move(session, row, step, "bước", NOW)
        return row.id


def _history(workspace: Workspace, dossier_id: int) -> list[tuple[str | None, str]]:
    with workspace.db.session() as session:
        lines = session.scalars(
            select(models.DossierEvent)
            .where(models.DossierEvent.dossier_id == dossier_id)
            .order_by(models.DossierEvent.id)
        ).all()
        return [(line.from_state, line.to_state) for line in lines]


def _state(workspace: Workspace, dossier_id: int) -> str:
    with workspace.db.session() as session:
        row = session.get(models.Dossier, dossier_id)
        assert row is not None
        return row.state


def test_start_and_move_write_history(catalog_ready: Workspace) -> None:
    dossier_id = _new(catalog_ready, State.SIGNED)
    assert _state(catalog_ready, dossier_id) == "SIGNED"
    assert _history(catalog_ready, dossier_id) == [
        (None, "DRAFT"), ("DRAFT", "READY"), ("READY", "SIGNED"),
    ]  # fmt: skip


def test_move_refuses_an_illegal_transition(catalog_ready: Workspace) -> None:
    dossier_id = _new(catalog_ready)
    with pytest.raises(UserError) as caught, catalog_ready.db.session() as session:
        row = session.get(models.Dossier, dossier_id)
        assert row is not None
        state_door.move(session, row, State.SUBMITTED, "x", NOW)
    assert caught.value.code == "dossier.illegal_transition"
    assert _state(catalog_ready, dossier_id) == "DRAFT"
    assert _history(catalog_ready, dossier_id) == [(None, "DRAFT")]


def test_start_refuses_a_state_no_dossier_begins_in(catalog_ready: Workspace) -> None:
    with pytest.raises(UserError) as caught, catalog_ready.db.session() as session:
        row = models.Dossier(
            procedure_key="TEST-CCHN", version=1, applicant={}, delivery={}, notes="",
            created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        state_door.start(session, row, State.SUBMITTED, "x", NOW)
    assert caught.value.code == "dossier.illegal_start"
    assert "SUBMITTED" in caught.value.message()


def test_stay_writes_a_line_without_moving(catalog_ready: Workspace) -> None:
    dossier_id = _new(catalog_ready, State.SUBMITTED)
    with catalog_ready.db.session() as session:
        row = session.get(models.Dossier, dossier_id)
        assert row is not None
        state_door.stay(session, row, "Cổng: 2", NOW)
    assert _state(catalog_ready, dossier_id) == "SUBMITTED"
    assert _history(catalog_ready, dossier_id)[-1] == ("SUBMITTED", "SUBMITTED")


def test_core_move_writes_history_and_refuses_illegal(catalog_ready: Workspace) -> None:
    dossier_id = _new(catalog_ready, State.QUEUED)
    with catalog_ready.db.engine.begin() as conn:
        state_door.move_core(conn, dossier_id, State.UPLOADING, "Đã tạo hồ sơ trên cổng", NOW)
    assert _state(catalog_ready, dossier_id) == "UPLOADING"
    assert _history(catalog_ready, dossier_id)[-1] == ("QUEUED", "UPLOADING")
    with pytest.raises(UserError) as caught, catalog_ready.db.engine.begin() as conn:
        state_door.move_core(conn, dossier_id, State.DRAFT, "x", NOW)
    assert caught.value.code == "dossier.illegal_transition"
    assert "UPLOADING" in caught.value.message() and "DRAFT" in caught.value.message()
    assert _state(catalog_ready, dossier_id) == "UPLOADING"
    assert _history(catalog_ready, dossier_id)[-1] == ("QUEUED", "UPLOADING")


def test_service_edit_and_transition_go_through_the_door(catalog_ready: Workspace) -> None:
    service = catalog_ready.dossiers
    dossier = service.create("TEST-CCHN")
    service.set_fields(dossier.id, {"notes": "a"})  # DRAFT stays DRAFT: a line
    assert _history(catalog_ready, dossier.id) == [(None, "DRAFT"), ("DRAFT", "DRAFT")]
    with pytest.raises(UserError) as caught:
        service.transition(dossier.id, State.QUEUED)
    assert caught.value.code == "dossier.illegal_transition"
    with pytest.raises(UserError):
        service.back_to_draft(dossier.id)  # DRAFT → DRAFT is no move
    assert len(_history(catalog_ready, dossier.id)) == 2


def _enqueue(workspace: Workspace, dossier_id: int) -> None:
    """Outbox.submit's unit of work (after its checks), on the stored dossier."""
    with workspace.db.session() as session:
        row = session.get(models.Dossier, dossier_id)
        assert row is not None
        dossier = workspace.dossiers.get(dossier_id)
        enqueue(
            session, row, dossier, portal_uuid="u", supplement_id=None,
            body={"files": []}, account="a", now=NOW,
        )  # fmt: skip


@pytest.mark.parametrize("state", [State.SUBMITTED, State.HANDED_OVER, State.QUEUED])
def test_enqueue_refuses_a_dossier_that_cannot_be_queued(
    catalog_ready: Workspace, state: State
) -> None:
    """`Outbox.submit`'s unit of work moved DRAFT → READY → QUEUED without asking."""
    dossier_id = _new(catalog_ready, state)
    before = _history(catalog_ready, dossier_id)
    with pytest.raises(UserError) as caught:
        _enqueue(catalog_ready, dossier_id)
    assert caught.value.code == "dossier.illegal_transition"
    assert _state(catalog_ready, dossier_id) == state.value
    assert _history(catalog_ready, dossier_id) == before


def test_enqueue_of_a_draft_logs_both_moves(catalog_ready: Workspace) -> None:
    dossier_id = _new(catalog_ready)
    _enqueue(catalog_ready, dossier_id)
    assert _history(catalog_ready, dossier_id)[-2:] == [("DRAFT", "READY"), ("READY", "QUEUED")]


def test_supersede_goes_through_the_door(catalog_ready: Workspace) -> None:
    from desktop.sync.versions import supersede

    done = _new(catalog_ready, State.SUBMITTED)
    with pytest.raises(UserError) as caught, catalog_ready.db.session() as session:
        supersede(session, done, "rút", NOW)  # SUBMITTED is final
    assert caught.value.code == "dossier.illegal_transition"
    queued = _new(catalog_ready, State.QUEUED)
    with catalog_ready.db.session() as session:
        new_id = supersede(session, queued, "rút", NOW)
    assert _history(catalog_ready, new_id) == [(None, "DRAFT")]
    assert _history(catalog_ready, queued)[-1] == ("QUEUED", "SUPERSEDED")
