"""Two workspaces on one machine: a commune without a link and the office that has one.

The commune hands two signed-off dossiers over on a "USB stick" (a folder); the office
imports them (trusting the commune's signer explicitly) and its normal engine submits them
to the sandbox portal exactly once, even when the same bundle is imported again; the
officer finishes one with a signed result; the office exports the returns and the commune
imports them and sees the receipts, the history and the result — all from the command
line, as a clerk would.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import hashes

from desktop.paths import Paths
from desktop.workspace import Workspace
from portal_sandbox.server import ThreadedSandbox
from tests.core.signing.signing_helpers import P12_PASSWORD, build_pki, build_token
from tests.core.sync.factory import valid_dossier
from tests.core.sync.portal import PASSWORD, portal_dossiers, register, start_sandbox
from tests.e2e.test_flow import cli


def _sync(data: Path, sandbox: ThreadedSandbox, user: str) -> None:
    done = cli(data, "sync", "--once", "--portal", sandbox.url, "--username", user,
               "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_commune_to_office_to_portal_and_back(tmp_path: Path) -> None:
    pki = build_pki(tmp_path / "pki")
    commune, office, usb = tmp_path / "commune", tmp_path / "office", tmp_path / "usb"
    usb.mkdir()
    ws = Workspace(Paths(commune))
    ids = [ws.dossiers.mark_ready(valid_dossier(ws, tmp_path / "f", f"x{i}").id).id
           for i in range(2)]  # fmt: skip
    ws.close()

    exported = cli(commune, "bundle", "export", "--dossiers", ",".join(map(str, ids)),
                   "-o", str(usb / "xa-an-phu.dvcb"), "--p12", str(pki.signer.p12),
                   "--password-stdin", "--json", stdin=P12_PASSWORD)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    uuids = set(json.loads(exported.stdout)["uuids"])
    commune_id = cli(commune, "bundle", "id").stdout.strip()
    for dossier_id in ids:
        shown = json.loads(cli(commune, "dossier", "show", str(dossier_id), "--json").stdout)
        assert shown["state"] == "HANDED_OVER", shown

    untrusted = cli(office, "bundle", "import", str(usb / "xa-an-phu.dvcb"))
    assert untrusted.returncode == 1
    assert "chưa tin chữ ký này" in untrusted.stderr and "gồm 2 hồ sơ" in untrusted.stderr
    fingerprint = pki.signer.cert.fingerprint(hashes.SHA256()).hex()
    imported = cli(office, "bundle", "import", str(usb / "xa-an-phu.dvcb"),
                   "--trust-signer", fingerprint[:16])  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "Đã nhận 2 hồ sơ vào hàng chờ gửi" in imported.stdout

    sandbox = start_sandbox(tmp_path / "portal")
    try:
        user = register(sandbox.url)
        _sync(office, sandbox, user)
        again = cli(office, "bundle", "import", str(usb / "xa-an-phu.dvcb"))
        assert again.returncode == 0 and "không có gì thay đổi" in again.stdout
        _sync(office, sandbox, user)
        on_portal = dict(portal_dossiers(sandbox))
        assert set(on_portal) == uuids, "each dossier exactly once, under the commune's uuid"
        assert all(on_portal.values())

        finished = sorted(uuids)[0]
        for action, form in (("accept", {}), ("finish", {"result": "Cấp chứng chỉ hành nghề"})):
            response = httpx.post(f"{sandbox.url}/sandbox/officer/{finished}/{action}",
                                  data=form, headers=sandbox.secret_headers,
                                  timeout=10)  # fmt: skip
            assert response.status_code < 400, response.text
        _sync(office, sandbox, user)
    finally:
        sandbox.stop()

    returns = cli(office, "bundle", "export", "--returns-for", commune_id,
                  "-o", str(usb / "tra-ve.dvcb"), "--p12", str(pki.ec_signer.p12),
                  "--password-stdin", stdin=P12_PASSWORD)  # fmt: skip
    assert returns.returncode == 0, returns.stderr
    office_signer = pki.ec_signer.cert.fingerprint(hashes.SHA256()).hex()
    back = cli(commune, "bundle", "import", str(usb / "tra-ve.dvcb"),
               "--trust-signer", office_signer)  # fmt: skip
    assert back.returncode == 0, back.stderr
    assert "Đã cập nhật 2 hồ sơ" in back.stdout

    statuses = [json.loads(cli(commune, "status", str(i), "--json").stdout) for i in ids]
    assert {s["state"] for s in statuses} == {"SUBMITTED"}
    assert {s["receipt_no"] for s in statuses} == set(on_portal.values())
    done = next(s for s in statuses if s["portal_state"] == 10)
    assert [h["state"] for h in done["history"]][:2] == [1, 2]
    assert done["results"] and done["results"][0]["name"].startswith("ket-qua-")
    assert done["results"][0]["blob_sha256"]
    text = cli(commune, "status", str(ids[0])).stdout
    assert "Số biên nhận" in text


def test_a_bundle_signed_with_a_token_key(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The bundle key can come from a PKCS#11 token (SoftHSM2 stands in for a USB token)."""
    pki = build_pki(tmp_path / "pki")
    previous = os.environ.get("SOFTHSM2_CONF")
    token = build_token(tmp_path / "softhsm", pki)  # sets SOFTHSM2_CONF in this process
    conf = os.environ["SOFTHSM2_CONF"]
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF")
    else:
        os.environ["SOFTHSM2_CONF"] = previous
    monkeypatch.setenv("SOFTHSM2_CONF", conf)  # for the children only, undone after the test
    commune, office = tmp_path / "commune", tmp_path / "office"
    ws = Workspace(Paths(commune))
    dossier_id = ws.dossiers.mark_ready(valid_dossier(ws, tmp_path / "f", "t").id).id
    ws.close()
    bundle = tmp_path / "token.dvcb"
    exported = cli(commune, "bundle", "export", "--dossiers", str(dossier_id), "-o", str(bundle),
                   "--pkcs11", token.module, "--token", token.label, "--pin-stdin",
                   stdin=token.pin)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    fingerprint = pki.signer.cert.fingerprint(hashes.SHA256()).hex()
    imported = cli(office, "bundle", "import", str(bundle), "--trust-signer", fingerprint)
    assert imported.returncode == 0, imported.stderr
    assert "Đã nhận 1 hồ sơ" in imported.stdout
