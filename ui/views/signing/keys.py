"""Kept for ui/models/certificate_table.py only (another lane owns ui/models): key
sources live in the core, desktop/signing/sources.py. Import from there."""

from desktop.signing.sources import P12, REMOTE, TOKEN, CertificateChoice, KeySource, why_unusable

__all__ = ["P12", "REMOTE", "TOKEN", "CertificateChoice", "KeySource", "why_unusable"]
