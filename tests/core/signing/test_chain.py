"""Issue #11 (1): signatures carry the CA chain, whatever holds the key.

A recipient who trusts only the root must be able to build the path: the intermediate
comes from the token's own certificates, the .p12's, or the data dir's trust folder.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from signing_helpers import P12_PASSWORD, SUB_TOKEN, Pki, Token
from validators import nss_db, openssl_cms_verify, pdfsig_verdicts

from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import sign_pdf
from desktop.signing.tokens import open_token_key
from desktop.signing.verifier import verify_pdf
from tests.pki import write_p12


def embedded_subjects(path: Path) -> set[str]:
    with path.open("rb") as handle:
        [sig] = PdfFileReader(handle, strict=False).embedded_signatures
        return {c.chosen.subject.human_friendly for c in sig.signed_data["certificates"]}


def test_token_signature_carries_the_intermediate_from_the_token(
    pki: Pki, softhsm: Token, pdf: Path, tmp_path: Path
) -> None:
    out = tmp_path / "token.pdf"
    with open_token_key(softhsm.module, softhsm.pin, token_label=SUB_TOKEN) as key:
        assert [c.subject for c in key.chain] == [pki.intermediate.subject]
        sign_pdf(pdf, out, key)
    assert any("Test Issuing CA" in s for s in embedded_subjects(out))
    [sig] = verify_pdf(out, [pki.root]).signatures
    assert sig.ok and sig.trusted, sig.problems
    [poppler] = pdfsig_verdicts(out, nss_db(tmp_path / "nss", pki.root_pem))
    assert poppler.valid and poppler.trusted, poppler.text
    assert openssl_cms_verify(out, pki.root_pem, tmp_path / "cms") == [True]


def test_p12_and_token_with_the_same_certificate_give_the_same_verdicts(
    pki: Pki, softhsm: Token, pdf: Path, tmp_path: Path
) -> None:
    from_p12 = tmp_path / "p12.pdf"
    sign_pdf(pdf, from_p12, load_p12(pki.sub_signer.p12, P12_PASSWORD))
    from_token = tmp_path / "token.pdf"
    with open_token_key(softhsm.module, softhsm.pin, token_label=SUB_TOKEN) as key:
        sign_pdf(pdf, from_token, key)
    nss = nss_db(tmp_path / "nss", pki.root_pem)
    verdicts = []
    for out in (from_p12, from_token):
        [ours] = verify_pdf(out, [pki.root]).signatures
        [poppler] = pdfsig_verdicts(out, nss)
        verdicts.append(
            (ours.ok, ours.trusted, poppler.valid, poppler.trusted,
             openssl_cms_verify(out, pki.root_pem, tmp_path / out.stem))
        )  # fmt: skip
    assert verdicts[0] == verdicts[1] == (True, True, True, True, [True])


def test_intermediate_from_the_trust_folder_completes_a_bare_p12(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "bare.p12"
    write_p12(bare, pki.sub_signer.key, pki.sub_signer.cert, None, password=None)
    (data_dir / "trust").mkdir(parents=True, exist_ok=True)
    (data_dir / "trust" / "issuing-ca.pem").write_bytes(pki.intermediate_pem.read_bytes())
    out = tmp_path / "o.pdf"
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    result = run_cli("sign", str(pdf), "-o", str(out), "--p12", str(bare), "--password-stdin")
    assert result.code == 0, result.err
    assert any("Test Issuing CA" in s for s in embedded_subjects(out))
    assert openssl_cms_verify(out, pki.root_pem, tmp_path / "cms") == [True]
