"""Writes tests/data/db-0003-free-text-addresses.sqlite3: schema 0003, free-text addresses.

Addresses were free text until migration 0004 (province name, commune name, detail);
this database keeps dossiers written that way so that 0004 is tested against them. Do
not regenerate it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from desktop.storage.db import create_sqlite_engine, upgrade

TARGET = Path(__file__).with_name("db-0003-free-text-addresses.sqlite3")
NOW = "2026-12-01 09:00:00.000000"

DOSSIERS = [
    # id, state, applicant, submitter, delivery
    (
        1,
        "DRAFT",
        {
            "kind": "person",
            "name": "Y Đăk",
            "address": {"province": "Quảng Ngãi", "commune": "Xã Đắk La", "detail": "Thôn 1"},
        },
        None,
        {
            "return_by_post": True,
            "return_address": {"province": "Hồ Chí Minh", "commune": "Phường Bến Nghé"},
        },
    ),
    (
        2,
        "READY",
        {
            "kind": "person",
            "name": "Lê Thị Hà",
            "address": {"province": "Hà Nội", "commune": "Phường Kim Mã", "detail": "Ngõ 5"},
        },
        {"kind": "person", "name": "Lê Văn B", "address": {"province": "Xứ Sở", "commune": ""}},
        {},
    ),
    (
        3,
        "SUBMITTED",
        {
            "kind": "person",
            "name": "Trần Văn C",
            "address": {"province": "Quảng Ngãi", "commune": "Phường Nghĩa Chánh"},
        },
        None,
        {},
    ),
]


def main() -> None:
    if TARGET.exists():
        sys.exit(f"{TARGET} exists; it must not be regenerated")
    engine = create_sqlite_engine(TARGET)
    upgrade(engine, "0003")
    engine.dispose()
    conn = sqlite3.connect(TARGET)
    conn.execute(
        "INSERT INTO agencies (code, name, province) VALUES ('SYT-QNG', 'Sở Y tế Quảng Ngãi', "
        "'Quảng Ngãi')"
    )
    conn.execute("INSERT INTO fields (code, name) VALUES ('duoc-pham', 'Dược phẩm')")
    conn.execute(
        "INSERT INTO procedures (key, code, name, agency_code, field_code, channels, results, "
        "legal_basis, notes) VALUES ('p', NULL, 'Thủ tục thử', 'SYT-QNG', 'duoc-pham', '[]', "
        "'[]', '[]', '[]')"
    )
    for dossier_id, state, applicant, submitter, delivery in DOSSIERS:
        conn.execute(
            "INSERT INTO dossiers (id, procedure_key, state, version, applicant_name, applicant, "
            "submitter, delivery, notes, created_at, updated_at) "
            "VALUES (?, 'p', ?, 1, ?, ?, ?, ?, '', ?, ?)",
            (
                dossier_id,
                state,
                applicant["name"],
                json.dumps(applicant, ensure_ascii=False),
                None if submitter is None else json.dumps(submitter, ensure_ascii=False),
                json.dumps(delivery, ensure_ascii=False),
                NOW,
                NOW,
            ),
        )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


if __name__ == "__main__":
    main()
