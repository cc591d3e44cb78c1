"""Vietnamese labels for the core's codes (states), translatable with Qt Linguist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.units import size_text

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
    "HANDED_OVER",
)


def local_state_label(state: str) -> str:
    """The clerk's word for a local state; an unknown code is shown as it is."""
    labels = {
        "DRAFT": QCoreApplication.translate("labels", "Nháp"),
        "READY": QCoreApplication.translate("labels", "Sẵn sàng"),
        "SIGNED": QCoreApplication.translate("labels", "Đã ký số"),
        "QUEUED": QCoreApplication.translate("labels", "Chờ gửi"),
        "UPLOADING": QCoreApplication.translate("labels", "Đang tải lên"),
        "SUBMITTING": QCoreApplication.translate("labels", "Đang nộp"),
        "SUBMITTED": QCoreApplication.translate("labels", "Đã nộp"),
        "SUPERSEDED": QCoreApplication.translate("labels", "Đã thay bằng phiên bản mới"),
        "HANDED_OVER": QCoreApplication.translate("labels", "Đã chuyển đi"),
    }
    return labels.get(state.upper(), state)


def portal_state_label(code: int) -> str:
    """The national dossier state codes 1..10 (DOMAIN.md)."""
    labels = {
        1: QCoreApplication.translate("labels", "Mới đăng ký"),
        2: QCoreApplication.translate("labels", "Được tiếp nhận"),
        3: QCoreApplication.translate("labels", "Không được tiếp nhận"),
        4: QCoreApplication.translate("labels", "Đang xử lý"),
        5: QCoreApplication.translate("labels", "Yêu cầu bổ sung giấy tờ"),
        6: QCoreApplication.translate("labels", "Yêu cầu thực hiện nghĩa vụ tài chính"),
        7: QCoreApplication.translate("labels", "Công dân yêu cầu rút hồ sơ"),
        8: QCoreApplication.translate("labels", "Dừng xử lý"),
        9: QCoreApplication.translate("labels", "Đã xử lý xong"),
        10: QCoreApplication.translate("labels", "Đã trả kết quả"),
    }
    return labels.get(code, str(code))


SUPPLEMENT_ASKED = 5  # the portal's "Yêu cầu bổ sung giấy tờ"


def awaits_supplement(state: str, portal_state: int | None) -> bool:
    """The officer asked for more documents: the clerk has to answer with a supplement."""
    return state.upper() == "SUBMITTED" and portal_state == SUPPLEMENT_ASKED


def awaits_supplement_hint() -> str:
    """What the clerk does about it (tooltips, tray)."""
    return QCoreApplication.translate(
        "labels",
        "Cơ quan giải quyết yêu cầu bổ sung giấy tờ. Mở hồ sơ, tab «Trên cổng», bấm "
        "«Mở bản bổ sung», đính kèm giấy tờ rồi bấm «Nộp bổ sung».",
    )


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


def size_label(size: int) -> str:
    """A file size in the app's language: `1,8 MB` in Vietnamese, `1.8 MB` in English."""
    return size_text(size, QLocale().decimalPoint())
