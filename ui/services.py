"""What the screens need of the core services, as Protocols.

Screens receive these narrow interfaces (STYLE.md: never "the app"); the Workspace's
CatalogService and DossierService satisfy them, and tests can pass small fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from desktop.catalog.model import Agency, Field, Procedure, ProcedureSummary
from ui.models.dossier_table import DossierSource


class CatalogLike(Protocol):
    def search(
        self,
        text: str,
        agency: str | None = None,
        field: str | None = None,
        limit: int = 50,
        level: str | None = None,
    ) -> list[ProcedureSummary]: ...

    def get(self, key: str) -> Procedure: ...

    def agencies(self) -> Sequence[Agency]: ...

    def fields(self) -> Sequence[Field]: ...

    def ensure_bundled(self) -> Any: ...


class DossiersLike(DossierSource, Protocol):
    def create(self, procedure: str) -> Any: ...
