"""The signed file's bytes before the new revision are the original's (signer._SourceHash).

The original is hashed on a helper thread while it is copied and signed; the output
check waits for that hash. A copy that differs from the original is refused, and a
refusal leaves neither a file nor a helper thread behind.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import IO

import pytest
from signing_helpers import P12_PASSWORD, Pki

from desktop.errors import UserError
from desktop.signing import signer
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import sign_pdf


def _helpers_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name in {"sign-hash", "sign-sync"}]


def test_a_copy_that_differs_from_the_original_is_refused(
    pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_bytes = signer._copy_bytes

    def corrupt(src: IO[bytes], target: IO[bytes], size: int) -> None:
        copy_bytes(src, target, size)
        target.seek(0)
        at = target.read(size).index(b"/Producer (pypdf)")  # a PDF that still parses
        target.seek(at)
        target.write(b"/Producer (pypdX)")
        target.seek(size)

    monkeypatch.setattr(signer, "_copy_bytes", corrupt)
    out = tmp_path / "out" / "signed.pdf"
    with pytest.raises(UserError) as caught:
        sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD))
    assert caught.value.code == "signing.output_invalid"
    assert list(out.parent.iterdir()) == []
    assert _helpers_alive() == []


def test_a_failed_signing_stops_the_helper_threads(
    pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> str:
        raise UserError(signer.E_SIGN_FAILED_LIBRARY, path=str(pdf))

    monkeypatch.setattr(signer, "_run_job", refuse)
    out = tmp_path / "out" / "signed.pdf"
    with pytest.raises(UserError):
        sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD))
    assert list(out.parent.iterdir()) == []
    assert _helpers_alive() == []


def test_the_output_is_fsynced_after_the_signature_is_written(
    pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The early fsync of the copy runs beside pyHanko; the last one, on the main
    thread, comes after the whole signed file is written and before the rename."""
    synced: list[tuple[str, int]] = []
    fsync = signer.os.fsync

    def record(fd: int) -> None:
        fsync(fd)
        synced.append((threading.current_thread().name, signer.os.fstat(fd).st_size))

    monkeypatch.setattr(signer.os, "fsync", record)
    out = tmp_path / "signed.pdf"
    sign_pdf(pdf, out, load_p12(pki.signer.p12, P12_PASSWORD))
    main = [size for name, size in synced if name == threading.current_thread().name]
    assert out.stat().st_size in main
