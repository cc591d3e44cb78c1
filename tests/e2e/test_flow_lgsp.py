"""The flow from the command line through the service-style adapter (--adapter lgsp) on
loopback: submit exactly once, the officer acts on the same dossier from the other face,
asks a supplement that the clerk answers from the command line (draft, attach, submit,
sync), status and the signed result come back; payment is refused with a clear sentence."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx

from desktop.paths import Paths
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.lgsp_services import dossier_uuid
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.factory import pdf, valid_dossier
from tests.core.sync.portal import PASSWORD, portal_dossiers, register, supplement_id_of

from .test_flow import cli


def test_submit_follow_and_receive_the_result_through_the_lgsp_face(
    workspace: Workspace, tmp_path: Path
) -> None:
    ids = [valid_dossier(workspace, tmp_path / "f", f"l{i}").id for i in range(2)]
    data = workspace.paths.root
    workspace.close()
    for dossier_id in ids:
        assert cli(data, "submit", str(dossier_id)).returncode == 0

    # A small catalog: the procedure services are tested in tests/core/portal/test_lgsp.py.
    with ThreadedSandbox(SandboxConfig(tmp_path / "portal", catalog_procedures=40)) as sandbox:
        user = register(sandbox.url)
        face = f"{sandbox.url}/lgsp"
        sync = ("sync", "--once", "--portal", face, "--adapter", "lgsp",
                "--username", user, "--password-stdin")  # fmt: skip
        synced = cli(data, *sync, stdin=PASSWORD)
        assert synced.returncode == 0, synced.stderr
        status = json.loads(cli(data, "status", str(ids[0]), "--json").stdout)
        receipt = status["receipt_no"]
        assert status["state"] == "SUBMITTED" and receipt
        assert sorted(r for _u, r in portal_dossiers(sandbox)) == sorted(
            json.loads(cli(data, "status", str(i), "--json").stdout)["receipt_no"] for i in ids
        )

        # The officer works on it through the console (the API v1 side of the store).
        key, uuid = sandbox.secret_headers, dossier_uuid(receipt)
        accepted = httpx.post(f"{sandbox.url}/sandbox/officer/{uuid}/accept", headers=key)
        assert accepted.status_code in (200, 303)
        asked = httpx.post(f"{sandbox.url}/sandbox/officer/{uuid}/supplement",
                           data={"note": "Bổ sung bản sao CCCD"}, headers=key)  # fmt: skip
        assert asked.status_code in (200, 303)

        # The next sync reads the request (DanhSachHoSoBoSung) and opens a draft.
        assert cli(data, *sync, stdin=PASSWORD).returncode == 0
        waiting = json.loads(cli(data, "status", str(ids[0]), "--json").stdout)
        [request] = waiting["supplement_requests"]
        assert request["note"] == "Bổ sung bản sao CCCD" and request["answered_by"] is None
        draft = str(request["draft_dossier_id"])
        extra = tmp_path / "cccd.pdf"
        extra.write_bytes(pdf("bản sao CCCD"))
        attached = cli(data, "dossier", "attach", draft, "TP2", str(extra))
        assert attached.returncode == 0, attached.stderr
        queued = cli(data, "submit", draft, "--json")
        assert queued.returncode == 0, queued.stderr
        assert json.loads(queued.stdout)["kind"] == "supplement"
        answered = cli(data, *sync, stdin=PASSWORD)
        assert answered.returncode == 0, answered.stderr
        assert json.loads(cli(data, "status", draft, "--json").stdout)["state"] == "SUBMITTED"
        ws = Workspace(Paths(data))
        try:
            sid = supplement_id_of(ws, int(draft))
        finally:
            ws.close()
        assert sid is not None
        assert (
            json.loads(cli(data, "status", str(ids[0]), "--json").stdout)["supplement_requests"][0][
                "answered_by"
            ]
            == sid
        )
        # The officer sees the answer in the store (the API v1 side): received, one file.
        conn = sqlite3.connect(sandbox.config.database)
        try:
            assert list(conn.execute("SELECT id, state FROM supplements")) == [(sid, "received")]
            assert conn.execute(
                "SELECT count(*) FROM uploads WHERE supplement_id = ?", (sid,)
            ).fetchone() == (1,)
        finally:
            conn.close()

        finished = httpx.post(f"{sandbox.url}/sandbox/officer/{uuid}/finish",
                              data={"result": "Cấp giấy phép"}, headers=key)  # fmt: skip
        assert finished.status_code in (200, 303)

        again = cli(data, *sync, stdin=PASSWORD)
        assert again.returncode == 0, again.stderr
        assert len(portal_dossiers(sandbox)) == 2, "nothing created twice"
        final = json.loads(cli(data, "status", str(ids[0]), "--json").stdout)
        assert [h["state"] for h in final["history"]] == [1, 2, 5, 4, 9, 10]
        [result] = final["results"]
        assert result["blob_sha256"] and result["name"].endswith(".pdf")

        paid = cli(data, "pay", str(ids[0]), "--portal", face, "--adapter", "lgsp",
                   "--username", user, "--password-stdin", stdin=PASSWORD)  # fmt: skip
        assert paid.returncode != 0
        assert "không hỗ trợ" in paid.stderr and "Traceback" not in paid.stderr
