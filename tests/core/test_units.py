"""desktop/units.py: sizes for people."""

from __future__ import annotations

import pytest

from desktop.units import size_text


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 byte"),
        (1023, "1023 byte"),
        (350 * 1024, "350 KB"),
        (int(1.8 * 1024**3), "1,8 GB"),
        (5 * 1024**4, "5120 GB"),
    ],
)
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text


def test_the_app_passes_its_decimal_point() -> None:
    assert size_text(int(1.5 * 1024 * 1024), ".") == "1.5 MB"
