"""`dossier sign`: every PDF of a READY dossier signed into new blobs, all or nothing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from signing_helpers import P12_PASSWORD, Pki, make_pdf

from desktop.signing.pkcs12 import load_p12
from desktop.signing.verifier import verify_pdf
from desktop.storage import models
from desktop.workspace import Workspace
from tests.pki import write_p12

PROCEDURE = "TEST-SIGN"


def _catalog(workspace: Workspace) -> None:
    with workspace.db.session() as session:
        session.add(models.Agency(code="TEST.UB", name="UBND xã (thử nghiệm)"))
        session.add(models.Field(code="HT", name="Hộ tịch"))
        session.flush()
        session.add(
            models.Procedure(
                key=PROCEDURE,
                code="9.999777",
                name="Đăng ký khai sinh (thử nghiệm)",
                agency_code="TEST.UB",
                field_code="HT",
            )
        )
        session.flush()
        for position, code in enumerate(("TP1", "TP2")):
            session.add(
                models.ProcedureComponent(
                    procedure_key=PROCEDURE,
                    code=code,
                    position=position,
                    name=f"Thành phần {code}",
                    required=False,
                    accepted_types=[],
                    max_size=None,
                    case=None,
                )
            )


def _ready_dossier(workspace: Workspace, files: list[Path]) -> int:
    _catalog(workspace)
    service = workspace.dossiers
    dossier = service.create(PROCEDURE)
    service.attach(dossier.id, "TP1", files)
    service.transition(dossier.id, "READY", "test")
    return dossier.id


def _certified(pki: Pki, tmp_path: Path) -> Path:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key = load_p12(pki.signer.p12, P12_PASSWORD)
    target = tmp_path / "certified.pdf"
    meta = signers.PdfSignatureMetadata(
        field_name="Cert", certify=True, docmdp_permissions=fields.MDPPerm.NO_CHANGES
    )
    with make_pdf(tmp_path / "c.pdf").open("rb") as src, target.open("wb") as out:
        signers.PdfSigner(meta, signer=key.pyhanko_signer()).sign_pdf(
            IncrementalPdfFileWriter(src), output=out
        )
    return target


def test_dossier_sign_stores_new_blobs_and_keeps_the_originals(
    run_cli, workspace: Workspace, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [make_pdf(tmp_path / "don.pdf"), make_pdf(tmp_path / "to-khai.pdf", pages=1)]
    dossier_id = _ready_dossier(workspace, files)
    before = {a.name: a.sha256 for a in workspace.dossiers.get(dossier_id).attachments}
    workspace.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    result = run_cli("dossier", "sign", str(dossier_id), "--p12", str(pki.signer.p12),
                     "--password-stdin", "--visible", "--json")  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["state"] == "SIGNED"
    again = Workspace(workspace.paths)
    try:
        dossier = again.dossiers.get(dossier_id)
        assert dossier.state == "SIGNED"
        for attachment in dossier.attachments:
            assert attachment.sha256 != before[attachment.name]
            assert again.store.path(before[attachment.name]).exists()  # original kept
            assert verify_pdf(again.store.path(attachment.sha256), [pki.root]).ok
        assert "Ký số 2 tệp PDF" in again.dossiers.history(dossier_id)[-1].note
        assert not list(again.paths.tmp.glob("sign-*"))
    finally:
        again.close()


def test_one_unsignable_file_leaves_the_dossier_unchanged(
    workspace: Workspace, pki: Pki, tmp_path: Path
) -> None:
    from desktop.dossier.sign import DossierSigning
    from desktop.errors import UserError

    files = [make_pdf(tmp_path / "don.pdf"), _certified(pki, tmp_path)]
    dossier_id = _ready_dossier(workspace, files)
    dossier = workspace.dossiers.get(dossier_id)
    signing = DossierSigning(workspace.db, workspace.store, workspace.paths.tmp, workspace.events)
    with pytest.raises(UserError) as caught:
        signing.sign(dossier, load_p12(pki.signer.p12, P12_PASSWORD))
    assert caught.value.code == "dossier.sign_incomplete"
    assert "certified.pdf" in caught.value.message()
    # The file is named as the clerk knows it, never by its place in the store (#21).
    assert str(workspace.paths.blobs) not in caught.value.message()
    assert "pdf.locked" in {p.code for p in workspace.dossiers.validate(dossier_id)}
    after = workspace.dossiers.get(dossier_id)
    assert after.state == "READY" and after.attachments == dossier.attachments
    assert not list(workspace.paths.tmp.glob("sign-*"))


def test_draft_dossier_cannot_be_signed(workspace: Workspace, pki: Pki, tmp_path: Path) -> None:
    from desktop.dossier.sign import DossierSigning
    from desktop.errors import UserError

    _catalog(workspace)
    dossier = workspace.dossiers.create(PROCEDURE)
    workspace.dossiers.attach(dossier.id, "TP1", [make_pdf(tmp_path / "a.pdf")])
    signing = DossierSigning(workspace.db, workspace.store, workspace.paths.tmp, workspace.events)
    with pytest.raises(UserError) as caught:
        signing.sign(workspace.dossiers.get(dossier.id), load_p12(pki.signer.p12, P12_PASSWORD))
    assert caught.value.code == "dossier.illegal_transition"


def test_dossier_sign_with_a_token(
    run_cli, workspace: Workspace, pki: Pki, softhsm, tmp_path: Path, monkeypatch
) -> None:
    from signing_helpers import TOKEN_LABEL

    dossier_id = _ready_dossier(workspace, [make_pdf(tmp_path / "don.pdf")])
    workspace.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(softhsm.pin + "\n"))
    result = run_cli("dossier", "sign", str(dossier_id), "--pkcs11", softhsm.module,
                     "--token", TOKEN_LABEL, "--pin-stdin")  # fmt: skip
    assert result.code == 0, result.err
    assert "Đã ký số hồ sơ" in result.out
    again = Workspace(workspace.paths)
    try:
        [attachment] = again.dossiers.get(dossier_id).attachments
        assert verify_pdf(again.store.path(attachment.sha256), [pki.root]).ok
    finally:
        again.close()


def test_dossier_sign_progress_names_the_files(
    run_cli, workspace: Workspace, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #11, item 8: progress shows the clerk's file names, not blob hashes."""
    files = [make_pdf(tmp_path / "don.pdf"), make_pdf(tmp_path / "to-khai.pdf", pages=1)]
    dossier_id = _ready_dossier(workspace, files)
    hashes = [a.sha256 for a in workspace.dossiers.get(dossier_id).attachments]
    workspace.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    result = run_cli("dossier", "sign", str(dossier_id), "--p12", str(pki.signer.p12),
                     "--password-stdin")  # fmt: skip
    assert result.code == 0, result.err
    assert "ký 1/2: don.pdf" in result.err and "ký 2/2: to-khai.pdf" in result.err
    assert not any(h[:12] in result.err for h in hashes)


def test_dossier_signing_completes_the_chain_from_the_trust_folder(
    workspace: Workspace, pki: Pki, tmp_path: Path
) -> None:
    """Issue #11 (1): the signing dialog and `dossier sign` pass the trust folder, whose
    intermediate completes a .p12 that carries none."""
    from validators import openssl_cms_verify

    from desktop.dossier.sign import DossierSigning

    bare = tmp_path / "bare.p12"
    write_p12(bare, pki.sub_signer.key, pki.sub_signer.cert, None, password=P12_PASSWORD)
    dossier_id = _ready_dossier(workspace, [make_pdf(tmp_path / "don.pdf")])
    signing = DossierSigning(
        workspace.db, workspace.store, workspace.paths.tmp, workspace.events, [pki.intermediate]
    )
    report = signing.sign(workspace.dossiers.get(dossier_id), load_p12(bare, P12_PASSWORD))
    [attachment] = report.dossier.attachments
    signed = workspace.store.path(attachment.sha256)
    assert openssl_cms_verify(signed, pki.root_pem, tmp_path / "cms") == [True]
