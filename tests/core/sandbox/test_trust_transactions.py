"""The sandbox trust service keeps its transactions in its data folder: a restart keeps
a request waiting for the phone, and what the phone answered (issue #15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from portal_sandbox.trust_service import Transaction, TrustService

NOW = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def _service(folder: Path) -> TrustService:
    ca = SimpleNamespace(folder=folder, clock=lambda: NOW)
    return TrustService(ca)  # type: ignore[arg-type]


def _tx(tx_id: str) -> Transaction:
    return Transaction(
        id=tx_id,
        user_id="079201000042",
        description="Hồ sơ 7: 2 tệp",
        files=[{"doc_id": "1", "data_to_be_signed": "ab" * 32}],
        created=NOW,
        expires=NOW + timedelta(minutes=5),
    )


def test_a_pending_confirmation_survives_a_restart(tmp_path: Path) -> None:
    first = _service(tmp_path)
    assert first.add(_tx("tx-waiting")) and first.add(_tx("tx-refused"))
    assert not first.add(_tx("tx-waiting"))  # the id is taken
    first.refuse(first.transactions["tx-refused"])
    again = _service(tmp_path)  # the sandbox restarted
    assert again.transactions["tx-waiting"] == first.transactions["tx-waiting"]
    assert again.transactions["tx-waiting"].state == "waiting"
    assert again.transactions["tx-refused"].state == "rejected"
    assert not again.add(_tx("tx-waiting"))


def test_expiry_is_written_and_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    first = _service(tmp_path)
    first.add(_tx("tx-old"))
    tx = first.transactions["tx-old"]
    first.ca.clock = lambda: NOW + timedelta(minutes=6)  # type: ignore[attr-defined]
    first.settle(tx, "http://127.0.0.1")
    assert tx.state == "expired"
    (tmp_path / "remote" / "transactions" / "broken.json").write_text("{", "utf-8")
    again = _service(tmp_path)
    assert list(again.transactions) == ["tx-old"]
    assert again.transactions["tx-old"].state == "expired"
