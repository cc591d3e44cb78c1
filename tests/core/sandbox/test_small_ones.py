"""The small ones of issue #12 item 17: HEAD on every GET endpoint, weak and `*`
If-None-Match, idempotency keys scoped per account, the file limit as a setting, a bind
failure said as such."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient

from portal_sandbox.server import free_port

from .helpers import account, manifest, new_uuid, submission_body, upload_all


def test_head_on_get_endpoints(api: TestClient) -> None:
    assert api.head("/v1/health").status_code == 204
    catalog = api.head("/v1/catalog")
    assert catalog.status_code == 200 and catalog.content == b"" and catalog.headers["etag"]
    auth = account(api, "xa-head")
    assert api.head("/v1/dossiers?changed_since=0", headers=auth).status_code == 200


def test_weak_and_star_if_none_match(api: TestClient) -> None:
    etag = api.get("/v1/catalog").headers["etag"]
    for tag in (etag, f"W/{etag}", "*", f'"other", {etag}'):
        assert api.get("/v1/catalog", headers={"If-None-Match": tag}).status_code == 304, tag
    assert api.get("/v1/catalog", headers={"If-None-Match": '"other"'}).status_code == 200


def test_idempotency_keys_are_per_account(api: TestClient) -> None:
    key = "same-key-of-two-offices-000001"
    for office in ("xa-mot", "xa-hai"):
        auth = account(api, office)
        files = {"don": f"%PDF-1.4 {office}".encode()}
        uuid = new_uuid()
        created = api.put(f"/v1/dossiers/{uuid}", json=manifest(files), headers=auth).json()
        upload_all(api, created, files, auth)
        answer = api.post(
            f"/v1/dossiers/{uuid}/submission",
            json=submission_body(files),
            headers={**auth, "Idempotency-Key": key},
        )
        assert answer.status_code == 201, (office, answer.text)


def test_portal_sandbox_says_when_the_port_is_taken(run_cli) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = run_cli("portal-sandbox", "--port", str(port))
    assert result.code == 1
    assert f"127.0.0.1:{port}" in result.err and "--port" in result.err
    assert "Cổng thử nghiệm:" not in result.out  # no banner first


def test_supplement_ids_are_scoped_per_dossier(api: TestClient) -> None:
    """Two offices answering their own requests with the same supplement id."""
    from .helpers import submitted_dossier

    for office in ("xa-ba", "xa-bon"):
        auth = account(api, office)
        uuid, _receipt = submitted_dossier(api, auth)
        asked = api.post(f"/sandbox/officer/{uuid}/supplement", data={"note": "Bổ sung"})
        assert asked.status_code in (200, 303)
        status = api.get(f"/v1/dossiers/{uuid}", headers=auth).json()
        request_id = status["supplement_requests"][0]["request_id"]
        files = {"bo-sung": f"%PDF-1.4 {office}".encode()}
        body = {"request_id": request_id, "files": manifest(files)["files"]}
        answer = api.put(f"/v1/dossiers/{uuid}/supplements/s1", json=body, headers=auth)
        assert answer.status_code == 201, (office, answer.text)
