"""The outbox and the sync engine: exactly-once delivery of dossiers to the portal."""
