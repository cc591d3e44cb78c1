"""Writes tests/data/db-0001-first-schema.sqlite3: a small database at schema 0001.

Run once when the first schema was released; the file is kept so that every later
migration is tested against real data of the first schema. Do not regenerate it.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from desktop.storage.db import create_sqlite_engine, upgrade

TARGET = Path(__file__).with_name("db-0001-first-schema.sqlite3")


def main() -> None:
    if TARGET.exists():
        sys.exit(f"{TARGET} exists; it must not be regenerated")
    engine = create_sqlite_engine(TARGET)
    upgrade(engine, "0001")
    engine.dispose()
    conn = sqlite3.connect(TARGET)
    now = "2026-11-25 10:00:00.000000"
    conn.executescript(
        f"""
        INSERT INTO agencies (code, name, province, valid_from, valid_to)
          VALUES ('SYT-KONTUM', 'Sở Y tế tỉnh Kon Tum', 'Kon Tum', NULL, '2025-06-30');
        INSERT INTO fields (code, name) VALUES ('duoc-pham', 'Dược phẩm');
        INSERT INTO procedures (key, code, name, agency_code, field_code, channels, results,
                                legal_basis, notes)
          VALUES ('cchn-duoc-xet-ho-so', NULL,
                  'Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ',
                  'SYT-KONTUM', 'duoc-pham', '[]', '[]', '[]', '[]');
        INSERT INTO procedure_components (procedure_key, code, position, name, required,
                                          originals, copies, accepted_types)
          VALUES ('cchn-duoc-xet-ho-so', 'TP1', 1, 'Đơn đề nghị cấp CCHN dược', 1, 1, 0, '[]');
        INSERT INTO blobs (sha256, size, media_type, facts, created_at)
          VALUES ('{"ab" * 32}', 4, 'application/pdf', '{{"pages": 1}}', '{now}');
        INSERT INTO dossiers (id, procedure_key, state, version, applicant_name, applicant,
                              delivery, notes, created_at, updated_at)
          VALUES (1, 'cchn-duoc-xet-ho-so', 'DRAFT', 1, 'Nguyễn Văn A',
                  '{{"kind": "person", "name": "Nguyễn Văn A"}}', '{{}}', '', '{now}', '{now}');
        INSERT INTO dossier_files (dossier_id, component_code, blob_sha256, name, position,
                                   added_at)
          VALUES (1, 'TP1', '{"ab" * 32}', 'don.pdf', 0, '{now}');
        INSERT INTO dossier_events (dossier_id, at, from_state, to_state, note)
          VALUES (1, '{now}', NULL, 'DRAFT', 'created');
        """
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


if __name__ == "__main__":
    main()
