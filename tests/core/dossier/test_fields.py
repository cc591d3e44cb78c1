from __future__ import annotations

import pytest

from desktop.dossier import fields
from desktop.errors import UserError


def empty() -> fields.Editable:
    return fields.Editable(applicant={}, submitter=None, delivery={}, notes="")


def test_values_are_normalised_on_the_way_in() -> None:
    result = fields.apply(
        empty(),
        {
            "applicant.phone": "+84 912 345 678",
            "applicant.date_of_birth": "05/03/1990",
            "applicant.gender": "nu",
            "applicant.id_number": "051 190 001 234",
            "applicant.address.province": "Kon Tum",
            "applicant.kind": "tổ chức",
            "delivery.return_by_post": "có",
            "delivery.return_address.province": "binh duong",
            "notes": "  gấp  ",
        },
    )
    assert result.applicant == {
        "phone": "0912345678",
        "date_of_birth": "1990-03-05",
        "gender": "Nữ",
        "id_number": "051190001234",
        "address": {"province": "Quảng Ngãi", "province_code": "51"},
        "kind": "organisation",
    }
    assert result.delivery == {
        "return_by_post": True,
        "return_address": {"province": "Hồ Chí Minh", "province_code": "79"},
    }
    assert result.notes == "gấp"


def test_values_not_understood_are_kept_as_typed() -> None:
    result = fields.apply(
        empty(), {"applicant.phone": "12 34", "applicant.date_of_birth": "hôm qua"}
    )
    assert result.applicant == {"phone": "12 34", "date_of_birth": "hôm qua"}


def test_submitter_appears_and_disappears() -> None:
    result = fields.apply(empty(), {"submitter.name": "Trần Văn Bình"})
    assert result.submitter == {"name": "Trần Văn Bình"}
    assert fields.apply(result, {"submitter.same_as_applicant": "yes"}).submitter is None


def test_apply_does_not_touch_its_input() -> None:
    original = empty()
    fields.apply(original, {"applicant.name": "A"})
    assert original.applicant == {}


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("applicant.nickname", "x", "dossier.unknown_field"),
        ("delivery.collect_address.street", "x", "dossier.unknown_field"),
        ("delivery.collect_at_home", "maybe", "dossier.bad_flag"),
        ("applicant.kind", "robot", "dossier.bad_party_kind"),
    ],
)
def test_refusals(key: str, value: str, code: str) -> None:
    with pytest.raises(UserError) as caught:
        fields.apply(empty(), {key: value})
    assert caught.value.code == code
    assert key in caught.value.message()


def test_known_keys_are_documented(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "dossiers.md").read_text(encoding="utf-8")
    for key in fields.known_keys():
        generic = key.replace("applicant.", "<party>.").replace("submitter.", "<party>.")
        assert key in doc or generic in doc, key
