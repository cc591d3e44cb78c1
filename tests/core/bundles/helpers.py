"""Two workspaces on one machine (a commune without a link, an office with one), the
test PKI's signer as each office's bundle key, and valid dossiers to carry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.paths import Paths
from desktop.signing.keys import SigningKey
from desktop.signing.pkcs12 import load_p12
from desktop.workspace import Workspace
from tests.core.signing.signing_helpers import P12_PASSWORD, Pki, build_pki
from tests.core.sync.factory import valid_dossier


@dataclass
class Pair:
    commune: Workspace
    office: Workspace
    pki: Pki
    folder: Path

    _key: SigningKey | None = None

    def key(self) -> SigningKey:
        if self._key is None:
            self._key = load_p12(self.pki.signer.p12, P12_PASSWORD)
        return self._key

    def ready_dossiers(self, count: int, tag: str = "d") -> list[int]:
        ids = []
        for index in range(count):
            dossier = valid_dossier(self.commune, self.folder / "files", f"{tag}{index}")
            ids.append(self.commune.dossiers.mark_ready(dossier.id).id)
        return ids

    def export(self, ids: list[int], name: str = "xa.dvcb", **kw: object) -> Path:
        target = self.folder / "usb" / name
        target.parent.mkdir(exist_ok=True)
        self.commune.bundles.exporter.export(ids, target, self.key(), **kw)  # type: ignore[arg-type]
        return target

    def fingerprint(self) -> str:
        return self.key().info.sha256


def big_pdf(seed: int, size: int) -> bytes:
    """A real PDF of about `size` bytes that does not compress: a stand-in for a scan."""
    import io
    import random

    from pypdf import PdfWriter

    noise = random.Random(seed).randbytes(size // 2).hex()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": noise})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def bundle_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return build_pki(tmp_path_factory.mktemp("bundle-pki"))


@pytest.fixture
def pair(tmp_path: Path, bundle_pki: Pki) -> Iterator[Pair]:
    commune = Workspace(Paths(tmp_path / "commune"))
    office = Workspace(Paths(tmp_path / "office"))
    yield Pair(commune, office, bundle_pki, tmp_path)
    commune.close()
    office.close()
