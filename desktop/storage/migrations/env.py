"""Alembic environment: runs on the connection handed over by desktop.storage.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from desktop.storage import (
    bundle_models,  # noqa: F401  (registers the bundle tables)
    office_models,  # noqa: F401  (registers the office accounts and audit log)
    outbox_models,  # noqa: F401  (registers the outbox tables)
    portal_ref_models,  # noqa: F401  (registers what portal adapters remember)
    sign_job_models,  # noqa: F401  (registers the remote signing jobs)
)
from desktop.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as conn:
            _migrate(conn)
    else:
        _migrate(connection)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
