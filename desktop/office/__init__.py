"""A shared office (issue #17): accounts and roles, the audit trail, live lists, moving
a workspace to PostgreSQL. Qt-free; the CLI and the window call the same functions."""
