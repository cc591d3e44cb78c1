"""Vietnamese labels for the core's codes (states), translatable with Qt Linguist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.dossier.states import State, portal_state_word, state_word
from desktop.units import size_text

# Local life cycle (ARCHITECTURE §5, desktop/dossier/states.py), in the order a dossier
# goes through it.
LOCAL_STATES = tuple(State)


def local_state_label(state: str) -> str:
    """The clerk's word for a local state, in the app's language (the one table of
    desktop/dossier/states.py, which the CLI shows too); an unknown code as it is."""
    return state_word(state)


def portal_state_label(code: int) -> str:
    """The national dossier state codes 1..10 (DOMAIN.md), in the app's language."""
    return portal_state_word(code)


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
