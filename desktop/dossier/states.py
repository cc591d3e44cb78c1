"""The dossier life cycle of ARCHITECTURE §5, and the portal's national state codes.

Local states move only along `TRANSITIONS`; anything else is refused with a message
naming both states. A dossier can be edited while DRAFT, READY or SIGNED (an edit sends
READY and SIGNED back to DRAFT, since validation and signatures no longer hold); from
QUEUED on it is frozen: changing it means a new version that supersedes it.

HANDED_OVER ("đã chuyển đi"): a READY or SIGNED dossier exported in a transfer bundle
(desktop/bundles) for another office to submit. It can be neither edited nor submitted
here until the clerk takes it back (back to the state it left, recorded in its history);
a return bundle from that office moves it to SUBMITTED.
"""

from __future__ import annotations

from enum import StrEnum

from desktop import errors
from desktop.errors import UserError, define


class State(StrEnum):
    DRAFT = "DRAFT"
    READY = "READY"
    SIGNED = "SIGNED"
    QUEUED = "QUEUED"
    UPLOADING = "UPLOADING"
    SUBMITTING = "SUBMITTING"
    SUBMITTED = "SUBMITTED"
    SUPERSEDED = "SUPERSEDED"
    HANDED_OVER = "HANDED_OVER"


LABELS: dict[State, str] = {
    State.DRAFT: "Nháp",
    State.READY: "Sẵn sàng",
    State.SIGNED: "Đã ký số",
    State.QUEUED: "Chờ gửi",
    State.UPLOADING: "Đang tải lên",
    State.SUBMITTING: "Đang nộp",
    State.SUBMITTED: "Đã nộp",
    State.SUPERSEDED: "Đã thay bằng phiên bản mới",
    State.HANDED_OVER: "Đã chuyển đi",
}

# The same, for language=en: the one table of state words, for the CLI and the window.
LABELS_EN: dict[State, str] = {
    State.DRAFT: "Draft",
    State.READY: "Ready",
    State.SIGNED: "Signed",
    State.QUEUED: "Waiting to send",
    State.UPLOADING: "Uploading",
    State.SUBMITTING: "Submitting",
    State.SUBMITTED: "Submitted",
    State.SUPERSEDED: "Superseded by a new version",
    State.HANDED_OVER: "Handed over",
}

TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.READY, State.SUPERSEDED}),
    # READY → QUEUED when no component needs a signature.
    State.READY: frozenset(
        {State.DRAFT, State.SIGNED, State.QUEUED, State.SUPERSEDED, State.HANDED_OVER}
    ),
    State.SIGNED: frozenset({State.DRAFT, State.QUEUED, State.SUPERSEDED, State.HANDED_OVER}),
    State.QUEUED: frozenset({State.UPLOADING, State.SUPERSEDED}),
    # UPLOADING → SUBMITTED: a supplement is taken by the portal with its last file
    # (desktop/sync/delivery.py), without a submission step.
    State.UPLOADING: frozenset({State.SUBMITTING, State.SUBMITTED, State.SUPERSEDED}),
    State.SUBMITTING: frozenset({State.SUBMITTED, State.SUPERSEDED}),
    State.SUBMITTED: frozenset(),
    State.SUPERSEDED: frozenset(),
    # Taken back (to the state it left), or submitted by the office it was carried to.
    State.HANDED_OVER: frozenset({State.READY, State.SIGNED, State.SUBMITTED}),
}

HANDED_OVER_FROM = frozenset({State.READY, State.SIGNED})

EDITABLE = frozenset({State.DRAFT, State.READY, State.SIGNED})

# National dossier state codes reported by the portal once SUBMITTED (DOMAIN.md).
PORTAL_STATES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
# The same, for language=en (the portal itself only speaks Vietnamese).
PORTAL_STATES_EN: dict[int, str] = {
    1: "Newly registered",
    2: "Accepted",
    3: "Not accepted",
    4: "Being processed",
    5: "More papers requested",
    6: "Fees or taxes to pay first",
    7: "Withdrawal requested by the citizen",
    8: "Processing stopped",
    9: "Processed",
    10: "Result handed over",
}

E_ILLEGAL_TRANSITION = define(
    "dossier.illegal_transition",
    vi=(
        "Không thể chuyển hồ sơ {id} từ «{from_label}» ({from_state}) sang «{to_label}» "
        "({to_state}). Từ trạng thái này chỉ có thể chuyển sang: {allowed}."
    ),
    en=(
        "Dossier {id} cannot go from {from_state} to {to_state}. "
        "From this state it can go to: {allowed}."
    ),
)
E_FROZEN = define(
    "dossier.frozen",
    vi=(
        "Hồ sơ {id} đang ở trạng thái «{label}» nên không sửa được nữa. "
        "Muốn thay đổi, hãy rút hồ sơ và tạo phiên bản mới."
    ),
    en="Dossier {id} is {state} and can no longer be edited; withdraw it and make a new version.",
)
E_HANDED_OVER = define(
    "dossier.handed_over",
    vi=(
        "Hồ sơ {id} đã được chuyển đi bằng USB để nơi khác nộp, nên máy này không sửa hay "
        "nộp được nữa. Nếu cần sửa hoặc nộp tại đây, hãy lấy lại hồ sơ: "
        "«dvc-desk bundle take-back {id}» (việc lấy lại được ghi vào lịch sử)."
    ),
    en=(
        "Dossier {id} was handed over on a USB stick for another office to submit; it can "
        "no longer be edited or submitted here. To do so, take it back first: "
        "'dvc-desk bundle take-back {id}' (recorded in its history)."
    ),
)
E_UNKNOWN_STATE = define(
    "dossier.unknown_state",
    vi="Không có trạng thái hồ sơ «{state}». Các trạng thái: {known}.",
    en="There is no dossier state '{state}'. States: {known}.",
)
E_UNKNOWN_PORTAL_STATE = define(
    "dossier.unknown_portal_state",
    vi="Mã trạng thái cổng «{value}» không hợp lệ; mã hợp lệ là từ 1 đến 10.",
    en="Portal state code '{value}' is not valid; valid codes are 1 to 10.",
)


def parse_state(text: str) -> State:
    """The state named `text` (any case); UserError for an unknown name."""
    try:
        return State(text.strip().upper())
    except ValueError as exc:
        raise UserError(E_UNKNOWN_STATE, state=text, known=", ".join(State)) from exc


def check_transition(dossier_id: int, from_state: str, to_state: str) -> State:
    """Return `to_state` if the move is allowed; else UserError naming from → to."""
    source, target = parse_state(from_state), parse_state(to_state)
    allowed = TRANSITIONS[source]
    if target not in allowed:
        raise UserError(
            E_ILLEGAL_TRANSITION,
            id=dossier_id,
            from_state=source.value,
            to_state=target.value,
            from_label=LABELS[source],
            to_label=LABELS[target],
            allowed=", ".join(sorted(allowed)) or "không còn trạng thái nào (đã kết thúc)",
        )
    return target


def state_after_edit(dossier_id: int, state: str) -> State:
    """The state a dossier takes when edited: DRAFT, or UserError when it is frozen."""
    current = parse_state(state)
    if current is State.HANDED_OVER:
        raise UserError(E_HANDED_OVER, id=dossier_id)
    if current not in EDITABLE:
        raise UserError(E_FROZEN, id=dossier_id, state=current.value, label=LABELS[current])
    return State.DRAFT


def portal_state_label(code: int) -> str:
    if code not in PORTAL_STATES:
        raise UserError(E_UNKNOWN_PORTAL_STATE, value=code)
    return PORTAL_STATES[code]


def state_word(state: str, language: str | None = None) -> str:
    """The clerk's word for a local state in `language` (the app's language when None);
    an unknown code is shown as it is."""
    try:
        known = State(state.upper())
    except ValueError:
        return state
    return (LABELS_EN if (language or errors.language()) == "en" else LABELS)[known]


def portal_state_word(code: int, language: str | None = None) -> str:
    """The portal's national state `code` (1..10) in `language`; unknown codes as they are."""
    table = PORTAL_STATES_EN if (language or errors.language()) == "en" else PORTAL_STATES
    return table.get(code, str(code))
