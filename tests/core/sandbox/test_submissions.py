from __future__ import annotations

import re
import threading
from typing import Any

from fastapi.testclient import TestClient

from .helpers import (
    FakeClock,
    account,
    manifest,
    new_uuid,
    submission_body,
    submitted_dossier,
    upload_all,
)

FILES = {"don": b"%PDF-1.4 don", "cccd": b"%PDF-1.4 cccd"}


def _ready(api: TestClient, auth: dict[str, str], agency: str = "SYT-QUANGNGAI") -> str:
    uuid = new_uuid()
    created = api.put(f"/v1/dossiers/{uuid}", json=manifest(FILES, agency), headers=auth).json()
    assert "files" in created, created
    upload_all(api, created, FILES, auth)
    return uuid


def _submit(api: TestClient, uuid: str, auth: dict[str, str], key: str, body: Any = None) -> Any:
    return api.post(
        f"/v1/dossiers/{uuid}/submission",
        json=body or submission_body(FILES),
        headers={**auth, "Idempotency-Key": key},
    )


def test_receipt_numbers_count_per_agency_and_per_day(api: TestClient, clock: FakeClock) -> None:
    auth = account(api, "xa-a")
    numbers = [
        _submit(api, _ready(api, auth, agency), auth, f"key-{i}-abcdef").json()["receipt_no"]
        for i, agency in enumerate(["SYT-QUANGNGAI", "SYT-QUANGNGAI", "000.00.53.H48"])
    ]
    # 03:00 UTC on 25 Nov 2026 is 10:00 in Vietnam.
    assert numbers == [
        "SYT-QUANGNGAI-261125-0001",
        "SYT-QUANGNGAI-261125-0002",
        "000.00.53.H48-261125-0001",
    ]
    clock.advance(hours=14)  # 17:00 UTC = 00:00 on 26 Nov in Vietnam
    auth = account(api, "xa-b")  # the old access token expired meanwhile
    receipt = _submit(api, _ready(api, auth), auth, "key-next-day").json()
    assert receipt["receipt_no"] == "SYT-QUANGNGAI-261126-0001"
    assert re.fullmatch(r".+-\d{6}-\d{4}", receipt["receipt_no"])
    assert receipt["appointment_date"] > "2026-11-26"


def test_replay_gives_the_same_receipt_and_other_body_is_422(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid = _ready(api, auth)
    first = _submit(api, uuid, auth, "key-12345678")
    assert first.status_code == 201
    replay = _submit(api, uuid, auth, "key-12345678")
    assert (replay.status_code, replay.json()) == (200, first.json())
    other = _submit(api, uuid, auth, "key-12345678", {**submission_body(FILES), "note": "khác"})
    assert (other.status_code, other.json()["code"]) == (422, "submission.key_reused")
    second_key = _submit(api, uuid, auth, "key-another-1")
    assert (second_key.status_code, second_key.json()["code"]) == (
        409,
        "submission.already_submitted",
    )
    history = api.get(f"/v1/dossiers/{uuid}", headers=auth).json()["history"]
    assert [h["state"] for h in history] == [1]


def test_missing_files_409_and_missing_key_422(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid = new_uuid()
    api.put(f"/v1/dossiers/{uuid}", json=manifest(FILES), headers=auth)
    early = _submit(api, uuid, auth, "key-early-1")
    assert (early.status_code, early.json()["code"]) == (409, "submission.files_incomplete")
    assert early.json()["params"]["missing"] == ["cccd", "don"]
    no_key = api.post(f"/v1/dossiers/{uuid}/submission", json=submission_body(FILES), headers=auth)
    assert no_key.status_code == 422
    wrong = _submit(api, uuid, auth, "key-wrong-1", submission_body({"don": b"khac"}))
    assert (wrong.status_code, wrong.json()["code"]) == (422, "submission.files_mismatch")


def test_a_concurrent_duplicate_is_409_and_only_one_receipt_exists(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid = _ready(api, auth)
    sandbox = api.app.state.sandbox  # type: ignore[attr-defined]
    api.put("/sandbox/faults", json={"delay_ms": 1500, "delay_endpoints": ["submit"]})
    results: list[Any] = []
    first = threading.Thread(target=lambda: results.append(_submit(api, uuid, auth, "key-dup-1")))
    first.start()
    deadline = threading.Event()
    for _ in range(500):
        if sandbox.is_busy(f"submit:{uuid}"):
            break
        deadline.wait(0.01)
    assert sandbox.is_busy(f"submit:{uuid}")
    duplicate = _submit(api, uuid, auth, "key-dup-1")
    first.join(timeout=10)
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "submission.in_progress")
    assert results[0].status_code == 201
    api.put("/sandbox/faults", json={})
    assert _submit(api, uuid, auth, "key-dup-1").json() == results[0].json()


def test_submitted_dossier_shows_receipt_in_status(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, receipt = submitted_dossier(api, auth)
    status = api.get(f"/v1/dossiers/{uuid}", headers=auth).json()
    assert status["receipt_no"] == receipt["receipt_no"]
    assert status["state_name"] == "Mới đăng ký"
