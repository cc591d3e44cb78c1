from __future__ import annotations

import hashlib
import os
import uuid as uuidlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from desktop.errors import TransientError
from desktop.sync.uploader import FileTarget, Uploader
from desktop.workspace import Workspace

from .cutting_proxy import CuttingProxy
from .portal import login_client, register, start_sandbox

MIB = 1024 * 1024
T = TypeVar("T")


def _retrying(action: Callable[[], T], attempts: int = 30) -> T:
    for _ in range(attempts - 1):
        try:
            return action()
        except TransientError:
            continue
    return action()


def test_100_mib_through_a_link_cut_every_4_to_12_mib_arrives_byte_identical(
    workspace: Workspace, tmp_path: Path
) -> None:
    sandbox = start_sandbox(tmp_path / "portal", max_file_size=200 * MIB)
    proxy = CuttingProxy(sandbox.port, 4 * MIB, 12 * MIB, seed=3)
    try:
        user = register(sandbox.url)
        payload = os.urandom(100 * MIB)
        sha = hashlib.sha256(payload).hexdigest()
        blob = workspace.store.path(sha)
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(payload)
        portal = login_client(proxy.url, user, timeout=30.0)
        body = {
            "procedure_code": "1.002600",
            "procedure_name": "Cấp Chứng chỉ hành nghề dược",
            "agency_code": "SYT-QUANGNGAI",
            "form": {},
            "files": [
                {"file_id": "f1", "name": "big.pdf", "size": len(payload), "sha256": sha,
                 "media_type": "application/pdf"}
            ],
        }  # fmt: skip
        uuid = str(uuidlib.uuid4())
        created = _retrying(lambda: portal.put_dossier(uuid, body))
        offsets: list[int] = []

        def commit(_row: int, offset: int, _complete: bool, _resent: int) -> None:
            offsets.append(offset)

        uploader = Uploader(portal, workspace.store)
        target = FileTarget(1, "f1", "big.pdf", sha, len(payload), created.files[0].upload_url, 0)

        def resume() -> None:
            start = offsets[-1] if offsets else 0
            uploader.upload(
                FileTarget(1, "f1", "big.pdf", sha, len(payload), target.upload_url, start),
                commit,
            )

        _retrying(resume)

        upload_id = target.upload_url.rsplit("/", 1)[1]
        stored = sandbox.config.uploads / f"{upload_id}.part"
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
        assert offsets[-1] == len(payload)
        resent = portal.bytes_sent - len(payload)
        assert proxy.cuts >= 8
        per_cut = resent / proxy.cuts
        print(f"\n100 MiB upload: {proxy.cuts} cuts, {resent} bytes re-sent, {per_cut:.0f}/cut")
        assert per_cut <= MIB
    finally:
        proxy.close()
        sandbox.stop()
