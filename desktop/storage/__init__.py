"""SQLite (or PostgreSQL) storage: engine, sessions, ORM tables and Alembic migrations."""
