"""Two workspaces on one machine (a commune without a link, an office with one), the
test PKI's signer as each office's bundle key, and valid dossiers to carry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.bundles import records
from desktop.paths import Paths
from desktop.signing.keys import SigningKey
from desktop.signing.pkcs12 import load_p12
from desktop.storage.outbox_models import (
    OutboxItem,
    PortalFee,
    PortalHistory,
    PortalStatus,
    ResultDocument,
    SupplementRequestRow,
)
from desktop.sync.items import DONE
from desktop.workspace import Workspace
from tests.core.signing.signing_helpers import P12_PASSWORD, Pki, build_pki
from tests.core.sync.factory import pdf, valid_dossier


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


def submitted_at_office(
    pair: Pair, dossier_id: int, receipt: str, result_pdf: bytes | None = None
) -> None:
    """What the office's engine and poller write for a submitted, finished dossier (its
    result `result_pdf`, a small PDF unless given)."""
    ws, now = pair.office, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    result = pair.folder / f"{receipt}.pdf"
    result.write_bytes(result_pdf or pdf(f"ket qua {receipt}"))
    blob = ws.store.put(result, accepted=("application/pdf",))
    with ws.db.session() as session:
        item = session.query(OutboxItem).filter_by(dossier_id=dossier_id).one()
        item.state, item.receipt_no, item.submitted_at = DONE, receipt, now
        session.add(PortalStatus(dossier_id=dossier_id, uuid=item.uuid, state=10,
                                 state_name="Đã trả kết quả", receipt_no=receipt,
                                 portal_updated_at=now, polled_at=now))  # fmt: skip
        for state, name in ((1, "Mới đăng ký"), (2, "Được tiếp nhận"), (10, "Đã trả kết quả")):
            session.add(PortalHistory(dossier_id=dossier_id, state=state, state_name=name, at=now))
        session.add(PortalFee(dossier_id=dossier_id, fee_id="le-phi", description="Lệ phí",
                              amount=100000, paid=False))  # fmt: skip
        session.add(SupplementRequestRow(dossier_id=dossier_id, request_id="bs1",
                                         note="Bổ sung bản sao CCCD", requested_at=now,
                                         answered_by="s9"))  # fmt: skip
        session.add(ResultDocument(dossier_id=dossier_id, result_id="r1", name=f"{receipt}.pdf",
                                   sha256=blob.sha256, size=blob.size, blob_sha256=blob.sha256,
                                   signature_valid=True, signature_detail="ok"))  # fmt: skip


def commune_id(ws: Workspace) -> str:
    with ws.db.session() as session:
        return records.workspace_id(session, datetime.now(UTC))


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
