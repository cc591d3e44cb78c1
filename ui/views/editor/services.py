"""What the dossier editor needs of the core (DossierService and the Outbox satisfy it)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from desktop.catalog.model import Procedure
from desktop.dossier.checklist import NewerEdition
from desktop.dossier.edition_move import EditionMove
from desktop.dossier.model import Dossier, Problem
from desktop.intake.quality import Issue, QualityReport
from desktop.progress import CancelToken, ProgressCallback


class DossierEditing(Protocol):
    def get(self, dossier_id: int) -> Dossier: ...

    def procedure_of(self, dossier: Dossier) -> Procedure: ...

    def set_fields(
        self,
        dossier_id: int,
        values: dict[str, str | bool | None],
        expected_version: int | None = None,
    ) -> Dossier: ...

    def attach(
        self,
        dossier_id: int,
        component_code: str,
        paths: Sequence[str | os.PathLike[str]],
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Dossier: ...

    def detach(self, dossier_id: int, attachment_id: int) -> Dossier: ...

    def repair(self, dossier_id: int, attachment_id: int) -> tuple[Dossier, tuple[str, ...]]: ...

    def validate(self, dossier_id: int, today: date | None = None) -> list[Problem]: ...

    def mark_ready(self, dossier_id: int) -> Dossier: ...

    def transition(self, dossier_id: int, to_state: str, note: str = "") -> Dossier: ...

    def set_case(self, dossier_id: int, case: str) -> Dossier: ...

    def mark_not_applicable(
        self, dossier_id: int, component_code: str, by: str | None = None, reason: str = ""
    ) -> Dossier: ...

    def clear_mark(self, dossier_id: int, component_code: str) -> Dossier: ...

    def newer_edition(self, dossier_id: int) -> NewerEdition | None: ...

    def plan_edition_move(
        self, dossier_id: int, mapping: Mapping[str, str] | None = None, case: str | None = None
    ) -> EditionMove: ...

    def move_to_edition(
        self, dossier_id: int, mapping: Mapping[str, str] | None = None, case: str | None = None
    ) -> Dossier: ...


class Submitting(Protocol):
    def submit(self, dossier_id: int, account: str = "") -> Any: ...


class ScanChecking(Protocol):
    """The quality check of a dossier's scans (desktop.dossier.scan_quality.ScanQuality)."""

    def check(
        self,
        dossier_id: int,
        attachment_id: int,
        *,
        ocr: bool = False,
        progress: ProgressCallback = ...,
        cancel: CancelToken | None = None,
    ) -> QualityReport: ...

    def fix(self, dossier_id: int, attachment_id: int, issue: Issue) -> Dossier: ...

    def replace(self, dossier_id: int, attachment_id: int, path: Path) -> Dossier: ...
