"""The sandbox's CSC API v2 (portal_sandbox/trust_csc.py) through `sign --remote` and
`dossier sign --remote`: the certificate comes from the sandbox CA, the PIN is checked,
and a wrong answer (another hash, another key, an expired certificate) writes nothing."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_ca import SandboxPki
from signing_helpers import make_pdf
from test_dossier_sign import _ready_dossier
from validators import nss_db, pdfsig_verdicts

from desktop.signing.verifier import verify_pdf
from desktop.workspace import Workspace
from portal_sandbox.trust_csc import SANDBOX_PIN
from portal_sandbox.trust_service import SP_ID, SP_PASSWORD

USER = "001190054321"


def stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def faults(sandbox: SandboxPki, **switches: Any) -> None:
    assert (
        httpx.put(
            f"{sandbox.url}/sandbox/trust/faults", json=switches, headers=sandbox.key
        ).status_code
        == 200
    )


@pytest.fixture
def csc(
    run_cli, sandbox_pki: SandboxPki, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxPki]:
    stdin(monkeypatch, SP_PASSWORD)
    added = run_cli(
        "sign-jobs", "service", "add", "csc", "--kind", "csc", "--url",
        f"{sandbox_pki.url}/csc/v2", "--client-id", SP_ID, "--secret-stdin",
    )  # fmt: skip
    assert added.code == 0, added.err
    faults(sandbox_pki)
    yield sandbox_pki
    faults(sandbox_pki)


def sign(run_cli, monkeypatch: pytest.MonkeyPatch, source: Path, out: Path, pin: str) -> Any:
    stdin(monkeypatch, pin)
    return run_cli(
        "sign", str(source), "-o", str(out), "--remote", "csc", "--user", USER, "--pin-stdin",
        "--json",
    )  # fmt: skip


def error_code(result: Any) -> str:
    assert result.code == 1, result.out
    assert result.err.startswith("dvc-desk: ") and "Traceback" not in result.err
    return str(json.loads(result.out)["error"]["code"])


def test_csc_v2_signature_verifies_with_pdfsig(
    run_cli, csc: SandboxPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, monkeypatch, make_pdf(tmp_path / "a.pdf"), out, SANDBOX_PIN)
    assert result.code == 0, result.err
    verdicts = pdfsig_verdicts(out, nss_db(tmp_path / "nss", csc.root_pem))
    assert [(v.valid, v.trusted) for v in verdicts] == [(True, True)], verdicts


@pytest.mark.parametrize(
    ("switches", "pin", "code"),
    [
        ({}, "000000", "remote.wrong_otp"),
        ({"wrong_hash": True}, SANDBOX_PIN, "remote.bad_signature"),
        ({"other_key": True}, SANDBOX_PIN, "remote.bad_signature"),
        ({"expired_certificate": True}, SANDBOX_PIN, "signing.cert_expired"),
        ({"garbage": True}, SANDBOX_PIN, "remote.service_garbage"),
    ],
)
def test_csc_refusals_write_nothing(
    run_cli,
    csc: SandboxPki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    switches: dict[str, Any],
    pin: str,
    code: str,
) -> None:
    faults(csc, **switches)
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, monkeypatch, make_pdf(tmp_path / "a.pdf"), out, pin)
    assert error_code(result) == code
    assert not out.exists() and not list(tmp_path.glob(".signing-*"))


def test_csc_wrong_client_secret(
    run_cli, csc: SandboxPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "not the secret")
    run_cli(
        "sign-jobs", "service", "add", "csc", "--kind", "csc", "--url", f"{csc.url}/csc/v2",
        "--client-id", SP_ID, "--secret-stdin",
    )  # fmt: skip
    result = sign(run_cli, monkeypatch, make_pdf(tmp_path / "a.pdf"), tmp_path / "o.pdf", "1")
    assert error_code(result) == "remote.bad_client"


def test_dossier_signed_at_a_csc_service_with_one_pin(
    run_cli, csc: SandboxPki, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [make_pdf(tmp_path / f"t{i}.pdf") for i in range(2)]
    dossier_id = _ready_dossier(workspace, files)
    stdin(monkeypatch, SANDBOX_PIN)
    result = run_cli(
        "dossier", "sign", str(dossier_id), "--remote", "csc", "--user", USER, "--pin-stdin",
    )  # fmt: skip
    assert result.code == 0, result.err
    dossier = workspace.dossiers.get(dossier_id)
    assert dossier.state == "SIGNED"
    for attachment in dossier.attachments:
        assert verify_pdf(workspace.store.path(attachment.sha256), trust=[csc.root]).ok
