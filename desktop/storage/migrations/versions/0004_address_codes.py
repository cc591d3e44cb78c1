"""address codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Addresses hold the official unit codes next to the names since the reorganisation of
1 July 2025 (34 provinces, 3,321 communes). The addresses of dossiers that can still
be edited (DRAFT, READY, SIGNED) are matched: those that resolve to exactly one unit in
force get its names and codes, the rest are flagged "địa chỉ cần chọn lại"
(desktop.dossier.address_upgrade). Frozen dossiers (queued, submitted, superseded) are
records of what was sent and stay as they are. No column changes: addresses are JSON.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

# The live resolver on purpose (as 0003 uses the live search document): a database is
# matched against the units the app ships.
from desktop.dossier.address_upgrade import upgrade_parties_and_delivery

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _run(*, down: bool) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, applicant, submitter, delivery FROM dossiers WHERE state IN "
            "('DRAFT', 'READY', 'SIGNED')"
        )
    ).all()
    update = sa.text(
        "UPDATE dossiers SET applicant = :applicant, submitter = :submitter, "
        "delivery = :delivery WHERE id = :id"
    )
    changes = []
    for dossier_id, applicant, submitter, delivery in rows:
        before = (_json(applicant), _json(submitter), _json(delivery))
        after = upgrade_parties_and_delivery(*before, down=down)
        if after != before:
            changes.append(
                {
                    "id": dossier_id,
                    "applicant": _dump(after[0]),
                    "submitter": _dump(after[1]),
                    "delivery": _dump(after[2]),
                }
            )
    if changes:
        connection.execute(update, changes)


def upgrade() -> None:
    _run(down=False)


def downgrade() -> None:
    _run(down=True)
