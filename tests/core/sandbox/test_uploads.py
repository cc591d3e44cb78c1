from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient

from portal_sandbox.config import SandboxConfig

from .helpers import account, manifest, new_uuid

DATA = bytes(range(256)) * 40
OCTETS = "application/offset+octet-stream"


def _create(api: TestClient, auth: dict[str, str]) -> tuple[str, dict[str, Any]]:
    uuid = new_uuid()
    created = api.put(f"/v1/dossiers/{uuid}", json=manifest({"don": DATA}), headers=auth)
    return uuid, created.json()["files"][0]


def _patch(api: TestClient, url: str, data: bytes, offset: int, auth: dict[str, str]) -> Any:
    return api.patch(
        url, content=data, headers={**auth, "Upload-Offset": str(offset), "Content-Type": OCTETS}
    )


def test_resume_from_the_head_offset_gives_the_exact_file(
    api: TestClient, config: SandboxConfig
) -> None:
    auth = account(api, "xa-a")
    _, target = _create(api, auth)
    url = target["upload_url"]
    first = _patch(api, url, DATA[:4000], 0, auth)
    assert (first.status_code, first.headers["Upload-Offset"]) == (204, "4000")
    head = api.head(url, headers=auth)
    assert head.headers["Upload-Offset"] == "4000"
    assert head.headers["Upload-Length"] == str(len(DATA))
    assert head.headers["Tus-Resumable"] == "1.0.0"
    wrong = _patch(api, url, DATA[3000:], 3000, auth)
    assert (wrong.status_code, wrong.json()["code"]) == (409, "upload.offset_mismatch")
    assert _patch(api, url, DATA[4000:], 4000, auth).status_code == 204
    stored = next(config.uploads.glob("*.part")).read_bytes()
    assert stored == DATA
    done = api.head(url, headers=auth)
    assert done.headers["Upload-Offset"] == str(len(DATA))


def test_sha256_mismatch_answers_422_and_resets(api: TestClient) -> None:
    auth = account(api, "xa-a")
    _, target = _create(api, auth)
    broken = b"\xff" + DATA[1:]
    response = _patch(api, target["upload_url"], broken, 0, auth)
    assert (response.status_code, response.json()["code"]) == (422, "upload.checksum_mismatch")
    assert response.json()["params"]["expected"] == hashlib.sha256(DATA).hexdigest()
    assert api.head(target["upload_url"], headers=auth).headers["Upload-Offset"] == "0"
    assert _patch(api, target["upload_url"], DATA, 0, auth).status_code == 204


def test_more_bytes_than_declared_is_413(api: TestClient) -> None:
    auth = account(api, "xa-a")
    _, target = _create(api, auth)
    response = _patch(api, target["upload_url"], DATA + b"thua", 0, auth)
    assert (response.status_code, response.json()["code"]) == (413, "upload.too_large")
    assert api.head(target["upload_url"], headers=auth).headers["Upload-Offset"] == "0"


def test_wrong_media_type_and_unknown_upload(api: TestClient) -> None:
    auth = account(api, "xa-a")
    _, target = _create(api, auth)
    response = api.patch(
        target["upload_url"],
        content=DATA,
        headers={**auth, "Upload-Offset": "0", "Content-Type": "application/pdf"},
    )
    assert response.status_code == 415
    assert api.head("/v1/uploads/khong-co", headers=auth).status_code == 404


def test_expired_uploads_answer_410_until_the_dossier_is_put_again(api: TestClient) -> None:
    auth = account(api, "xa-a")
    uuid, target = _create(api, auth)
    _patch(api, target["upload_url"], DATA[:100], 0, auth)
    assert api.post("/sandbox/faults/expire-uploads").json() == {"expired": 1}
    gone = api.head(target["upload_url"], headers=auth)
    assert gone.status_code == 410
    assert _patch(api, target["upload_url"], DATA[100:], 100, auth).status_code == 410
    renewed = api.put(f"/v1/dossiers/{uuid}", json=manifest({"don": DATA}), headers=auth)
    assert renewed.status_code == 200
    assert renewed.json()["files"][0]["offset"] == 0
    assert _patch(api, target["upload_url"], DATA, 0, auth).status_code == 204
