"""Vietnamese labels for the core's codes (states), translatable with Qt Linguist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

# Local life cycle (ARCHITECTURE §5, desktop/dossier/states.py), in the order a dossier
# goes through it. The words match the CLI's; here they can be translated.
LOCAL_STATES = (
    "DRAFT",
    "READY",
    "SIGNED",
    "QUEUED",
    "UPLOADING",
    "SUBMITTING",
    "SUBMITTED",
    "SUPERSEDED",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("labels", text)


def local_state_label(state: str) -> str:
    """The clerk's word for a local state; an unknown code is shown as it is."""
    labels = {
        "DRAFT": _tr("Nháp"),
        "READY": _tr("Sẵn sàng"),
        "SIGNED": _tr("Đã ký số"),
        "QUEUED": _tr("Chờ gửi"),
        "UPLOADING": _tr("Đang tải lên"),
        "SUBMITTING": _tr("Đang nộp"),
        "SUBMITTED": _tr("Đã nộp"),
        "SUPERSEDED": _tr("Đã thay bằng phiên bản mới"),
    }
    return labels.get(state.upper(), state)


def portal_state_label(code: int) -> str:
    """The national dossier state codes 1..10 (DOMAIN.md)."""
    labels = {
        1: _tr("Mới đăng ký"),
        2: _tr("Được tiếp nhận"),
        3: _tr("Không được tiếp nhận"),
        4: _tr("Đang xử lý"),
        5: _tr("Yêu cầu bổ sung giấy tờ"),
        6: _tr("Yêu cầu thực hiện nghĩa vụ tài chính"),
        7: _tr("Công dân yêu cầu rút hồ sơ"),
        8: _tr("Dừng xử lý"),
        9: _tr("Đã xử lý xong"),
        10: _tr("Đã trả kết quả"),
    }
    return labels.get(code, str(code))


def state_label(state: str, portal_state: int | None = None) -> str:
    """Once submitted, the portal's state says more than ours."""
    if portal_state is not None and state.upper() == "SUBMITTED":
        return portal_state_label(portal_state)
    return local_state_label(state)


def format_local_time(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the computer's time zone, as clerks write dates."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")
