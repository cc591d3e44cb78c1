"""Damaging a database file the way a failing disk does: pages overwritten in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def checkpoint(database: Path) -> None:
    """Fold the WAL into the main file so that page numbers point at the real data."""
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def leaf_pages(database: Path, table: str) -> list[int]:
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        ).fetchall()
        return [int(r[0]) for r in rows]
    finally:
        conn.close()


def garble_page(database: Path, page: int) -> None:
    """Overwrite the cell area of `page` (its header kept, so SQLite still walks in)."""
    checkpoint(database)
    size = 4096
    data = bytearray(database.read_bytes())
    start = (page - 1) * size
    for offset in range(start + 200, start + size, 7):
        data[offset] = 0xFF
    database.write_bytes(bytes(data))


def garble_schema(database: Path) -> None:
    """Damage page 1 past its header: the schema table (sqlite_master) lives there."""
    checkpoint(database)
    data = bytearray(database.read_bytes())
    for offset in range(120, 4096, 3):
        data[offset] = 0xA5
    database.write_bytes(bytes(data))
