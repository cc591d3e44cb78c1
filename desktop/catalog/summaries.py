"""Short Vietnamese summaries of fees and processing times for lists and tables.

"500.000 đ", "500.000 – 1.000.000 đ", "Miễn phí", "15 ngày làm việc", "30 ngày",
"Tuỳ trường hợp", "Không rõ": what fits in one table cell. The details screen shows
every channel with its own time, fees and notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.catalog.model import Channel

UNKNOWN = "Không rõ"
FREE = "Miễn phí"
DEPENDS = "Tuỳ trường hợp"
FEE_AMOUNT_UNKNOWN = "Có phí (chưa rõ mức)"


def format_vnd(amount: int) -> str:
    """500000 → "500.000 đ" (Vietnamese groups thousands with dots)."""
    return f"{amount:,} đ".replace(",", ".")


def fee_summary(channels: Sequence[Channel]) -> str:
    """The fee (or the range of fees) a dossier costs, as one short string."""
    amounts = sorted({f.amount for c in channels for f in c.fees if f.amount is not None})
    if len(amounts) == 1:
        return format_vnd(amounts[0])
    if amounts:
        return f"{format_vnd(amounts[0])[:-2]} – {format_vnd(amounts[-1])}"
    if not channels or any(not c.fees_known for c in channels):
        return UNKNOWN
    return FEE_AMOUNT_UNKNOWN if any(c.fees for c in channels) else FREE


def days_text(days: int, day_type: str | None) -> str:
    """15, "working" → "15 ngày làm việc"; calendar days and unknown kinds → "30 ngày"."""
    return f"{days} ngày làm việc" if day_type == "working" else f"{days} ngày"


def processing_summary(channels: Sequence[Channel]) -> str:
    """The processing time as one short string (the range when channels differ)."""
    timed = [(c.processing_days, c.day_type) for c in channels if c.processing_days is not None]
    if not timed:
        return DEPENDS if any(c.note for c in channels) else UNKNOWN
    kinds = {day_type for _days, day_type in timed}
    values = sorted({days for days, _kind in timed if days is not None})
    if len(kinds) == 1:
        (day_type,) = kinds
        if len(values) == 1:
            return days_text(values[0], day_type)
        return days_text(values[0], day_type).replace(
            f"{values[0]} ", f"{values[0]}–{values[-1]} ", 1
        )
    return ", ".join(sorted({days_text(d, k) for d, k in timed if d is not None}))
