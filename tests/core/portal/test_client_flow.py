"""The client through a whole dossier's life on the sandbox (in process)."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from desktop.portal.adapter import PortalAdapter, make_adapter
from desktop.portal.client import PortalClient
from desktop.portal.contract import DossierCreate, FileManifestEntry, FileRef, SubmissionRequest
from desktop.progress import Progress

from .conftest import FakeClock


def _dossier(path: Path) -> DossierCreate:
    data = path.read_bytes()
    return DossierCreate(
        procedure_code="1.002600",
        procedure_name="Cấp Chứng chỉ hành nghề dược",
        agency_code="SYT-QUANGNGAI",
        form={"applicant": {"name": "Lê Văn C"}},
        files=[
            FileManifestEntry(
                file_id="don",
                name=path.name,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                media_type="application/pdf",
            )
        ],
    )


def test_create_upload_submit_poll(portal: PortalClient, tmp_path: Path) -> None:
    path = tmp_path / "don.pdf"
    path.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 300)
    uuid = str(uuidlib.uuid4())
    created = portal.put_dossier(uuid, _dossier(path))
    seen: list[Progress] = []
    length = portal.upload(path, created.files[0].upload_url, chunk=20_000, progress=seen.append)
    assert length == path.stat().st_size
    assert seen[-1].done == length and seen[-1].fraction == 1.0
    receipt = portal.submit(
        uuid,
        SubmissionRequest(
            files=[FileRef(file_id="don", sha256=created_sha(path))],
        ),
        key="submission-key-1",
    )
    assert receipt.receipt_no.startswith("SYT-QUANGNGAI-261125-")
    assert (
        portal.submit(
            uuid,
            SubmissionRequest(files=[FileRef(file_id="don", sha256=created_sha(path))]),
            key="submission-key-1",
        )
        == receipt
    )
    status = portal.dossier(uuid)
    assert (status.state, status.receipt_no) == (1, receipt.receipt_no)
    changes = portal.changes()
    assert [d.uuid for d in changes.items] == [uuid]
    assert portal.changes(changes.cursor).items == []
    assert portal.catalog().document is not None
    etag = portal.catalog().etag
    assert portal.catalog(etag).not_modified


def created_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_token_expiring_mid_upload_is_refreshed(
    portal: PortalClient, sandbox_http: TestClient, clock: FakeClock, tmp_path: Path
) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 " + b"scan" * 50_000)
    created = portal.put_dossier(str(uuidlib.uuid4()), _dossier(path))
    before = portal.tokens

    def expire_after_first_chunk(progress: Progress) -> None:
        if progress.done == 50_000:
            clock.advance(seconds=601)  # the access token dies between two PATCHes

    portal.upload(
        path, created.files[0].upload_url, chunk=50_000, progress=expire_after_first_chunk
    )
    assert portal.tokens != before
    state = portal.upload_state(created.files[0].upload_url)
    assert state.offset == state.length == path.stat().st_size
    stored = next((tmp_path / "sandbox" / "uploads").glob("*.part")).read_bytes()
    assert stored == path.read_bytes()


def test_api_v1_is_the_first_adapter() -> None:
    adapter = make_adapter("v1", "http://127.0.0.1:8765")
    assert isinstance(adapter, PortalAdapter)
    assert adapter.kind == "v1"
    assert adapter.capabilities.resumable_upload and adapter.capabilities.payments
    adapter.close()
    # The former name of the kind still opens API v1; an unknown kind is refused.
    assert make_adapter("api-v1", "http://127.0.0.1:8765").kind == "v1"
    with pytest.raises(ValueError, match="lgsp"):
        make_adapter("igate", "http://127.0.0.1:8765")
