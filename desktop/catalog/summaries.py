"""Short Vietnamese summaries of fees and processing times for lists and tables.

"500.000 đ", "500.000 – 1.000.000 đ", "Miễn phí", "15 ngày làm việc", "30 ngày",
"Tuỳ trường hợp", "Không rõ": what fits in one table cell. The details screen shows
every channel with its own time, fees and notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from desktop.catalog.model import Channel

UNKNOWN = "Không rõ"
UNKNOWN_EN = "Unknown"
FREE = "Miễn phí"
DEPENDS = "Tuỳ trường hợp"
FEE_AMOUNT_UNKNOWN = "Có phí (chưa rõ mức)"


def format_vnd(amount: int) -> str:
    """500000 → "500.000 đ" (Vietnamese groups thousands with dots)."""
    return f"{amount:,} đ".replace(",", ".")


def days_text(days: int, day_type: str | None) -> str:
    """15, "working" → "15 ngày làm việc"; calendar days and unknown kinds → "30 ngày"."""
    return f"{days} ngày làm việc" if day_type == "working" else f"{days} ngày"


def fee_summary(channels: Sequence[Channel]) -> str:
    """The fee (or the range of fees) a dossier costs, as one short string."""
    return _fee_text(
        amounts={f.amount for c in channels for f in c.fees if f.amount is not None},
        known=bool(channels) and all(c.fees_known for c in channels),
        any_fee=any(c.fees for c in channels),
    )


def processing_summary(channels: Sequence[Channel]) -> str:
    """The processing time as one short string (the range when channels differ)."""
    return _time_text(
        [(c.processing_days, c.day_type) for c in channels if c.processing_days is not None],
        any_note=any(c.note for c in channels),
    )


def stored_summaries(stored: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """(fee, time) summaries straight from channels as stored (the catalog file's
    shape), for search results: the same rules, without building model objects."""
    fee_lists = [c.get("fees") for c in stored]
    fees = [f for found in fee_lists if found for f in found]
    fee = _fee_text(
        amounts={f["amount"] for f in fees if f.get("amount") is not None},
        known=bool(stored) and all(found is not None for found in fee_lists),
        any_fee=bool(fees),
    )
    time = _time_text(
        [
            (c["processing_days"], c.get("day_type"))
            for c in stored
            if c.get("processing_days") is not None
        ],
        any_note=any(c.get("note") for c in stored),
    )
    return fee, time


def _fee_text(amounts: set[int], *, known: bool, any_fee: bool) -> str:
    ordered = sorted(amounts)
    if len(ordered) == 1:
        return format_vnd(ordered[0])
    if ordered:
        return f"{format_vnd(ordered[0])[:-2]} – {format_vnd(ordered[-1])}"
    if not known:
        return UNKNOWN
    return FEE_AMOUNT_UNKNOWN if any_fee else FREE


def _time_text(timed: Iterable[tuple[int, str | None]], *, any_note: bool) -> str:
    pairs = list(timed)
    if not pairs:
        return DEPENDS if any_note else UNKNOWN
    kinds = {day_type for _days, day_type in pairs}
    values = sorted({days for days, _kind in pairs})
    if len(kinds) == 1:
        (day_type,) = kinds
        if len(values) == 1:
            return days_text(values[0], day_type)
        return days_text(values[0], day_type).replace(
            f"{values[0]} ", f"{values[0]}–{values[-1]} ", 1
        )
    return ", ".join(sorted({days_text(d, k) for d, k in pairs}))
