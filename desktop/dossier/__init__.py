"""Dossiers: models, state machine, validation rules, repository and service."""
