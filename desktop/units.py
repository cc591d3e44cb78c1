"""Sizes written for people (binary units, one decimal), the same in the CLI and the app."""

from __future__ import annotations


def size_text(size: int, decimal: str = ",") -> str:
    """`1,8 GB`, `350 KB`, `12 byte`: a Vietnamese reader's decimal comma by default
    (the app passes its locale's decimal point)."""
    value = float(size)
    unit = "byte"
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    if unit == "byte":
        return f"{size} byte"
    return f"{value:.1f}".replace(".", decimal).removesuffix(f"{decimal}0") + f" {unit}"
