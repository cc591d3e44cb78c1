"""The sandbox portal: a FastAPI server implementing Portal API v1 for training and tests.

It keeps its own SQLite store (its own tables, not the app's migrations), an officer
console, a payment page, a mailbox for registration e-mails and fault switches, all
under `/sandbox/`. Start it with `dvc-desk portal-sandbox`.
"""
