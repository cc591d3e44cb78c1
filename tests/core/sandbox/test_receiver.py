"""Receiving a body to disk: the upload handler's and the benchmark sink's storage."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal_sandbox.receiver import DurableWriter


def test_pieces_are_written_in_order_and_hashed(tmp_path: Path) -> None:
    pieces = [bytes([n % 256]) * (1000 + n) for n in range(300)]  # more than the hash queue holds
    digest = hashlib.sha256()
    with (tmp_path / "f.part").open("wb") as out:
        writer = DurableWriter(out, digest)
        for piece in pieces:
            writer.put(piece)
        writer.finish()
    whole = b"".join(pieces)
    assert (tmp_path / "f.part").read_bytes() == whole
    assert digest.hexdigest() == hashlib.sha256(whole).hexdigest()


def test_a_file_that_cannot_be_synced_is_an_error_and_the_hasher_stops(tmp_path: Path) -> None:
    writer = DurableWriter(io.BytesIO(), hashlib.sha256())  # no file descriptor to fsync
    writer.put(b"abc")
    with pytest.raises(io.UnsupportedOperation):
        writer.finish()
    assert writer._thread is not None and not writer._thread.is_alive()


def test_the_sink_stores_and_optionally_hashes_the_body(api: TestClient) -> None:
    body = bytes(range(256)) * 4096
    plain = api.put("/sandbox/sink", content=body).json()
    hashed = api.put("/sandbox/sink?sha256=true", content=body).json()
    assert plain == {"received": len(body), "sha256": None}
    assert hashed == {"received": len(body), "sha256": hashlib.sha256(body).hexdigest()}
