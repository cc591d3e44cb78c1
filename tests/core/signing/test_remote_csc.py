"""CSC remote signing against a server nobody here wrote (issue #15, item 4): PyPI's
certomancer-csc-dummy on 127.0.0.1, SCAL2 (the SAD bound to the hash), driven by
`dvc-desk sign --remote`; the result verified by pdfsig and openssl cms."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from signing_helpers import make_pdf
from validators import nss_db, openssl_cms_verify, pdfsig_verdicts

from desktop.signing.verifier import verify_pdf
from portal_sandbox.server import free_port

pytest.importorskip("csc_dummy", reason="certomancer-csc-dummy (the test extra)")

CONFIG = """
keysets:
  vn:
    path-prefix: {keys}
    keys:
      root: {{path: root.key.pem}}
      signer: {{path: signer.key.pem}}
pki-architectures:
  vn:
    keyset: vn
    entity-defaults: {{country-name: VN, organization-name: Certomancer thử nghiệm}}
    entities:
      root: {{common-name: Root CA thử nghiệm}}
      signer: {{common-name: NGUYỄN THỊ CSC}}
    certs:
      root:
        subject: root
        subject-key: root
        issuer: root
        authority-key: root
        validity: {{valid-from: "2000-01-01T00:00:00+0000", valid-to: "2500-01-01T00:00:00+0000"}}
        extensions:
          - id: basic_constraints
            critical: true
            value: {{ca: true}}
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}}
      signer:
        issuer: root
        validity: {{valid-from: "2020-01-01T00:00:00+0000", valid-to: "2100-01-01T00:00:00+0000"}}
        extensions:
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [digital_signature, non_repudiation]}}
"""

SERVER = textwrap.dedent(
    """
    import sys
    from aiohttp import web
    from certomancer import registry
    from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams
    app = CSCWithCertomancer(
        registry.CertomancerConfig.from_file(sys.argv[1]),
        service_params=DummyServiceParams(hash_pinning_required=True),
    )
    app.register_routes()
    web.run_app(app.app, host="127.0.0.1", port=int(sys.argv[2]), print=None)
    """
)


@dataclass
class Csc:
    url: str
    root_pem: Path
    root: x509.Certificate


@pytest.fixture(scope="module")
def csc_dummy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Csc]:
    folder = tmp_path_factory.mktemp("csc")
    for name in ("root", "signer"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (folder / f"{name}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    config = folder / "certomancer.yml"
    config.write_text(CONFIG.format(keys=folder), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(config), str(port)])
    url = f"http://127.0.0.1:{port}/csc/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                info = httpx.post(
                    f"{url}/credentials/info",
                    json={"credentialID": "vn/root", "certificates": "single"},
                )
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        der = base64.b64decode(info.json()["cert"]["certificates"][0])
        root = x509.load_der_x509_certificate(der)
        (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
        yield Csc(url, folder / "root.pem", root)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_sign_through_certomancer_csc_dummy_verified_by_pdfsig_and_openssl(
    run_cli, csc_dummy: Csc, memory_keyring: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "client-secret")
    added = run_cli(
        "sign-jobs", "service", "add", "certo", "--kind", "csc", "--url", csc_dummy.url,
        "--client-id", "dvc-desk", "--secret-stdin",
    )  # fmt: skip
    assert added.code == 0, added.err
    out = tmp_path / "signed.pdf"
    _stdin(monkeypatch, "123456")
    signed = run_cli(
        "sign", str(make_pdf(tmp_path / "a.pdf")), "-o", str(out), "--remote", "certo",
        "--user", "vn", "--pin-stdin", "--visible", "--json",
    )  # fmt: skip
    assert signed.code == 0, signed.err + signed.out
    assert json.loads(signed.out)["signer"] == "NGUYỄN THỊ CSC"
    verdicts = pdfsig_verdicts(out, nss_db(tmp_path / "nss", csc_dummy.root_pem))
    assert [(v.valid, v.trusted) for v in verdicts] == [(True, True)], verdicts
    assert openssl_cms_verify(out, csc_dummy.root_pem, tmp_path / "cms") == [True]
    assert verify_pdf(out, trust=[csc_dummy.root]).ok
