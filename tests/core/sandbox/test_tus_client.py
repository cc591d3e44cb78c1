"""tus 1.0.0 core and the checksum extension, judged by a standard tus client (tuspy):
it uploads a dossier's file in chunks with sha256 checksums, stops, and a new uploader
resumes from the server's offset; the protocol's own rules are checked one by one."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError
from tusclient.uploader import Uploader

from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

from .helpers import manifest

TUS = {"Tus-Resumable": "1.0.0"}


class Sha256Uploader(Uploader):
    """tuspy's uploader with the sha256 checksum (its default is sha1)."""

    CHECKSUM_ALGORITHM_PAIR = ("sha256", hashlib.sha256)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[dict[str, Any]]:
    data = os.urandom(300_000)
    with ThreadedSandbox(SandboxConfig(tmp_path / "sandbox")) as server:
        http = httpx.Client(base_url=server.url, timeout=20)
        http.post("/v1/accounts", json={
            "username": "xa-tus", "email": "tus@example.vn", "password": "mat-khau-123",
            "full_name": "UBND xã Tus", "phone": "0912345678"}).raise_for_status()  # fmt: skip
        mail = http.get("/sandbox/mail.json", headers=server.secret_headers).json()[0]
        http.get(mail["link"]).raise_for_status()
        login = {"grant_type": "password", "username": "xa-tus", "password": "mat-khau-123"}
        token = http.post("/v1/auth/token", data=login).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        uuid = "6f1c1c4e-2f4a-4b8e-9f00-1234567890ab"
        created = http.put(f"/v1/dossiers/{uuid}", headers=auth, json=manifest({"f1": data}))
        assert created.status_code == 201, created.text
        yield {"server": server, "http": http, "auth": auth, "data": data,
               "url": created.json()["files"][0]["upload_url"], "uuid": uuid}  # fmt: skip
        http.close()


def test_tuspy_uploads_with_checksums_and_resumes(portal: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / "don.pdf"
    source.write_bytes(portal["data"])
    client = TusClient(portal["server"].url, headers=portal["auth"])
    first = Sha256Uploader(
        file_path=str(source), url=portal["url"], client=client, chunk_size=64 * 1024,
        upload_checksum=True,
    )  # fmt: skip
    first.upload(stop_at=128 * 1024)  # the connection "breaks" here
    head = portal["http"].head(portal["url"], headers={**portal["auth"], **TUS})
    assert int(head.headers["upload-offset"]) == 128 * 1024
    again = Sha256Uploader(
        file_path=str(source), url=portal["url"], client=client, chunk_size=64 * 1024,
        upload_checksum=True,
    )  # fmt: skip
    assert again.offset == 128 * 1024  # resumed from the server's offset
    again.upload()
    # The identical replay of the manifest reports each file's upload state.
    replay = portal["http"].put(
        f"/v1/dossiers/{portal['uuid']}",
        headers=portal["auth"],
        json=manifest({"f1": portal["data"]}),
    )
    assert replay.status_code == 200 and replay.json()["files"][0]["complete"] is True


def test_options_advertises_version_extension_and_size(portal: dict[str, Any]) -> None:
    answer = portal["http"].options(portal["url"])
    assert answer.status_code == 204
    assert answer.headers["tus-version"] == "1.0.0"
    assert "checksum" in answer.headers["tus-extension"].split(",")
    assert int(answer.headers["tus-max-size"]) == 60 * 1024 * 1024
    assert "sha256" in answer.headers["tus-checksum-algorithm"]


def test_an_unsupported_version_is_412_and_nothing_is_written(portal: dict[str, Any]) -> None:
    http, url, auth = portal["http"], portal["url"], portal["auth"]
    old = http.patch(url, content=b"x" * 10, headers={
        **auth, "Tus-Resumable": "0.2.2", "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream"})  # fmt: skip
    assert old.status_code == 412 and old.headers["tus-version"] == "1.0.0"
    assert http.head(url, headers={**auth, **TUS}).headers["upload-offset"] == "0"


def test_every_answer_says_tus_resumable_and_405_lists_patch(portal: dict[str, Any]) -> None:
    http, url, auth = portal["http"], portal["url"], portal["auth"]
    for answer in (
        http.head(url, headers={**auth, **TUS}),
        http.head(url, headers=TUS),  # 401
        http.patch(
            url,
            content=b"x",
            headers={
                **auth,
                **TUS,
                "Upload-Offset": "5",
                "Content-Type": "application/offset+octet-stream",
            },
        ),  # 409
        http.post(url, headers={**auth, **TUS}),
    ):
        assert answer.headers.get("tus-resumable") == "1.0.0", answer.status_code
    not_allowed = http.post(url, headers={**auth, **TUS})
    assert not_allowed.status_code == 405 and "PATCH" in not_allowed.headers["allow"]


def test_a_wrong_chunk_checksum_is_460_and_the_offset_stays(portal: dict[str, Any]) -> None:
    http, url, auth, data = portal["http"], portal["url"], portal["auth"], portal["data"]
    chunk = data[:1000]
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    answer = http.patch(url, content=chunk, headers={
        **auth, **TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": f"sha256 {wrong}"})  # fmt: skip
    assert answer.status_code == 460
    assert http.head(url, headers={**auth, **TUS}).headers["upload-offset"] == "0"
    right = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
    ok = http.patch(url, content=chunk, headers={
        **auth, **TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": f"sha256 {right}"})  # fmt: skip
    assert ok.status_code == 204 and ok.headers["upload-offset"] == "1000"
    odd = http.patch(url, content=b"x", headers={
        **auth, **TUS, "Upload-Offset": "1000", "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": "md5 AAAA"})  # fmt: skip
    assert odd.status_code == 400


def test_tuspy_reports_a_refused_upload(portal: dict[str, Any], tmp_path: Path) -> None:
    other = tmp_path / "other.pdf"
    other.write_bytes(os.urandom(1000))  # not the declared size: the server refuses it
    client = TusClient(portal["server"].url, headers={"Authorization": "Bearer sai"})
    with pytest.raises(TusCommunicationError):
        Sha256Uploader(file_path=str(other), url=portal["url"], client=client).upload()
