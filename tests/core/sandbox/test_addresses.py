"""The sandbox portal checks the unit codes of the addresses in a dossier's form."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .helpers import account, manifest, new_uuid

FILES = {"don": b"%PDF-1.4 don"}
GOOD = {
    "province": "Quảng Ngãi",
    "province_code": "51",
    "commune": "Phường Cẩm Thành",
    "commune_code": "21025",
    "detail": "12 Lê Lợi",
}


def _put(api: TestClient, auth: dict[str, str], form: dict[str, Any]) -> Any:
    body = manifest(FILES)
    body["form"] = form
    return api.put(f"/v1/dossiers/{new_uuid()}", json=body, headers=auth)


def test_an_address_with_matching_codes_is_accepted(api: TestClient) -> None:
    auth = account(api, "xa-a")
    form = {
        "applicant": {"name": "Nguyễn Văn A", "address": GOOD},
        "delivery": {
            "return_by_post": True,
            "return_address": {**GOOD, "province": "Tỉnh Quảng Ngãi"},
        },
        "notes": "",
    }
    assert _put(api, auth, form).status_code == 201


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"commune_code": ""}, "codes_missing"),
        ({"province_code": "", "commune_code": ""}, "codes_missing"),
        ({"province_code": "99"}, "unknown_province_code"),
        ({"province": "Hà Nội"}, "province_name_mismatch"),
        ({"commune_code": "99999"}, "unknown_commune_code"),
        ({"commune_code": "00004", "commune": "Phường Ba Đình"}, "commune_not_in_province"),
        ({"commune": "Phường Nghĩa Chánh"}, "commune_name_mismatch"),
        ({"needs_review": True}, "needs_review"),
    ],
)
def test_codes_that_do_not_agree_are_refused(
    api: TestClient, change: dict[str, Any], reason: str
) -> None:
    auth = account(api, "xa-a")
    response = _put(api, auth, {"submitter": {"address": {**GOOD, **change}}})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "dossier.address_invalid"
    assert problem["params"]["field"] == "submitter.address"
    assert problem["params"]["reason"] == reason


def test_a_malformed_code_is_a_request_error(api: TestClient) -> None:
    auth = account(api, "xa-a")
    response = _put(api, auth, {"applicant": {"address": {**GOOD, "commune_code": "2102"}}})
    assert response.status_code == 422
    assert response.json()["code"] != "dossier.address_invalid"


def test_a_form_without_addresses_is_unaffected(api: TestClient) -> None:
    auth = account(api, "xa-a")
    assert _put(api, auth, {"applicant": {"name": "A"}, "notes": "x"}).status_code == 201


def test_the_app_explains_the_refusal_in_vietnamese(api: TestClient) -> None:
    import desktop.portal.errors  # noqa: F401 (defines the sentences of API v1's codes)
    from desktop.errors import render

    auth = account(api, "xa-a")
    response = _put(api, auth, {"applicant": {"address": {**GOOD, "commune_code": "00004"}}})
    problem = response.json()
    sentence = render(problem["code"], problem["params"])
    assert sentence.startswith(
        "Cổng không nhận địa chỉ applicant.address (commune_not_in_province)"
    )
    assert "Hãy chọn lại tỉnh, thành phố và xã, phường" in sentence
