"""Batch signing: one key for many files, one bad file does not stop the others."""

from __future__ import annotations

from pathlib import Path

from signing_helpers import P12_PASSWORD, TOKEN_LABEL, Pki, Token, make_pdf

from desktop.progress import CancelToken, Progress
from desktop.signing.batch import BatchItem, sign_many
from desktop.signing.pkcs12 import load_p12
from desktop.signing.tokens import open_token_key
from desktop.signing.verifier import verify_pdf


def _items(tmp_path: Path, count: int) -> list[BatchItem]:
    return [
        BatchItem(make_pdf(tmp_path / f"in-{i}.pdf"), tmp_path / "out" / f"in-{i}.pdf")
        for i in range(count)
    ]


def test_bad_file_is_reported_and_the_others_are_signed(pki: Pki, tmp_path: Path) -> None:
    items = _items(tmp_path, 3)
    bad = tmp_path / "bad.pdf"
    bad.write_text("hello")
    items.insert(1, BatchItem(bad, tmp_path / "out" / "bad.pdf"))
    seen: list[Progress] = []
    outcomes = sign_many(items, load_p12(pki.signer.p12, P12_PASSWORD), progress=seen.append)
    assert [o.status for o in outcomes] == ["signed", "failed", "signed", "signed"]
    assert outcomes[1].code == "signing.not_pdf" and "PDF" in outcomes[1].message
    assert not (tmp_path / "out" / "bad.pdf").exists()
    for outcome in outcomes[::2]:
        assert verify_pdf(Path(outcome.output), [pki.root]).ok
    assert seen[-1].done == 4 and seen[-1].total == 4
    assert [p.label for p in seen[:4]] == [i.source.name for i in items]


def test_cancel_stops_before_the_next_file(pki: Pki, tmp_path: Path) -> None:
    items = _items(tmp_path, 4)
    cancel = CancelToken()

    def on_progress(update: Progress) -> None:
        if update.done == 2:
            cancel.cancel()

    outcomes = sign_many(
        items, load_p12(pki.signer.p12, P12_PASSWORD), progress=on_progress, cancel=cancel
    )
    assert [o.status for o in outcomes] == ["signed", "signed", "cancelled", "cancelled"]
    assert Path(outcomes[1].output).exists() and not Path(outcomes[2].output).exists()


def test_token_batch_uses_one_login(pki: Pki, softhsm: Token, tmp_path: Path) -> None:
    items = _items(tmp_path, 3)
    with open_token_key(softhsm.module, softhsm.pin, token_label=TOKEN_LABEL) as key:
        outcomes = sign_many(items, key)
    assert all(o.status == "signed" for o in outcomes)
    assert all(verify_pdf(Path(o.output), [pki.root]).ok for o in outcomes)


def test_each_file_may_carry_its_own_pdf_password(pki: Pki, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(make_pdf(tmp_path / "plain.pdf"))))
    writer.encrypt(user_password="riêng", owner_password="chủ", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    items = [
        BatchItem(locked, tmp_path / "out" / "locked.pdf", pdf_password="riêng"),
        BatchItem(locked, tmp_path / "out" / "nopass.pdf"),
    ]
    outcomes = sign_many(items, load_p12(pki.signer.p12, P12_PASSWORD))
    assert [o.status for o in outcomes] == ["signed", "failed"]
    assert outcomes[1].code == "signing.pdf_password_needed"
    assert verify_pdf(Path(outcomes[0].output), [pki.root], password="riêng").ok
