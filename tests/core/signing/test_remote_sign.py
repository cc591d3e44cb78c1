"""Remote signing through the sandbox's push-confirmation trust service (issue #15):
the CLI, one confirmation per dossier, every failure the issue lists, and pdfsig /
openssl on the result."""

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
from signing_helpers import closed_port_url, make_pdf
from test_dossier_sign import _ready_dossier
from validators import nss_db, openssl_cms_verify, pdfsig_verdicts

from desktop.signing.verifier import verify_pdf
from desktop.workspace import Workspace
from portal_sandbox.trust_service import SP_ID, SP_PASSWORD

USER = "001090012345"


def stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def faults(sandbox: SandboxPki, **switches: Any) -> None:
    response = httpx.put(f"{sandbox.url}/sandbox/trust/faults", json=switches, headers=sandbox.key)
    assert response.status_code == 200, response.text


@pytest.fixture
def service(
    run_cli, sandbox_pki: SandboxPki, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxPki]:
    """The sandbox configured as the service «sandbox» of the data dir; faults reset."""
    stdin(monkeypatch, SP_PASSWORD)
    added = run_cli(
        "sign-jobs", "service", "add", "sandbox", "--url", f"{sandbox_pki.url}/smartca",
        "--client-id", SP_ID, "--secret-stdin",
    )  # fmt: skip
    assert added.code == 0, added.err
    faults(sandbox_pki, approval="auto")
    yield sandbox_pki
    faults(sandbox_pki)


def sign(run_cli, source: Path, out: Path, *extra: str) -> Any:
    return run_cli(
        "sign", str(source), "-o", str(out), "--remote", "sandbox", "--user", USER,
        "--json", *extra,
    )  # fmt: skip


def jobs(run_cli) -> list[dict[str, Any]]:
    listed = run_cli("sign-jobs", "list", "--json")
    assert listed.code == 0, listed.err
    return json.loads(listed.out)  # type: ignore[no-any-return]


def error_code(result: Any) -> str:
    """The refusal's code (--json); the clerk's sentence is on stderr, no traceback."""
    assert result.code == 1, result.out
    assert result.err.startswith("dvc-desk: ") and "Traceback" not in result.err
    return str(json.loads(result.out)["error"]["code"])


def no_prepared_left(data_dir: Path) -> bool:
    return not list((data_dir / "sign-jobs").glob("*.pdf"))


def test_remote_signature_verifies_with_pdfsig_openssl_and_ours(
    run_cli, service: SandboxPki, tmp_path: Path, data_dir: Path
) -> None:
    source = make_pdf(tmp_path / "don.pdf")
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, source, out, "--visible")
    assert result.code == 0, result.err
    assert json.loads(result.out)["state"] == "DONE"
    verdicts = pdfsig_verdicts(out, nss_db(tmp_path / "nss", service.root_pem))
    assert [(v.valid, v.trusted) for v in verdicts] == [(True, True)], verdicts
    assert openssl_cms_verify(out, service.root_pem, tmp_path / "cms") == [True]
    report = verify_pdf(out, trust=[service.root])
    assert report.ok and USER in report.signatures[0].signer
    assert no_prepared_left(data_dir)


def test_remote_b_t_with_the_sandbox_tsa(run_cli, service: SandboxPki, tmp_path: Path) -> None:
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, make_pdf(tmp_path / "a.pdf"), out, "--tsa", service.tsa)
    assert result.code == 0, result.err
    report = verify_pdf(out, trust=[service.root])
    assert report.ok and report.signatures[0].level == "B-T"


def test_one_confirmation_signs_every_pdf_of_a_dossier(
    run_cli, service: SandboxPki, workspace: Workspace, tmp_path: Path
) -> None:
    files = [make_pdf(tmp_path / f"tep-{i}.pdf") for i in range(3)]
    dossier_id = _ready_dossier(workspace, files)
    before = workspace.dossiers.get(dossier_id)
    faults(service, approval="manual")
    started = run_cli(
        "dossier", "sign", str(dossier_id), "--remote", "sandbox", "--user", USER,
        "--no-wait", "--json",
    )  # fmt: skip
    assert started.code == 0, started.err
    job = json.loads(started.out)
    assert job["state"] == "WAITING" and len(job["files"]) == 3
    twice = run_cli(
        "dossier", "sign", str(dossier_id), "--remote", "sandbox", "--user", USER, "--json"
    )
    assert error_code(twice) == "remote.job_pending"  # one request per dossier at a time
    page = httpx.get(f"{service.url}/sandbox/phone", headers=service.key)
    assert "Điện thoại thử nghiệm" in page.text and job["transaction_id"] in page.text
    approved = httpx.post(
        f"{service.url}/sandbox/phone/{job['transaction_id']}/approve", headers=service.key
    )
    assert approved.status_code in {200, 303}
    waited = run_cli("sign-jobs", "wait", str(job["id"]), "--json")
    assert waited.code == 0, waited.err
    assert json.loads(waited.out)[0]["state"] == "DONE"
    after = workspace.dossiers.get(dossier_id)
    assert after.state == "SIGNED"
    old = {a.sha256 for a in before.attachments}
    for attachment in after.attachments:
        assert attachment.sha256 not in old
        report = verify_pdf(workspace.store.path(attachment.sha256), trust=[service.root])
        assert report.ok


@pytest.mark.parametrize(
    ("switches", "code"),
    [
        ({"approval": "refuse"}, "remote.refused_by_signer"),
        ({"approval": "manual", "expires_in": 1}, "remote.expired"),
        ({"wrong_hash": True}, "remote.bad_signature"),
        ({"other_key": True}, "remote.bad_signature"),
        ({"bad_signature_encoding": True}, "remote.service_garbage"),
    ],
)
def test_a_failed_request_writes_nothing(
    run_cli,
    service: SandboxPki,
    tmp_path: Path,
    data_dir: Path,
    switches: dict[str, Any],
    code: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("desktop.signing.remote.jobs.POLL_SECONDS", 0.3)
    faults(service, approval="auto", **{k: v for k, v in switches.items() if k != "approval"})
    if "approval" in switches:
        faults(service, **switches)
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, make_pdf(tmp_path / "a.pdf"), out)
    assert error_code(result) == code
    assert not out.exists()
    assert no_prepared_left(data_dir)
    assert jobs(run_cli)[0]["error_code"] == code


@pytest.mark.parametrize(
    ("switches", "code"),
    [
        ({"expired_certificate": True}, "signing.cert_expired"),
        ({"garbage": True}, "remote.service_garbage"),
    ],
)
def test_a_refused_certificate_or_garbage_answer_sends_nothing(
    run_cli,
    service: SandboxPki,
    tmp_path: Path,
    data_dir: Path,
    switches: dict[str, Any],
    code: str,
) -> None:
    faults(service, approval="auto", **switches)
    out = tmp_path / "signed.pdf"
    result = sign(run_cli, make_pdf(tmp_path / "a.pdf"), out)
    assert error_code(result) == code
    assert not out.exists() and jobs(run_cli) == []
    assert no_prepared_left(data_dir)


def test_service_down_and_wrong_client_secret(
    run_cli, service: SandboxPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "wrong")
    run_cli(
        "sign-jobs", "service", "add", "wrong", "--url", f"{service.url}/smartca",
        "--client-id", SP_ID, "--secret-stdin",
    )  # fmt: skip
    stdin(monkeypatch, "x")
    run_cli(
        "sign-jobs", "service", "add", "down", "--url", closed_port_url(), "--client-id", SP_ID,
        "--secret-stdin",
    )  # fmt: skip
    source = make_pdf(tmp_path / "a.pdf")
    for name, code in (("wrong", "remote.bad_client"), ("down", "remote.service_down")):
        result = sign(run_cli, source, tmp_path / "o.pdf", "--remote", name)
        assert error_code(result) == code
    unknown = sign(run_cli, source, tmp_path / "o.pdf", "--remote", "nope")
    assert error_code(unknown) == "remote.no_service"


def test_cancel_a_waiting_request(
    run_cli, service: SandboxPki, tmp_path: Path, data_dir: Path
) -> None:
    faults(service, approval="manual")
    out = tmp_path / "signed.pdf"
    started = sign(run_cli, make_pdf(tmp_path / "a.pdf"), out, "--no-wait")
    job = json.loads(started.out)
    cancelled = run_cli("sign-jobs", "cancel", str(job["id"]), "--json")
    assert cancelled.code == 0 and json.loads(cancelled.out)["state"] == "CANCELLED"
    again = run_cli("sign-jobs", "cancel", str(job["id"]), "--json")
    assert error_code(again) == "remote.job_finished"
    assert not out.exists() and no_prepared_left(data_dir)


def test_certs_list_shows_the_remote_certificate(run_cli, service: SandboxPki) -> None:
    listed = run_cli("certs", "list", "--remote", "sandbox", "--user", USER, "--json")
    assert listed.code == 0, listed.err
    row = json.loads(listed.out)[0]
    assert row["source"] == "remote:sandbox" and USER in row["common_name"]
    text = run_cli("certs", "list", "--remote", "sandbox", "--user", USER)
    assert "ký số từ xa, dịch vụ «sandbox»" in text.out
    unknown = run_cli("certs", "list", "--remote", "sandbox", "--user", "abc", "--json")
    assert error_code(unknown) == "remote.no_certificate"


def test_slow_approval_is_waited_for(
    run_cli, service: SandboxPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.signing.remote.jobs.POLL_SECONDS", 0.3)
    faults(service, approval="auto", approve_after_seconds=1.5)
    out = tmp_path / "signed.pdf"
    result = run_cli("sign", str(make_pdf(tmp_path / "a.pdf")), "-o", str(out),
                     "--remote", "sandbox", "--user", USER)  # fmt: skip
    assert result.code == 0, result.err
    assert "Đang chờ xác nhận trên điện thoại (còn 4:5" in result.err
    assert verify_pdf(out, trust=[service.root]).ok


def test_service_down_while_waiting_keeps_the_request(
    run_cli, service: SandboxPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults(service, approval="manual")
    out = tmp_path / "signed.pdf"
    job = json.loads(sign(run_cli, make_pdf(tmp_path / "a.pdf"), out, "--no-wait").out)
    stdin(monkeypatch, SP_PASSWORD)  # the same service moved away: the link is lost
    run_cli("sign-jobs", "service", "add", "sandbox", "--url", closed_port_url(),
            "--client-id", SP_ID, "--secret-stdin")  # fmt: skip
    lost = run_cli("sign-jobs", "wait", str(job["id"]), "--json")
    assert error_code(lost) == "remote.service_down"
    assert jobs(run_cli)[0]["state"] == "WAITING" and not out.exists()
    stdin(monkeypatch, SP_PASSWORD)  # back again: approved on the phone, then completed
    run_cli("sign-jobs", "service", "add", "sandbox", "--url", f"{service.url}/smartca",
            "--client-id", SP_ID, "--secret-stdin")  # fmt: skip
    httpx.post(f"{service.url}/sandbox/phone/{job['transaction_id']}/approve", headers=service.key)
    done = run_cli("sign-jobs", "wait", "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out)[0]["state"] == "DONE" and out.exists()


def test_a_crash_between_two_embeddings_is_completed_without_signing_twice(
    run_cli, service: SandboxPki, workspace: Workspace, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from desktop.settings import REMOTE_SIGNING_SERVICES
    from desktop.signing.remote import jobs as jobs_module
    from desktop.signing.remote.services import find_service

    services = workspace.settings.get(REMOTE_SIGNING_SERVICES)
    remote = jobs_module.open_jobs(workspace.db, workspace.paths.root / "sign-jobs", services)
    items = [(make_pdf(tmp_path / f"{i}.pdf"), tmp_path / f"out-{i}.pdf") for i in range(2)]
    job = remote.start(find_service(services, "sandbox"), USER, items)
    real = jobs_module.finish_pdf
    calls: list[str] = []

    def dies_on_the_second(doc: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(doc.source)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process stops here
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(jobs_module, "finish_pdf", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        remote.poll(job.id)
    assert items[0][1].exists() and not items[1][1].exists()
    assert remote.get(job.id).state == "WAITING"
    monkeypatch.setattr(jobs_module, "finish_pdf", real)
    first = items[0][1].read_bytes()
    assert remote.poll(job.id).state == "DONE"  # after the restart
    assert items[0][1].read_bytes() == first  # not signed a second time
    for _source, out in items:
        report = verify_pdf(out, trust=[service.root])
        assert report.ok and len(report.signatures) == 1


@pytest.mark.parametrize("user_password", ["mở khoá", ""])
def test_a_password_protected_pdf_is_refused_with_the_reason(
    run_cli, service: SandboxPki, tmp_path: Path, user_password: str
) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(make_pdf(tmp_path / "plain.pdf"))))
    writer.encrypt(user_password=user_password, owner_password="chủ", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    result = sign(run_cli, locked, tmp_path / "o.pdf")
    assert error_code(result) == "remote.encrypted"
    assert jobs(run_cli) == [] and not (tmp_path / "o.pdf").exists()


def test_the_sandbox_index_leads_to_the_test_phone(service: SandboxPki) -> None:
    index = httpx.get(f"{service.url}/").text
    assert "href='/sandbox/phone'" in index
    assert (
        "Điện thoại thử nghiệm"
        in httpx.get(f"{service.url}/sandbox/phone", headers=service.key).text
    )
