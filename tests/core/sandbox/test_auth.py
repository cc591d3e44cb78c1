from __future__ import annotations

from fastapi.testclient import TestClient

from portal_sandbox.config import SandboxConfig

from .helpers import FakeClock, account, login, register, submitted_dossier

REGISTRATION = {
    "username": "xa-binh-son",
    "email": "vanthu@binhson.example.vn",
    "password": "mat-khau-123",
    "full_name": "Trần Thị B",
    "phone": "+84912345678",
}


def test_register_sends_a_mail_whose_link_activates_the_account(api: TestClient) -> None:
    assert api.post("/v1/accounts", json=REGISTRATION).status_code == 202
    refused = api.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "xa-binh-son", "password": "mat-khau-123"},
    )
    assert refused.status_code == 400  # RFC 6749 §5.2: invalid_grant
    assert refused.json()["error"] == "invalid_grant"
    assert refused.json()["code"] == "auth.not_activated"
    mails = api.get("/sandbox/mail.json").json()
    assert mails[0]["to"] == "vanthu@binhson.example.vn"
    assert "xa-binh-son" in api.get("/sandbox/mail").text
    assert "đã được kích hoạt" in api.get(mails[0]["link"]).text
    assert login(api, "xa-binh-son")["expires_in"] == 900


def test_taken_username_and_bad_fields_are_refused_with_codes(api: TestClient) -> None:
    api.post("/v1/accounts", json=REGISTRATION)
    again = api.post("/v1/accounts", json=REGISTRATION)
    assert (again.status_code, again.json()["code"]) == (409, "account.exists")
    bad = api.post("/v1/accounts", json={**REGISTRATION, "username": "B", "phone": "12"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert {e["loc"][-1] for e in bad.json()["errors"]} == {"username", "phone"}


def test_wrong_password_and_unknown_link(api: TestClient) -> None:
    register(api, "xa-an-hoa")
    wrong = api.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "xa-an-hoa", "password": "sai-mat-khau"},
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "auth.invalid_credentials")
    assert api.get("/v1/accounts/activation/khong-co").status_code == 404


def test_expired_access_token_is_refused_and_refresh_rotates(
    api: TestClient, clock: FakeClock
) -> None:
    register(api, "xa-tinh-ky")
    tokens = login(api, "xa-tinh-ky")
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.get("/v1/dossiers", headers=auth).status_code == 200
    clock.advance(seconds=901)
    expired = api.get("/v1/dossiers", headers=auth)
    assert (expired.status_code, expired.json()["code"]) == (401, "auth.token_expired")
    refreshed = api.post(
        "/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200
    new_auth = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert api.get("/v1/dossiers", headers=new_auth).status_code == 200
    reused = api.post(
        "/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert (reused.status_code, reused.json()["code"]) == (400, "auth.invalid_refresh")


def test_every_api_endpoint_but_health_and_catalog_needs_a_token(api: TestClient) -> None:
    assert api.get("/v1/health").status_code == 204
    assert api.get("/v1/catalog").status_code == 200
    for method, path in [
        ("GET", "/v1/dossiers"),
        ("GET", "/v1/dossiers/5a55c29a-aaf4-4a37-8ebc-9e9c12db7c89"),
        ("HEAD", "/v1/uploads/abc"),
        ("GET", "/v1/payments/ABC"),
    ]:
        response = api.request(method, path, headers={"Tus-Resumable": "1.0.0"})
        assert response.status_code == 401, path
    bogus = api.get("/v1/dossiers", headers={"Authorization": "Bearer khong-hop-le"})
    assert bogus.json()["code"] == "auth.invalid_token"
    assert account(api, "xa-nghia-ky")["Authorization"].startswith("Bearer ")


def test_accounts_and_dossiers_survive_a_restart(config: SandboxConfig) -> None:
    from portal_sandbox.app import create_app

    first = create_app(config)
    with TestClient(first, base_url="http://127.0.0.1:8765") as api:
        api.headers.update({**config.secret_headers, "Tus-Resumable": "1.0.0"})
        auth = account(api, "xa-ben-tre")
        uuid, receipt = submitted_dossier(api, auth)
    first.state.sandbox.close()
    second = create_app(config)
    with TestClient(second, base_url="http://127.0.0.1:8765") as api:
        api.headers["Tus-Resumable"] = "1.0.0"
        tokens = login(api, "xa-ben-tre")
        again = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert (
            api.get(f"/v1/dossiers/{uuid}", headers=again).json()["receipt_no"]
            == (receipt["receipt_no"])
        )
    second.state.sandbox.close()
