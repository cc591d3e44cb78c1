"""Fixtures of the signing tests; the builders live in signing_helpers.py."""

from sandbox_ca import sandbox_pki
from signing_helpers import pdf, pki, softhsm

__all__ = ["pdf", "pki", "sandbox_pki", "softhsm"]
