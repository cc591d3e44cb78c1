"""Remote signing at PAdES B-LT / B-LTA (issue #15): the validation data of the remote
certificate's chain, fetched from the sandbox CA's OCSP/CRL on 127.0.0.1, and for B-LTA a
document timestamp, added after the service's signature is embedded; the level is kept
with the durable job, so a restart completes at the same level. Checked by pdfsig and our
verifier, as the local long-term tests are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_ca import SandboxPki
from signing_helpers import make_pdf
from test_remote_csc_sandbox import csc
from test_remote_sign import USER, error_code, faults, jobs, no_prepared_left, service, sign
from validators import nss_db, pdfsig_verdicts

from desktop.signing.verifier import verify_pdf
from desktop.workspace import Workspace

__all__ = ["csc", "service"]  # the fixtures, shared with test_remote_sign / _csc_sandbox


def _long_term_ok(out: Path, level: str, sandbox: SandboxPki, nss: Path) -> None:
    report = verify_pdf(out, trust=[sandbox.root])
    assert report.ok, report
    first = report.signatures[0]
    assert first.level == level and first.trusted and USER in first.signer
    kinds = [s.kind for s in report.signatures]
    assert kinds == (["signature", "document_timestamp"] if level == "B-LTA" else ["signature"])
    verdicts = pdfsig_verdicts(out, nss_db(nss, sandbox.root_pem))
    assert verdicts[0].valid and verdicts[0].trusted, verdicts[0].text


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_remote_long_term_signature_verifies_with_pdfsig_and_ours(
    run_cli, service: SandboxPki, tmp_path: Path, data_dir: Path, level: str
) -> None:
    out = tmp_path / "signed.pdf"
    result = sign(
        run_cli, make_pdf(tmp_path / "don.pdf"), out, "--tsa", service.tsa, "--level", level,
        "--visible",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["state"] == "DONE"
    _long_term_ok(out, level, service, tmp_path / "nss")
    assert no_prepared_left(data_dir)


def test_long_term_without_a_timestamp_server_is_refused_before_the_request(
    run_cli, service: SandboxPki, tmp_path: Path
) -> None:
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, make_pdf(tmp_path / "a.pdf"), out, "--level", "B-LT")
    assert error_code(result) == "signing.level_needs_tsa"
    assert not out.exists() and jobs(run_cli) == []


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_a_restart_completes_the_job_at_its_level(
    run_cli, service: SandboxPki, workspace: Workspace, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, level: str,
) -> None:  # fmt: skip
    """The level lives in the job's stored documents; the first process dies after the
    DSS was appended (before the file reached its output); the next one starts again from
    the prepared bytes and writes one DSS, at the same level."""
    from desktop.settings import REMOTE_SIGNING_SERVICES
    from desktop.signing.remote import deferred
    from desktop.signing.remote import jobs as jobs_module
    from desktop.signing.remote.services import find_service
    from desktop.signing.signer import SignOptions

    faults(service, approval="manual")
    services = workspace.settings.get(REMOTE_SIGNING_SERVICES)
    folder = workspace.paths.root / "sign-jobs"
    first = jobs_module.open_jobs(workspace.db, folder, services, (service.root,))
    out = tmp_path / "out.pdf"
    options = SignOptions(tsa_url=service.tsa, level=level, trust=(service.root,))
    job = first.start(
        find_service(services, "sandbox"), USER, [(make_pdf(tmp_path / "a.pdf"), out)], options
    )
    assert job.state == "WAITING"
    approved = httpx.post(
        f"{service.url}/sandbox/phone/{job.transaction_id}/approve", headers=service.key
    )
    assert approved.status_code in {200, 303}
    real = deferred.add_long_term

    def dies_after_the_dss(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise KeyboardInterrupt  # the process stops before the file is moved

    monkeypatch.setattr(deferred, "add_long_term", dies_after_the_dss)
    with pytest.raises(KeyboardInterrupt):
        first.poll(job.id)
    assert not out.exists() and first.get(job.id).state == "WAITING"
    monkeypatch.setattr(deferred, "add_long_term", real)
    # After the restart: a new jobs object, no options given: the job knows its level.
    again = jobs_module.open_jobs(workspace.db, folder, services, (service.root,))
    assert again.poll(job.id).state == "DONE"
    _long_term_ok(out, level, service, tmp_path / "nss")
    assert out.read_bytes().count(b"/DSS") == 1


def test_a_revoked_remote_certificate_gets_no_long_term_signature(
    run_cli, service: SandboxPki, tmp_path: Path
) -> None:
    """Hard-fail revocation checking, as local B-LT: refused with the clerk's sentence
    before the signer is asked anything; no job, nothing written. (A signer of its own:
    the sandbox is shared by the tests.)"""
    user = "001090077777"
    listed = run_cli("certs", "list", "--remote", "sandbox", "--user", user, "--json")
    assert listed.code == 0, listed.err
    service.revoke(json.loads(listed.out)[0]["serial"])
    out = tmp_path / "signed.pdf"
    result = run_cli(
        "sign", str(make_pdf(tmp_path / "a.pdf")), "-o", str(out), "--remote", "sandbox",
        "--user", user, "--tsa", service.tsa, "--level", "B-LT", "--json",
    )  # fmt: skip
    assert error_code(result) == "signing.cert_revoked"
    assert not out.exists()
    assert jobs(run_cli) == []
    phone = httpx.get(f"{service.url}/sandbox/phone", headers=service.key).text
    assert user not in phone


def test_csc_long_term_signature_verifies_with_pdfsig_and_ours(
    run_cli, csc: SandboxPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSC credential is a key like a .p12's: `--level B-LTA` through the sandbox CSC v2."""
    from test_remote_csc_sandbox import USER as CSC_USER
    from test_remote_csc_sandbox import stdin

    from portal_sandbox.trust_csc import SANDBOX_PIN

    out = tmp_path / "signed.pdf"
    stdin(monkeypatch, SANDBOX_PIN)
    result = run_cli(
        "sign", str(make_pdf(tmp_path / "a.pdf")), "-o", str(out), "--remote", "csc",
        "--user", CSC_USER, "--pin-stdin", "--tsa", csc.tsa, "--level", "B-LTA", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    report = verify_pdf(out, trust=[csc.root])
    assert report.ok and [s.level for s in report.signatures] == ["B-LTA", "B-LTA"], report
    verdicts = pdfsig_verdicts(out, nss_db(tmp_path / "nss", csc.root_pem))
    assert verdicts[0].valid and verdicts[0].trusted, verdicts[0].text
