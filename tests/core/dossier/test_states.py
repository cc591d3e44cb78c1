from __future__ import annotations

import pytest

from desktop.dossier.states import (
    EDITABLE,
    TRANSITIONS,
    State,
    check_transition,
    parse_state,
    portal_state_label,
    state_after_edit,
)
from desktop.errors import UserError

LEGAL = [
    ("DRAFT", "READY"),
    ("READY", "SIGNED"),
    ("READY", "QUEUED"),
    ("SIGNED", "QUEUED"),
    ("QUEUED", "UPLOADING"),
    ("UPLOADING", "SUBMITTING"),
    ("SUBMITTING", "SUBMITTED"),
    ("UPLOADING", "SUBMITTED"),  # a supplement: taken with its last file
    ("READY", "DRAFT"),
    ("SIGNED", "DRAFT"),
    ("QUEUED", "SUPERSEDED"),
]
ILLEGAL = [
    ("DRAFT", "SIGNED"),
    ("DRAFT", "QUEUED"),
    ("DRAFT", "SUBMITTED"),
    ("QUEUED", "DRAFT"),
    ("UPLOADING", "QUEUED"),
    ("SUBMITTED", "DRAFT"),
    ("SUBMITTED", "SUPERSEDED"),
    ("SUPERSEDED", "DRAFT"),
    ("READY", "SUBMITTED"),
]


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_legal_moves(source: str, target: str) -> None:
    assert check_transition(7, source, target) == State(target)


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_moves_name_from_and_to(source: str, target: str) -> None:
    with pytest.raises(UserError) as caught:
        check_transition(7, source, target)
    assert caught.value.code == "dossier.illegal_transition"
    text = caught.value.message()
    assert source in text
    assert target in text
    assert "hồ sơ 7" in text


def test_every_state_has_its_transitions_listed() -> None:
    assert set(TRANSITIONS) == set(State)
    assert TRANSITIONS[State.SUBMITTED] == frozenset()


@pytest.mark.parametrize("state", ["DRAFT", "READY", "SIGNED"])
def test_editing_goes_back_to_draft(state: str) -> None:
    assert state_after_edit(1, state) is State.DRAFT


@pytest.mark.parametrize("state", ["QUEUED", "UPLOADING", "SUBMITTING", "SUBMITTED", "SUPERSEDED"])
def test_frozen_from_queued_on(state: str) -> None:
    assert State(state) not in EDITABLE
    with pytest.raises(UserError) as caught:
        state_after_edit(3, state)
    assert caught.value.code == "dossier.frozen"
    assert "phiên bản mới" in caught.value.message()


def test_state_names_and_portal_codes() -> None:
    assert parse_state("ready") is State.READY
    with pytest.raises(UserError):
        parse_state("DONE")
    assert portal_state_label(5) == "Yêu cầu bổ sung giấy tờ"
    assert portal_state_label(10) == "Đã trả kết quả"
    with pytest.raises(UserError):
        portal_state_label(11)


def test_one_table_of_state_words_in_both_languages() -> None:
    from desktop.dossier.states import LABELS, LABELS_EN, portal_state_word, state_word

    assert set(LABELS) == set(LABELS_EN) == set(State)
    assert state_word("draft", "vi") == "Nháp" and state_word("DRAFT", "en") == "Draft"
    assert state_word("NOT_A_STATE") == "NOT_A_STATE"
    assert portal_state_word(2, "vi") == "Được tiếp nhận"
    assert portal_state_word(2, "en") == "Accepted" and portal_state_word(42) == "42"
