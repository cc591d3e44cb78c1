"""Short Vietnamese summaries of fees and processing times for lists and tables.

"500.000 đ", "500.000 – 1.000.000 đ", "Miễn phí", "15 ngày làm việc", "4 giờ",
"3 tháng", "Theo quy định", "Tuỳ trường hợp", "Không rõ": what fits in one table cell.
The details screen shows every channel with its own time, fees and notes. A range is
given only over amounts in đồng that are known; a fee whose amount depends on a
resolution ("do HĐND tỉnh quyết định") is never counted as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from desktop.catalog.content import LEGACY_DAY_UNITS, channel_time
from desktop.catalog.model import (
    TIME_UNITS,
    TIME_UNITS_EN,
    TIME_WITHOUT_NUMBER,
    TIME_WITHOUT_NUMBER_EN,
    Channel,
    Fee,
    ProcessingTime,
)

UNKNOWN = "Không rõ"
UNKNOWN_EN = "Unknown"
FREE = "Miễn phí"
DEPENDS = "Tuỳ trường hợp"
FEE_AMOUNT_UNKNOWN = "Có phí (chưa rõ mức)"
BY_REGULATION = "Theo quy định (xem chi tiết)"
BY_REGULATION_EN = "As regulated (see the details)"
FEE_BY_TEXT = "Theo văn bản quy định (xem chi tiết)"


def format_vnd(amount: int) -> str:
    """500000 → "500.000 đ" (Vietnamese groups thousands with dots)."""
    return f"{amount:,} đ".replace(",", ".")


def format_amount(fee: Fee, language: str = "vi") -> str | None:
    """The amount of one fee with its currency, or None when the source gives none
    (language="en": "10,000 VND")."""
    if fee.amount is None:
        return None
    dong = fee.currency.upper() in ("VND", "VNĐ")
    if language == "en":
        return f"{fee.amount:,} " + ("VND" if dong else fee.currency)
    if dong:
        return format_vnd(fee.amount)
    return f"{fee.amount:,}".replace(",", ".") + f" {fee.currency}"


def days_text(days: int, day_type: str | None, language: str = "vi") -> str:
    """15, "working" → "15 ngày làm việc"; calendar days and unknown kinds → "30 ngày"
    (language="en": "15 working day(s)", "30 day(s)")."""
    if language == "en":
        return f"{days} working day(s)" if day_type == "working" else f"{days} day(s)"
    return f"{days} ngày làm việc" if day_type == "working" else f"{days} ngày"


def time_text(time: ProcessingTime | None, language: str = "vi") -> str:
    """One processing time as the portal writes it: "3 ngày làm việc", "4 giờ", or its
    text when it has no number (language="en": "3 working day(s)", "4 hour(s)")."""
    en = language == "en"
    if time is None:
        return UNKNOWN_EN if en else UNKNOWN
    if time.value is None or time.unit not in TIME_UNITS or time.unit == "text":
        if en and time.text == TIME_WITHOUT_NUMBER:
            return TIME_WITHOUT_NUMBER_EN
        return time.text or (BY_REGULATION_EN if en else BY_REGULATION)
    value = int(time.value) if float(time.value).is_integer() else time.value
    if en:
        return f"{value} {TIME_UNITS_EN[time.unit]}"
    return f"{value} {TIME_UNITS[time.unit]}".replace(".", ",")


def fee_summary(channels: Sequence[Channel]) -> str:
    """The fee (or the range of fees) a dossier costs, as one short string."""
    fees = [f for c in channels for f in c.fees]
    return _fee_text(
        amounts={f.amount for f in fees if f.amount is not None and f.currency == "VND"},
        known=bool(channels) and any(c.fees_known for c in channels),
        any_fee=bool(fees),
        described=any(f.amount is None and f.description for f in fees),
    )


def processing_summary(channels: Sequence[Channel]) -> str:
    """The processing time as one short string (the range when channels differ)."""
    return _time_text([_channel_time(c) for c in channels], any_note=any(c.note for c in channels))


def _channel_time(channel: Channel) -> ProcessingTime | None:
    if channel.time is not None or channel.processing_days is None:
        return channel.time
    unit = LEGACY_DAY_UNITS.get(channel.day_type or "", "day")
    return ProcessingTime(channel.processing_days, unit)


def stored_summaries(stored: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """(fee, time) summaries straight from channels as stored (the catalog file's
    shape), for search results: the same rules, without building model objects."""
    fee_lists = [c.get("fees") for c in stored]
    fees = [f for found in fee_lists if found for f in found]
    fee = _fee_text(
        amounts={
            f["amount"]
            for f in fees
            if f.get("amount") is not None and (f.get("currency") or "VND") == "VND"
        },
        known=bool(stored) and any(found is not None for found in fee_lists),
        any_fee=bool(fees),
        described=any(f.get("amount") is None and f.get("description") for f in fees),
    )
    time = _time_text(
        [channel_time(c) for c in stored], any_note=any(c.get("note") for c in stored)
    )
    return fee, time


def _fee_text(amounts: set[int], *, known: bool, any_fee: bool, described: bool) -> str:
    ordered = sorted(amounts)
    suffix = " (và theo quy định)" if described else ""
    if len(ordered) == 1:
        return format_vnd(ordered[0]) + suffix
    if ordered:
        return f"{format_vnd(ordered[0])[:-2]} – {format_vnd(ordered[-1])}{suffix}"
    if not known:
        return UNKNOWN
    if described:
        return FEE_BY_TEXT
    return FEE_AMOUNT_UNKNOWN if any_fee else FREE


def _time_text(given: Iterable[ProcessingTime | None], *, any_note: bool) -> str:
    times = list(given)
    timed = [t for t in times if t is not None and t.value is not None and t.unit in TIME_UNITS]
    if not timed:
        worded = [t for t in times if t is not None]
        if worded:
            return BY_REGULATION
        return DEPENDS if any_note else UNKNOWN
    units = {t.unit for t in timed}
    if len(units) > 1:
        return ", ".join(sorted({time_text(t) for t in timed}))
    values = sorted({t.value for t in timed if t.value is not None})
    first = time_text(ProcessingTime(values[0], timed[0].unit))
    if len(values) == 1:
        return first
    low = int(values[0]) if float(values[0]).is_integer() else values[0]
    high = int(values[-1]) if float(values[-1]).is_integer() else values[-1]
    return first.replace(f"{low} ", f"{low}–{high} ", 1)
