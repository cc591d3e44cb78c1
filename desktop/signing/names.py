"""Names the command line offers before any heavy signing library is imported."""

from __future__ import annotations

COPY_FORMS = ("SAO Y", "SAO LỤC", "TRÍCH SAO")
POSITIONS = ("bottom-right", "bottom-left", "bottom-center", "top-right", "top-left")
