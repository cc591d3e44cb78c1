"""What may be done to a dossier now: the question a screen asks instead of comparing
state strings (issue #19: views show, they do not decide).

The answers come from the state machine (desktop/dossier/states.py) and, for a
supplement draft, from its one readiness rule: it needs a document, nothing else (the
parent's checks were passed when it was submitted; `Outbox.submit` applies the same).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from desktop.dossier.model import ERROR, Dossier, Problem
from desktop.dossier.states import EDITABLE, State
from desktop.errors import UserError, define

E_NO_DOCUMENT = define(
    "sync.supplement_no_document",
    vi=(
        "Chưa đính kèm giấy tờ bổ sung nào. Hãy chọn thành phần cán bộ yêu cầu, bấm "
        "«Thêm tệp…» (hoặc kéo tệp vào), rồi bấm «Nộp bổ sung»."
    ),
    en=(
        "No supplementary document is attached yet. Pick the component the officer asked "
        "for, add the file, then submit the supplement."
    ),
)

# Signing starts from a draft (checked and made READY first) or a READY dossier.
SIGNABLE = frozenset({State.DRAFT, State.READY})
SUPPLEMENT_READY_NOTE = "Bản bổ sung sẵn sàng để ký"


@dataclass(frozen=True)
class DossierActions:
    """What a screen may offer for one dossier."""

    editable: bool
    """Fields, files and notes may change (DRAFT, READY, SIGNED)."""
    parties_editable: bool
    """The applicant, submitter and delivery may change (not in a supplement draft:
    they are the parent's, already on the portal)."""
    can_sign: bool
    can_submit: bool
    on_portal: bool
    """Frozen and known to the portal: its tab says what happens there."""


def actions_of(dossier: Dossier, *, supplement: bool = False) -> DossierActions:
    """The actions `dossier` allows; `supplement`: it is a supplement draft."""
    state = State(dossier.state)
    editable = state in EDITABLE
    ready = not supplement or supplement_ready(dossier)
    return DossierActions(
        editable=editable,
        parties_editable=editable and not supplement,
        can_sign=state in SIGNABLE and ready,
        can_submit=editable,
        on_portal=not editable and bool(dossier.receipt_no),
    )


def supplement_ready(dossier: Dossier) -> bool:
    """A supplement draft may be signed and sent once it carries a document."""
    return bool(dossier.attachments)


def supplement_problems(attachment_count: int) -> list[Problem]:
    """What a supplement draft still lacks before `Outbox.submit` takes it.

    Only the new documents go to the portal (the rest of the dossier is already there),
    so the one requirement is a document; the parent's checks do not apply.
    """
    if attachment_count:
        return []
    return [Problem(E_NO_DOCUMENT, "components", {}, ERROR)]


def problems_to_show(
    dossier: Dossier, problems: Sequence[Problem], *, supplement: bool
) -> list[Problem]:
    """The problems that count: for a supplement draft only its missing document."""
    if supplement:
        return supplement_problems(len(dossier.attachments))
    return list(problems)


def submit_refusal(dossier: Dossier, *, supplement: bool) -> UserError | None:
    """Why a supplement draft cannot be sent yet, in the editor's words (None: it can;
    any other dossier is judged by `Outbox.submit` itself)."""
    if supplement and not supplement_ready(dossier):
        return UserError(E_NO_DOCUMENT)
    return None


def is_current(shown: Dossier | None, stored: Dossier) -> bool:
    """Whether the dossier a screen shows is the one stored now (then a change event was
    its own write, already shown). Times are compared in UTC: SQLite hands them back
    without their time zone, the service's own answers carry it."""
    if shown is None:
        return False

    def utc(moment: datetime) -> datetime:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def plain(dossier: Dossier) -> Dossier:
        return replace(
            dossier, created_at=utc(dossier.created_at), updated_at=utc(dossier.updated_at)
        )

    return plain(shown) == plain(stored)


class Readying(Protocol):
    def get(self, dossier_id: int) -> Dossier: ...

    def mark_ready(self, dossier_id: int) -> Dossier: ...

    def transition(self, dossier_id: int, to_state: str, note: str = "") -> Dossier: ...


def ready_to_sign(dossiers: Readying, dossier_id: int, *, supplement: bool) -> Dossier:
    """The dossier made READY for signing (a write): a READY one as it is; a draft after
    the checks (`mark_ready`); a supplement draft checked for its document only."""
    current = dossiers.get(dossier_id)
    if current.state == State.READY:
        return current
    if supplement:
        refusal = submit_refusal(current, supplement=True)
        if refusal is not None:
            raise refusal
        return dossiers.transition(dossier_id, State.READY, SUPPLEMENT_READY_NOTE)
    return dossiers.mark_ready(dossier_id)
