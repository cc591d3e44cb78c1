"""Fixtures of the signing tests; the builders live in signing_helpers.py."""

from signing_helpers import pdf, pki, softhsm

__all__ = ["pdf", "pki", "softhsm"]
