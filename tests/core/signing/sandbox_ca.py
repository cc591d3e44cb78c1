"""The sandbox portal's CA on 127.0.0.1, for long-term signatures: certificates it issues
name its OCSP responder and CRL; it also runs a timestamp server (portal_sandbox/ca.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

PASSWORD = "mật khẩu sandbox"


@dataclass
class SandboxPki:
    url: str
    root: x509.Certificate
    root_pem: Path
    folder: Path
    key: dict[str, str]  # the per-run key header: the CA page and the phone need it

    def issue(self, name: str) -> tuple[Path, str]:
        """A .p12 from the sandbox CA and its serial (hex)."""
        response = httpx.post(
            f"{self.url}/sandbox/pki/certificates",
            json={"common_name": name, "organisation": "UBND xã Thử", "password": PASSWORD},
            headers=self.key,
        )
        assert response.status_code == 200, response.text
        path = self.folder / f"{response.headers['x-serial']}.p12"
        path.write_bytes(response.content)
        return path, response.headers["x-serial"]

    @property
    def tsa(self) -> str:
        return f"{self.url}/pki/tsa"

    def revoke(self, serial: str) -> None:
        response = httpx.post(
            f"{self.url}/sandbox/pki/certificates/{serial}/revoke", headers=self.key
        )
        assert response.status_code == 204, response.text


@pytest.fixture(scope="session")
def sandbox_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxPki]:
    folder = tmp_path_factory.mktemp("sandbox-pki")
    with ThreadedSandbox(SandboxConfig(folder / "data")) as running:
        pem = httpx.get(f"{running.url}/pki/ca.pem").content
        (folder / "ca.pem").write_bytes(pem)
        yield SandboxPki(
            running.url,
            x509.load_pem_x509_certificate(pem),
            folder / "ca.pem",
            folder,
            running.secret_headers,
        )
