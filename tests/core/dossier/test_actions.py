"""desktop/dossier/actions.py: what a screen may offer, asked of the state machine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.dossier.actions import (
    E_NO_DOCUMENT,
    actions_of,
    is_current,
    ready_to_sign,
    submit_refusal,
)
from desktop.dossier.states import State
from desktop.errors import UserError
from desktop.workspace import Workspace

CCHN = "SYT-DUOC-CCHN-XET-HO-SO"


@pytest.mark.parametrize("state", list(State))
def test_editable_and_signable_follow_the_state_machine(workspace: Workspace, state: State) -> None:
    dossier = replace(workspace.dossiers.create(CCHN), state=state.value)
    actions = actions_of(dossier)
    assert actions.editable == (state in {State.DRAFT, State.READY, State.SIGNED})
    assert actions.can_sign == (state in {State.DRAFT, State.READY})
    assert actions.can_submit == actions.editable
    assert actions.parties_editable == actions.editable


def test_a_supplement_draft_signs_and_sends_only_with_a_document(
    workspace: Workspace, tmp_path: Path
) -> None:
    dossier = workspace.dossiers.create(CCHN)
    empty = actions_of(dossier, supplement=True)
    assert empty.editable and not empty.parties_editable and not empty.can_sign
    refusal = submit_refusal(dossier, supplement=True)
    assert refusal is not None and refusal.code == E_NO_DOCUMENT
    assert submit_refusal(dossier, supplement=False) is None
    with pytest.raises(UserError) as refused:
        ready_to_sign(workspace.dossiers, dossier.id, supplement=True)
    assert refused.value.code == E_NO_DOCUMENT
    assert workspace.dossiers.get(dossier.id).state == State.DRAFT


def test_is_current_compares_what_is_shown_with_what_is_stored(workspace: Workspace) -> None:
    saved = workspace.dossiers.set_fields(
        workspace.dossiers.create(CCHN).id, {"applicant.phone": "0912345678"}
    )
    stored = workspace.dossiers.get(saved.id)
    assert is_current(saved, stored)  # the service's answer and the database's agree
    assert not is_current(None, stored)
    later = workspace.dossiers.set_fields(saved.id, {"notes": "khác"})
    assert not is_current(saved, workspace.dossiers.get(later.id))
