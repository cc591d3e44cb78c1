from __future__ import annotations

import io

import pytest

from desktop.attachments.pdf_facts import pdf_facts
from desktop.errors import UserError
from desktop.filecheck.messages import E_DAMAGED

from .samples import pdf_bytes


def test_plain_pdf_facts() -> None:
    facts = pdf_facts(io.BytesIO(pdf_bytes(3)), "a.pdf")
    assert facts["pages"] == 3
    assert facts["encrypted"] is False
    assert facts["signed"] is False
    assert facts["pdf_version"].startswith("1.")


def test_encrypted_pdf_is_flagged_not_refused() -> None:
    facts = pdf_facts(io.BytesIO(pdf_bytes(2, password="bimat")), "khoa.pdf")
    assert facts["encrypted"] is True
    assert facts["pages"] is None  # the user password is unknown


def test_owner_password_only_pdf_is_not_password_protected() -> None:
    facts = pdf_facts(io.BytesIO(pdf_bytes(4, password="")), "owner.pdf")
    assert facts["encrypted"] is False  # it opens without a password (issue #21)
    assert facts["pdf"]["encryption"] == "owner_only"
    assert facts["pages"] == 4


def test_already_signed_pdf_is_detected() -> None:
    facts = pdf_facts(io.BytesIO(pdf_bytes(1, signed=True)), "da-ky.pdf")
    assert facts["signed"] is True
    assert facts["signatures"] == 1


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pdf_is_refused_with_a_clear_message(cut: float) -> None:
    data = pdf_bytes(2)
    with pytest.raises(UserError) as caught:
        pdf_facts(io.BytesIO(data[: int(len(data) * cut)]), "do-dang.pdf")
    assert caught.value.code == E_DAMAGED
    assert "chưa tải xong" in caught.value.message()
    assert "may not have finished downloading" in caught.value.message("en")


def test_garbage_with_pdf_header_and_eof_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        pdf_facts(io.BytesIO(b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n"), "x.pdf")
    assert caught.value.code == E_DAMAGED


def test_reads_from_the_file_object_without_loading_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(2))
    with path.open("rb") as handle:
        facts = pdf_facts(handle, path.name)
        assert not handle.closed
    assert facts["pages"] == 2
