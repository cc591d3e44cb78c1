from __future__ import annotations

import pytest

from desktop.dossier import normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(039) 123-4567", "0391234567"),
        ("0212345678", "0212345678"),  # not a mobile: kept as typed, validation names it
        ("12345", "12345"),
    ],
)
def test_phone(typed: str, stored: str) -> None:
    assert normalise.phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("05/03/1990", "1990-03-05"),
        ("5/3/1990", "1990-03-05"),
        ("05-03-1990", "1990-03-05"),
        ("1990-03-05", "1990-03-05"),
        ("31/02/1990", "31/02/1990"),
        ("hôm qua", "hôm qua"),
    ],
)
def test_dates_stored_iso(typed: str, stored: str) -> None:
    assert normalise.iso_date(typed) == stored


def test_display_date_and_gender_and_flags() -> None:
    assert normalise.display_date("1990-03-05") == "05/03/1990"
    assert normalise.gender("nu") == "Nữ"
    assert normalise.gender("NAM") == "Nam"
    assert normalise.flag("có") is True
    assert normalise.flag("no") is False
    assert normalise.flag("maybe") is None
    assert normalise.digits_only("051 190 001 234") == "051190001234"
