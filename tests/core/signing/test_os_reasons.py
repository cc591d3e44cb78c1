"""Issue #21, item 4: an operating-system error reaches the clerk in the clerk's words
(by errno), never as the OS's English sentence; that sentence goes to the log."""

from __future__ import annotations

import errno
import logging
from pathlib import Path

import pytest
from signing_helpers import P12_PASSWORD, Pki

from desktop import errors, oserrors
from desktop.errors import UserError
from desktop.signing import signer
from desktop.signing.documents import check_header
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import sign_pdf


@pytest.fixture(params=["vi", "en"])
def language(request: pytest.FixtureRequest) -> str:
    before = errors.language()
    errors.set_language(request.param)
    yield request.param
    errors.set_language(before)


def test_unreadable_file_says_why_in_words(language: str, tmp_path: Path) -> None:
    for path, words in (
        (tmp_path / "missing.pdf", {"vi": "không tìm thấy tệp", "en": "does not exist"}),
        (tmp_path, {"vi": "là một thư mục", "en": "it is a folder"}),
    ):
        with pytest.raises(UserError) as caught:
            check_header(path)
        assert caught.value.code == "signing.unreadable"
        shown = caught.value.message()
        assert words[language] in shown, shown
        assert "No such file" not in shown and "Is a directory" not in shown


def test_signing_that_fails_on_the_disk_says_so_and_logs_the_detail(
    language: str,
    pki: Pki,
    pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(signer, "_copy", full)
    key = load_p12(pki.signer.p12, P12_PASSWORD)
    with caplog.at_level(logging.WARNING), pytest.raises(UserError) as caught:
        sign_pdf(pdf, tmp_path / "signed.pdf", key)
    assert caught.value.code == "signing.failed"
    shown = caught.value.message()
    assert {"vi": "ổ đĩa đã đầy", "en": "the disk is full"}[language] in shown, shown
    assert "No space left" not in shown
    assert "No space left" in caplog.text
    assert list(tmp_path.glob(".signing-*")) == []


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.ENOENT, "os.not_found"),
        (errno.EACCES, "os.permission_denied"),
        (errno.EPERM, "os.permission_denied"),
        (errno.EISDIR, "os.is_a_directory"),
        (errno.ENOSPC, "os.disk_full"),
        (errno.EROFS, "os.read_only"),
        (errno.EIO, "os.device"),
        (errno.EPROTO, "os.other"),
    ],
)
def test_each_errno_has_its_words(number: int, code: str) -> None:
    exc = OSError(number, "library sentence")
    assert oserrors.reason_code(exc) == code
    for lang in ("vi", "en"):
        text = errors.render(code, {}, lang)
        assert text and "library sentence" not in text and text != code
