"""What is damaged in a database file, and copying what can still be read.

`inspect` reads the file without writing to it (SQLite's integrity and foreign-key
checks, then every table row by row) and reports what is damaged, never the rows
themselves. `copy_rows` copies every readable row of every table into a fresh database
at the current schema, then drops rows whose parent row was lost, so the new database
passes the same checks. Reading goes row by row through the rowid, so one damaged page
costs the rows on it, not the whole table.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from desktop.errors import IntegrityError
from desktop.storage import failures

# After this many unreadable or absent rowids in a row, a table is taken to end.
_GAP = 2000
# Virtual tables (FTS5) whose rows are data, not an index rebuilt by triggers.
_COPIED_VIRTUAL = ("procedure_search",)


@dataclass
class TableReport:
    name: str
    readable: int = 0
    unreadable: int = 0
    readable_by_scan: bool = True


@dataclass
class DatabaseReport:
    """What `inspect` found; `problems` are SQLite's findings (page numbers, no data)."""

    openable: bool
    problems: list[str] = field(default_factory=list)
    tables: list[TableReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.openable and not self.problems and all(t.unreadable == 0 for t in self.tables)


@dataclass
class SalvageReport:
    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    dropped_orphans: dict[str, int] = field(default_factory=dict)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    # In a read-only folder SQLite cannot create `-shm`; nobody can write there either.
    flags = "mode=ro&immutable=1" if failures.folder_read_only(path.parent) else "mode=ro"
    conn = sqlite3.connect(f"file:{path}?{flags}", uri=True)
    conn.text_factory = bytes  # a damaged text cell must not stop the read
    return conn


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%'"
    ).fetchall()
    names = [_text(r[0]) for r in rows]
    # FTS5 shadow tables (x_data, x_idx, ...) are rebuilt by the new database itself.
    virtual = [
        _text(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return [n for n in names if not any(n.startswith(f"{v}_") for v in virtual)]


def _row_ids(conn: sqlite3.Connection, table: str) -> tuple[list[int], bool]:
    """The table's rowids: by a scan when it reads, else probed one by one."""
    try:
        return [r[0] for r in conn.execute(f'SELECT rowid FROM "{table}"')], True  # noqa: S608
    except sqlite3.DatabaseError:
        pass
    found: list[int] = []
    rowid, misses = 1, 0
    while misses < _GAP:
        try:
            hit = conn.execute(
                f'SELECT rowid FROM "{table}" WHERE rowid = ?',  # noqa: S608
                (rowid,),
            ).fetchone()
        except sqlite3.DatabaseError:
            hit = None
        if hit is None:
            misses += 1
        else:
            found.append(rowid)
            misses = 0
        rowid += 1
    return found, False


def _read_row(conn: sqlite3.Connection, table: str, rowid: int) -> tuple[object, ...] | None:
    try:
        row = conn.execute(
            f'SELECT * FROM "{table}" WHERE rowid = ?',  # noqa: S608
            (rowid,),
        ).fetchone()
    except sqlite3.DatabaseError:
        return None
    return tuple(row) if row is not None else None


def inspect(path: Path) -> DatabaseReport:
    """What is damaged in the database at `path`, read without writing to it."""
    try:
        conn = _connect_read_only(path)
        tables = _tables(conn)
    except sqlite3.DatabaseError as exc:
        mapped = failures.as_dvc_error(exc, path)
        if mapped is not None and not isinstance(mapped, IntegrityError):
            raise mapped from exc  # a full disk or a read-only folder, not damage
        return DatabaseReport(openable=False, problems=[failures.damage_reason(exc)])
    report = DatabaseReport(openable=True)
    try:
        for check in ("PRAGMA integrity_check", "PRAGMA foreign_key_check"):
            try:
                rows = conn.execute(check).fetchall()
            except sqlite3.DatabaseError as exc:
                report.problems.append(f"{check}: {failures.damage_reason(exc)}")
                continue
            if check.endswith("integrity_check"):
                lines = [_text(r[0]) for r in rows]
                report.problems += [] if lines == ["ok"] else lines
            else:
                report.problems += [
                    f"foreign key: {_text(r[0])} row {r[1]} -> {_text(r[2])}" for r in rows
                ]
        for table in tables:
            ids, scanned = _row_ids(conn, table)
            entry = TableReport(table, readable_by_scan=scanned)
            for rowid in ids:
                if _read_row(conn, table, rowid) is None:
                    entry.unreadable += 1
                else:
                    entry.readable += 1
            if not scanned:
                entry.unreadable = max(entry.unreadable, 1)
            report.tables.append(entry)
    finally:
        conn.close()
    return report


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [_text(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')]


def copy_rows(source: Path, target: Path) -> SalvageReport:
    """Copy every readable row of `source` into `target` (a fresh database at the
    current schema, already created); rows left without their parent are dropped."""
    report = SalvageReport()
    src = _connect_read_only(source)
    dst = sqlite3.connect(target)
    try:
        dst.execute("PRAGMA foreign_keys=OFF")
        target_tables = set(_tables(dst)) | set(_COPIED_VIRTUAL)
        for table in [*_tables(src), *_COPIED_VIRTUAL]:
            if table == "alembic_version" or table not in target_tables:
                continue
            try:
                src_cols = _columns(src, table)
            except sqlite3.DatabaseError:
                continue
            wanted = [c for c in _columns(dst, table) if c in src_cols] or src_cols
            ids, _scanned = _row_ids(src, table)
            copied = lost = 0
            names = ", ".join(f'"{c}"' for c in wanted)
            for rowid in ids:
                try:
                    values = src.execute(
                        f'SELECT {names} FROM "{table}" WHERE rowid = ?',  # noqa: S608
                        (rowid,),
                    ).fetchone()
                    # No column of ours is a BLOB: text that is not UTF-8 is damage.
                    values = tuple(v.decode("utf-8") if isinstance(v, bytes) else v for v in values)
                except (sqlite3.DatabaseError, UnicodeDecodeError, TypeError):
                    lost += 1
                    continue
                marks = ", ".join("?" for _ in wanted)
                try:
                    dst.execute(
                        f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                        values,
                    )
                    copied += 1
                except sqlite3.DatabaseError:
                    lost += 1
            report.copied[table] = copied
            report.lost[table] = lost
        dst.commit()
    finally:
        src.close()
        dst.close()
    return report


def drop_orphans(target: Path, report: SalvageReport) -> None:
    """Delete rows whose parent row is missing, until the foreign-key check is clean."""
    dst = sqlite3.connect(target)
    try:
        while True:
            rows = dst.execute("PRAGMA foreign_key_check").fetchall()
            if not rows:
                break
            for table, rowid, _parent, _fk in rows:
                dst.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))  # noqa: S608
                report.dropped_orphans[table] = report.dropped_orphans.get(table, 0) + 1
            dst.commit()
    finally:
        dst.close()


def delete_rows(target: Path, table: str, column: str, values: list[str]) -> None:
    """Delete the rows of `table` whose `column` is one of `values` (lost blobs)."""
    dst = sqlite3.connect(target)
    try:
        dst.executemany(
            f'DELETE FROM "{table}" WHERE "{column}" = ?',  # noqa: S608
            [(v,) for v in values],
        )
        dst.commit()
    finally:
        dst.close()
