"""The client against a real uvicorn sandbox on 127.0.0.1 (faults need real sockets)."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.errors import IntegrityError, TransientError, UserError
from desktop.portal.client import PortalClient
from desktop.portal.contract import DossierCreate, FileManifestEntry, FileRef, SubmissionRequest
from desktop.progress import CancelToken, Progress
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

from .conftest import registration


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedSandbox]:
    config = SandboxConfig(tmp_path_factory.mktemp("live") / "sandbox")
    with ThreadedSandbox(config) as server:
        yield server


@pytest.fixture
def client(live: ThreadedSandbox) -> Iterator[PortalClient]:
    username = f"xa-{uuidlib.uuid4().hex[:10]}"
    portal = PortalClient(live.url)
    portal.register(registration(username))
    mails = httpx.get(f"{live.url}/sandbox/mail.json", headers=live.secret_headers).json()
    link = next(m["link"] for m in mails if m["username"] == username)
    assert "kích hoạt" in httpx.get(link).text
    portal.login(username, "mat-khau-123")
    yield portal
    httpx.put(f"{live.url}/sandbox/faults", headers=live.secret_headers, json={})
    portal.close()


def _faults(live: ThreadedSandbox, **switches: object) -> None:
    assert (
        httpx.put(
            f"{live.url}/sandbox/faults", headers=live.secret_headers, json=switches
        ).status_code
        == 200
    )


def _create(client: PortalClient, path: Path) -> tuple[str, str, str]:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    uuid = str(uuidlib.uuid4())
    created = client.put_dossier(
        uuid,
        DossierCreate(
            procedure_name="Cấp giấy phép",
            agency_code="000.00.53.H48",
            files=[
                FileManifestEntry(
                    file_id="f1",
                    name=path.name,
                    size=len(data),
                    sha256=digest,
                    media_type="application/pdf",
                )
            ],
        ),
    )
    return uuid, created.files[0].upload_url, digest


def test_cut_patch_then_resume_gives_the_same_bytes(
    live: ThreadedSandbox, client: PortalClient, tmp_path: Path
) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 4096)
    uuid, url, digest = _create(client, path)
    _faults(live, cut_patch_after_bytes=300_000)
    with pytest.raises(TransientError) as caught:
        client.upload(path, url, chunk=700_000)
    assert caught.value.code == "portal.unreachable"
    kept = client.upload_state(url).offset
    assert kept == 300_000
    assert client.upload(path, url, chunk=700_000) == path.stat().st_size
    receipt = client.submit(
        uuid, SubmissionRequest(files=[FileRef(file_id="f1", sha256=digest)]), key=f"k-{uuid}"
    )
    stored = next(
        p for p in (live.config.uploads).glob("*.part") if p.stat().st_size == path.stat().st_size
    )
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest
    assert receipt.receipt_no.startswith("000.00.53.H48-")


def test_lost_response_after_commit_then_replay_gets_the_same_receipt(
    live: ThreadedSandbox, client: PortalClient, tmp_path: Path
) -> None:
    path = tmp_path / "don.pdf"
    path.write_bytes(b"%PDF-1.4 don")
    uuid, url, digest = _create(client, path)
    client.upload(path, url)
    body = SubmissionRequest(files=[FileRef(file_id="f1", sha256=digest)])
    _faults(live, lose_response={"submit": 1})
    with pytest.raises(TransientError):
        client.submit(uuid, body, key=f"k-{uuid}")
    committed = client.dossier(uuid)
    assert committed.receipt_no is not None
    assert client.submit(uuid, body, key=f"k-{uuid}").receipt_no == committed.receipt_no


def test_503_with_retry_after_then_recovery(live: ThreadedSandbox, client: PortalClient) -> None:
    _faults(live, unavailable=1, retry_after=9)
    with pytest.raises(TransientError) as caught:
        client.changes()
    assert (caught.value.code, caught.value.params["retry_after"]) == ("portal.busy", 9)
    assert client.changes().has_more is False


def test_slow_portal_still_answers(live: ThreadedSandbox, client: PortalClient) -> None:
    _faults(live, delay_ms=300, delay_endpoints=["health"])
    started = time.monotonic()
    client.health()
    assert time.monotonic() - started >= 0.3
    assert (
        httpx.get(f"{live.url}/sandbox/faults", headers=live.secret_headers).json()["delay_ms"]
        == 300
    )


def test_cancel_mid_upload_keeps_the_received_bytes_and_resumes(
    live: ThreadedSandbox, client: PortalClient, tmp_path: Path
) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 8192)
    _, url, digest = _create(client, path)
    cancel = CancelToken()

    def stop_after_a_megabyte(progress: Progress) -> None:
        if progress.done >= 1 << 20:
            cancel.cancel()

    with pytest.raises(UserError) as caught:
        client.upload(path, url, chunk=4 << 20, progress=stop_after_a_megabyte, cancel=cancel)
    assert caught.value.code == "cancelled"
    sandbox = live.server.config.app.state.sandbox  # type: ignore[union-attr]
    busy = f"upload:{url.rsplit('/', 1)[1]}"
    deadline = time.monotonic() + 10
    while sandbox.is_busy(busy) and time.monotonic() < deadline:
        threading.Event().wait(0.01)  # until the server notices the dropped connection
    kept = client.upload_state(url).offset
    assert 0 < kept < path.stat().st_size
    assert client.upload(path, url) == path.stat().st_size
    size = path.stat().st_size
    stored = [p for p in live.config.uploads.glob("*.part") if p.stat().st_size == size]
    assert digest in {hashlib.sha256(p.read_bytes()).hexdigest() for p in stored}


def test_a_local_file_that_changed_size_is_never_sent(client: PortalClient, tmp_path: Path) -> None:
    path = tmp_path / "don.pdf"
    path.write_bytes(b"%PDF-1.4 don")
    _, url, _ = _create(client, path)
    path.write_bytes(b"%PDF-1.4 don, sua sau khi nop")
    with pytest.raises(IntegrityError) as caught:
        client.upload(path, url)
    assert caught.value.code == "portal.local_size_mismatch"
    assert client.upload_state(url).offset == 0
