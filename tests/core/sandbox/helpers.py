"""Helpers for sandbox tests: a fake clock, accounts, manifests, uploads."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 3, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def register(client: TestClient, username: str, password: str = "mat-khau-123") -> None:
    response = client.post(
        "/v1/accounts",
        json={
            "username": username,
            "email": f"{username}@example.vn",
            "password": password,
            "full_name": "Nguyễn Văn A",
            "phone": "0912345678",
        },
    )
    assert response.status_code == 202, response.text
    mails = client.get("/sandbox/mail.json").json()
    link = next(m["link"] for m in mails if m["username"] == username)
    assert client.get(link).status_code == 200


def login(client: TestClient, username: str, password: str = "mat-khau-123") -> dict[str, Any]:
    response = client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def account(client: TestClient, username: str) -> dict[str, str]:
    """Register, confirm and log in; the Authorization header of the new account."""
    register(client, username)
    return {"Authorization": f"Bearer {login(client, username)['access_token']}"}


def manifest(files: dict[str, bytes], agency: str = "SYT-QUANGNGAI") -> dict[str, Any]:
    return {
        "procedure_code": "1.002600",
        "procedure_name": "Cấp Chứng chỉ hành nghề dược",
        "agency_code": agency,
        "form": {"applicant": {"name": "Nguyễn Văn A", "id_number": "012345678901"}},
        "files": [
            {
                "file_id": name,
                "name": f"{name}.pdf",
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "media_type": "application/pdf",
            }
            for name, data in files.items()
        ],
    }


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def upload_all(
    client: TestClient, created: dict[str, Any], files: dict[str, bytes], auth: dict[str, str]
) -> None:
    for target in created["files"]:
        response = client.patch(
            target["upload_url"],
            content=files[target["file_id"]],
            headers={
                **auth,
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
            },
        )
        assert response.status_code == 204, response.text


def submission_body(files: dict[str, bytes]) -> dict[str, Any]:
    return {
        "files": [
            {"file_id": name, "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ]
    }


def submitted_dossier(
    client: TestClient, auth: dict[str, str], files: dict[str, bytes] | None = None
) -> tuple[str, dict[str, Any]]:
    """A dossier created, uploaded and submitted; returns its uuid and receipt."""
    files = files or {"don": b"%PDF-1.4 don de nghi", "cccd": b"%PDF-1.4 can cuoc"}
    uuid = new_uuid()
    created = client.put(f"/v1/dossiers/{uuid}", json=manifest(files), headers=auth).json()
    upload_all(client, created, files, auth)
    response = client.post(
        f"/v1/dossiers/{uuid}/submission",
        json=submission_body(files),
        headers={**auth, "Idempotency-Key": f"key-{uuid}"},
    )
    assert response.status_code == 201, response.text
    return uuid, response.json()
