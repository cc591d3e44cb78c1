"""Issue #11, "done when": pdfsig, openssl (cms and ts, root only in the trust store) and
`dvc-desk verify` agree on every signature dvc-desk makes, from a .p12 and from a token,
B-B to B-LTA.

B-B and B-T use the test PKI (a signer under an intermediate CA, the intermediate on
the token); B-LT and B-LTA use the sandbox CA, whose certificates name its OCSP
responder and CRL on 127.0.0.1, with the same key imported into a SoftHSM2 token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from sandbox_ca import PASSWORD, SandboxPki
from signing_helpers import P12_PASSWORD, SUB_TOKEN, Pki, Token, add_token, tsa_server
from validators import nss_db, openssl_cms_verify, openssl_ts_verify, pdfsig_verdicts

from desktop.signing.keys import SigningKey
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import SignOptions, sign_pdf
from desktop.signing.tokens import open_token_key
from desktop.signing.verifier import verify_pdf

SANDBOX_TOKEN = "Sandbox CA Token"


@pytest.fixture(scope="module")
def sandbox_token(
    sandbox_pki: SandboxPki, softhsm: Token, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A sandbox-issued identity, as a .p12 and imported into a SoftHSM2 token."""
    p12, _ = sandbox_pki.issue("NGÔ THỊ ĐỒNG Ý")
    loaded = pkcs12.load_pkcs12(p12.read_bytes(), PASSWORD.encode())
    assert loaded.cert is not None and loaded.key is not None
    add_token(
        tmp_path_factory.mktemp("sandbox-token"), SANDBOX_TOKEN, loaded.key,  # type: ignore[arg-type]
        loaded.cert.certificate, sandbox_pki.root,
    )  # fmt: skip
    return p12


@contextmanager
def key_for(source: str, level: str, pki: Pki, softhsm: Token, p12: Path) -> Iterator[SigningKey]:
    long_term = level in ("B-LT", "B-LTA")
    if source == "p12":
        yield load_p12(p12, PASSWORD) if long_term else load_p12(pki.sub_signer.p12, P12_PASSWORD)
        return
    label = SANDBOX_TOKEN if long_term else SUB_TOKEN
    with open_token_key(softhsm.module, softhsm.pin, token_label=label) as key:
        yield key


@contextmanager
def tsa_for(level: str, pki: Pki, sandbox: SandboxPki) -> Iterator[str | None]:
    if level == "B-B":
        yield None
    elif level == "B-T":
        with tsa_server(pki) as url:
            yield url
    else:
        yield sandbox.tsa


@pytest.mark.parametrize("source", ["p12", "token"])
@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_every_validator_agrees(
    level: str,
    source: str,
    pki: Pki,
    softhsm: Token,
    sandbox_pki: SandboxPki,
    sandbox_token: Path,
    pdf: Path,
    tmp_path: Path,
) -> None:
    long_term = level in ("B-LT", "B-LTA")
    root = sandbox_pki.root if long_term else pki.root
    root_pem = sandbox_pki.root_pem if long_term else pki.root_pem
    out = tmp_path / f"{source}-{level}.pdf"
    with (
        tsa_for(level, pki, sandbox_pki) as url,
        key_for(source, level, pki, softhsm, sandbox_token) as key,
    ):
        result = sign_pdf(pdf, out, key, SignOptions(tsa_url=url, level=level))
    assert result.level == level
    report = verify_pdf(out, [root])
    ours: list[Any] = [(s.ok and s.trusted) for s in report.signatures]
    assert report.signatures[0].level == level
    nss = nss_db(tmp_path / "nss", root_pem)
    poppler = [(v.valid and v.trusted) for v in pdfsig_verdicts(out, nss)]
    cms = openssl_cms_verify(out, root_pem, tmp_path / "cms")
    stamps = openssl_ts_verify(out, root_pem, tmp_path / "ts")
    signatures = 2 if level == "B-LTA" else 1
    assert ours == [True] * signatures, report
    assert poppler[:1] == [True], pdfsig_verdicts(out, nss)[0].text
    assert cms[:1] == [True]
    timestamps = {"B-B": 0, "B-T": 1, "B-LT": 1, "B-LTA": 2}[level]
    assert stamps == [True] * timestamps
