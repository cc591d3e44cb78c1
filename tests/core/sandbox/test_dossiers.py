from __future__ import annotations

from fastapi.testclient import TestClient

from .helpers import account, manifest, new_uuid, submitted_dossier

FILES = {"don": b"%PDF-1.4 don", "anh": b"%PDF-1.4 anh 4x6"}


def test_put_is_idempotent_201_then_200_then_409(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid = new_uuid()
    first = api.put(f"/v1/dossiers/{uuid}", json=manifest(FILES), headers=auth)
    assert first.status_code == 201
    body = first.json()
    assert body["state"] == 0
    assert {f["file_id"]: f["offset"] for f in body["files"]} == {"anh": 0, "don": 0}
    assert all(
        f["upload_url"].startswith("http://127.0.0.1:8765/v1/uploads/") for f in body["files"]
    )
    replay = api.put(f"/v1/dossiers/{uuid}", json=manifest(FILES), headers=auth)
    assert replay.status_code == 200
    assert replay.json()["files"] == body["files"]
    other = api.put(f"/v1/dossiers/{uuid}", json=manifest({"don": b"%PDF-1.4 khac"}), headers=auth)
    assert (other.status_code, other.json()["code"]) == (409, "dossier.conflict")


def test_a_file_over_the_limit_is_refused_before_any_upload(api: TestClient) -> None:
    auth = account(api, "xa-a")
    big = manifest({"don": b"x"})
    big["files"][0]["size"] = 2 * 1024 * 1024
    response = api.put(f"/v1/dossiers/{new_uuid()}", json=big, headers=auth)
    assert (response.status_code, response.json()["code"]) == (413, "dossier.file_too_large")


def test_one_account_can_neither_see_nor_change_anothers_dossiers(api: TestClient) -> None:
    alice, bob = account(api, "xa-alice"), account(api, "xa-bob")
    uuid, _ = submitted_dossier(api, alice)
    created = api.put(f"/v1/dossiers/{uuid}", json=manifest(FILES), headers=bob)
    assert created.status_code == 409
    assert api.get(f"/v1/dossiers/{uuid}", headers=bob).status_code == 404
    assert api.get("/v1/dossiers", headers=bob).json()["items"] == []
    alices_upload = api.get(f"/v1/dossiers/{uuid}", headers=alice).json()
    assert alices_upload["state"] == 1
    mine = api.put(f"/v1/dossiers/{new_uuid()}", json=manifest(FILES), headers=alice).json()
    url = mine["files"][0]["upload_url"]
    assert api.head(url, headers=bob).status_code == 404
    patch = api.patch(
        url,
        content=b"x",
        headers={**bob, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )
    assert patch.status_code == 404
    resubmit = api.post(
        f"/v1/dossiers/{uuid}/submission",
        json={"files": [{"file_id": "don", "sha256": "0" * 64}]},
        headers={**bob, "Idempotency-Key": "bob-key-123"},
    )
    assert resubmit.status_code == 404


def test_changed_since_returns_only_later_changes_in_batches(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuids = [submitted_dossier(api, auth)[0] for _ in range(3)]
    first = api.get("/v1/dossiers?changed_since=0&limit=2", headers=auth).json()
    assert [d["uuid"] for d in first["items"]] == uuids[:2]
    assert first["has_more"] is True
    rest = api.get(f"/v1/dossiers?changed_since={first['cursor']}", headers=auth).json()
    assert [d["uuid"] for d in rest["items"]] == uuids[2:]
    quiet = api.get(f"/v1/dossiers?changed_since={rest['cursor']}", headers=auth).json()
    assert quiet["items"] == [] and quiet["cursor"] == rest["cursor"]
    api.post(f"/sandbox/officer/{uuids[0]}/accept")
    moved = api.get(f"/v1/dossiers?changed_since={rest['cursor']}", headers=auth).json()
    assert [(d["uuid"], d["state"]) for d in moved["items"]] == [(uuids[0], 2)]
    assert [h["state"] for h in moved["items"][0]["history"]] == [1, 2]
    bad = api.get("/v1/dossiers?changed_since=abc", headers=auth)
    assert bad.status_code == 422
